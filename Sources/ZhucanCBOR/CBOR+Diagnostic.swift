// RFC 8949 §8 diagnostic notation, as written here:
//
//   integers    1, -10, 18446744073709551615, -18446744073709551616
//   floats      1.5, -0.0, 1.0e+300, NaN, Infinity, -Infinity
//   bytes       h'0102'            text      "a\"b"   (JSON escapes, RFC 8259 §7)
//   arrays      [1, 2]             maps      {1: 2, "a": 3}   (stored order)
//   tags        18([...])          simple    true, false, null, undefined, simple(16)
//
// Indefinite-length items are decoded into definite values, so the `_` markers of §8.1 and
// the chunk boundaries of indefinite strings are never shown.

extension CBOR: CustomStringConvertible {
    /// The value in RFC 8949 §8 diagnostic notation.
    package var diagnostic: String {
        var out = ""
        writeDiagnostic(to: &out)
        return out
    }

    /// The value in RFC 8949 §8 diagnostic notation (same as ``diagnostic``).
    package var description: String { diagnostic }

    private func writeDiagnostic(to out: inout String) {
        switch self {
        case .unsigned, .negative:
            out += integerString
        case .bytes(let bytes):
            out += "h'" + Self.hex(bytes) + "'"
        case .text(let string):
            Self.writeQuoted(string, to: &out)
        case .array(let items):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                item.writeDiagnostic(to: &out)
            }
            out += "]"
        case .map(let pairs):
            out += "{"
            for (index, pair) in pairs.enumerated() {
                if index > 0 { out += ", " }
                pair.key.writeDiagnostic(to: &out)
                out += ": "
                pair.value.writeDiagnostic(to: &out)
            }
            out += "}"
        case .tagged(let tag, let item):
            out += "\(tag)("
            item.writeDiagnostic(to: &out)
            out += ")"
        case .simple(let value):
            out += "simple(\(value))"
        case .bool(let b):
            out += b ? "true" : "false"
        case .null:
            out += "null"
        case .undefined:
            out += "undefined"
        case .float(let d):
            out += Self.floatString(d)
        }
    }

    /// The decimal text of `.unsigned` or `.negative` (empty for other cases).
    var integerString: String {
        switch self {
        case .unsigned(let n): "\(n)"
        // -1 - n; for n == UInt64.max the magnitude 2^64 does not fit a UInt64.
        case .negative(let n): n == .max ? "-18446744073709551616" : "-\(n + 1)"
        default: ""
        }
    }

    /// A float as Swift prints it, with `.0` added to a bare exponent form (`1.0e+300`).
    static func floatString(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        var text = "\(value)"
        if let e = text.firstIndex(of: "e"), !text[..<e].contains(".") {
            text.insert(contentsOf: ".0", at: e)
        }
        return text
    }

    /// Lower-case hexadecimal.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Writes `string` as a JSON string literal (RFC 8259 §7), which §8 diagnostic notation
    /// shares.
    static func writeQuoted(_ string: String, to out: inout String) {
        out += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\u00" + hex([UInt8(scalar.value)])
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
