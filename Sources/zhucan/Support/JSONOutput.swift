import Foundation

/// Prints JSON objects for `--json` output: keys sorted, pretty, UTF-8 unescaped.
enum JSONOutput {
    /// Prints `object` (built from strings, numbers, booleans, arrays, dictionaries).
    /// Prints an `Encodable` value the same way: pretty, keys sorted, slashes unescaped.
    static func print(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    static func print(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        Swift.print(String(decoding: data, as: UTF8.self))
    }

    /// Prints `object` with `key` holding `elements`, each encoded as it is printed (keys
    /// sorted, compact), on a line of its own: a list of millions of rows takes no more memory
    /// than one row.
    static func print(_ object: [String: Any], streaming key: String, _ elements: some Sequence<some Encodable>) throws {
        // The object is serialised with a placeholder where the array goes, which is then
        // printed in its place, so the keys stay in order.
        let placeholder = "elements-\(UUID().uuidString)"
        var withPlaceholder = object
        withPlaceholder[key] = placeholder
        let text = String(decoding: try JSONSerialization.data(withJSONObject: withPlaceholder, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]), as: UTF8.self)
        guard let marker = text.range(of: "\"\(placeholder)\"") else {
            preconditionFailure("the placeholder is missing from \(text)")
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var output = String(text[..<marker.lowerBound]) + "["
        var first = true
        for element in elements {
            let line = String(decoding: try encoder.encode(element), as: UTF8.self)
            output += (first ? "\n    " : ",\n    ") + line
            first = false
            if output.utf8.count >= 1 << 20 {
                Swift.print(output, terminator: "")
                output = ""
            }
        }
        output += first ? "]" : "\n  ]"
        Swift.print(output + text[marker.upperBound...])
    }
}
