/// The rule for note key names (C2SP signed-note §Format).
package enum NoteKeyName {
    /// Throws unless `name` is a valid key name: non-empty, with no Unicode space (White_Space)
    /// and no plus (U+002B), which would break signature lines and verifier keys.
    package static func validate(_ name: String) throws(TransparencyError) {
        guard !name.isEmpty else { throw TransparencyError(.invalidKeyName, "a key name must not be empty") }
        for scalar in name.unicodeScalars where scalar.properties.isWhitespace || scalar == "+" || scalar.value < 0x20 {
            throw TransparencyError(
                .invalidKeyName, "a key name must not contain spaces, control characters or '+' (U+\(hex(scalar.value)))")
        }
    }

    /// Whether two key names are the same bytes. Swift's `==` on strings compares canonical
    /// equivalence, but a key is identified by the exact bytes that went into its key ID.
    static func same(_ a: String, _ b: String) -> Bool {
        a.utf8.elementsEqual(b.utf8)
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
