/// Builds the JSONPath strings that errors use to point into a rule or document
/// (`$.and[1].if[0]`, `$["a.b"]`).
enum JSONPath {
    /// The path of the whole document.
    static let root = "$"

    /// `path` followed by an object member: `.key` when the key reads unambiguously that way
    /// (operators such as `===` or `not-after` do), otherwise `["key"]` in JSON string syntax.
    static func appending(_ path: String, key: String) -> String {
        let plain = !key.isEmpty && key.unicodeScalars.allSatisfy { scalar in
            scalar.value > 0x20 && scalar.value != 0x7F
                && !["." , "[", "]", "\"", "'", "$", "\\"].contains(Character(scalar))
        }
        if plain { return path + "." + key }
        return path + "[" + JSONValue.string(key).jsonString + "]"
    }

    /// `path` followed by an array index: `[index]`.
    static func appending(_ path: String, index: Int) -> String {
        path + "[" + String(index) + "]"
    }
}
