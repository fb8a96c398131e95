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
}
