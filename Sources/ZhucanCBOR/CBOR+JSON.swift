// A readable JSON rendering (RFC 8259) for people, not a reversible mapping (compare
// RFC 8949 §6.1, which converts to JSON for processing):
//
//   integers, finite floats  JSON numbers (any size; JSON sets no limit)
//   NaN, ±Infinity           the strings "NaN", "Infinity", "-Infinity"
//   bytes                    a string of lower-case hex: "0102"
//   text, arrays, booleans   as themselves; null and undefined become null
//   maps                     objects; a text key as itself, any other key as its diagnostic
//                            notation ("1", "h'01'"); pairs in stored order
//   tags                     {"tag": N, "value": ...};  simple(n) the string "simple(n)"

extension CBOR {
    /// The value as JSON text for display, for example by a command-line tool.
    ///
    /// The rendering is lossy: bytes and hex-looking text, or the key `1` and the key `"1"`,
    /// look alike. Use ``diagnostic`` when the exact value matters.
    /// - Parameter prettyPrinted: indent nested containers by two spaces, one entry per line.
    package func jsonString(prettyPrinted: Bool = false) -> String {
        var out = ""
        writeJSON(to: &out, indent: prettyPrinted ? "\n" : nil)
        return out
    }

    /// `indent` is `nil` for compact output, else a newline plus the current indentation.
    private func writeJSON(to out: inout String, indent: String?) {
        switch self {
        case .unsigned, .negative:
            out += integerString
        case .float(let d):
            if d.isFinite {
                out += Self.floatString(d)
            } else {
                Self.writeQuoted(Self.floatString(d), to: &out)
            }
        case .bytes(let bytes):
            out += "\"" + Self.hex(bytes) + "\""
        case .text(let string):
            Self.writeQuoted(string, to: &out)
        case .array(let items):
            Self.writeContainer(items, open: "[", close: "]", to: &out, indent: indent) { item, out, inner in
                item.writeJSON(to: &out, indent: inner)
            }
        case .map(let pairs):
            Self.writeContainer(pairs, open: "{", close: "}", to: &out, indent: indent) { pair, out, inner in
                Self.writeQuoted(pair.key.text ?? pair.key.diagnostic, to: &out)
                out += inner == nil ? ":" : ": "
                pair.value.writeJSON(to: &out, indent: inner)
            }
        case .tagged(let tag, let item):
            CBOR.map([
                Pair(key: .text("tag"), value: .unsigned(tag)),
                Pair(key: .text("value"), value: item),
            ]).writeJSON(to: &out, indent: indent)
        case .simple(let value):
            Self.writeQuoted("simple(\(value))", to: &out)
        case .bool(let b):
            out += b ? "true" : "false"
        case .null, .undefined:
            out += "null"
        }
    }

    private static func writeContainer<Element>(
        _ elements: [Element],
        open: String,
        close: String,
        to out: inout String,
        indent: String?,
        writeElement: (Element, inout String, String?) -> Void
    ) {
        out += open
        guard !elements.isEmpty else {
            out += close
            return
        }
        let inner = indent.map { $0 + "  " }
        for (index, element) in elements.enumerated() {
            if index > 0 { out += "," }
            out += inner ?? ""
            writeElement(element, &out, inner)
        }
        out += (indent ?? "") + close
    }
}
