/// Shared helpers for reading identifier strings as bounded ASCII.
///
/// Every identifier here is ASCII. Strings are first cut to at most one character more than the
/// longest allowed length, so a huge input costs no more than a short one, and each character is
/// then mapped to one ASCII byte. Positions in reasons are 1-based character positions.
enum IdentifierText {
    /// The characters of `string` as ASCII bytes, provided it has a length in `lengths` and
    /// every character is a single ASCII scalar.
    ///
    /// - Parameters:
    ///   - kind: what the string should be, for the reason ("a citizen ID number").
    ///   - expected: the allowed lengths in words ("18 characters").
    static func asciiBytes(
        of string: String,
        lengths: ClosedRange<Int>,
        kind: String,
        expected: String,
        file: String = #fileID,
        line: UInt = #line
    ) throws(IdentifierError) -> [UInt8] {
        // Fast path: when the bytes read are all printable ASCII, each byte is one character
        // (a combining mark or the LF of a CR LF pair would be a byte outside 0x20…0x7E), so
        // grapheme breaking, the slow part, can be skipped.
        let head = Array(string.utf8.prefix(lengths.upperBound + 1))
        if head.allSatisfy({ $0 >= 0x20 && $0 <= 0x7E }) {
            guard lengths.contains(head.count) else {
                let got = head.count > lengths.upperBound ? "more than \(lengths.upperBound)" : "\(head.count)"
                throw .wrongLength("\(kind) has \(expected), got \(got)", file: file, line: line)
            }
            return head
        }

        let characters = Array(string.prefix(lengths.upperBound + 1))
        guard lengths.contains(characters.count) else {
            let got = characters.count > lengths.upperBound
                ? "more than \(lengths.upperBound)"
                : "\(characters.count)"
            throw .wrongLength("\(kind) has \(expected), got \(got)", file: file, line: line)
        }
        var bytes = [UInt8]()
        bytes.reserveCapacity(characters.count)
        for (index, character) in characters.enumerated() {
            guard let byte = ascii(character) else {
                throw .invalidCharacter(
                    "\(kind): character at position \(index + 1) is \(describe(character)), not ASCII",
                    file: file, line: line)
            }
            bytes.append(byte)
        }
        return bytes
    }

    /// The ASCII byte of a character that is exactly one ASCII scalar.
    ///
    /// `Character.asciiValue` is not used because it maps the two-scalar "\r\n" to 0x0A.
    static func ascii(_ character: Character) -> UInt8? {
        let scalars = character.unicodeScalars
        guard scalars.count == 1, let scalar = scalars.first, scalar.isASCII else { return nil }
        return UInt8(truncatingIfNeeded: scalar.value)
    }

    /// A quoted printable ASCII byte, or its code point for anything else.
    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte <= 0x7E {
            return "'\(Character(Unicode.Scalar(byte)))'"
        }
        return codePoint(UInt32(byte))
    }

    /// A quoted printable ASCII character, or the code points of anything else.
    static func describe(_ character: Character) -> String {
        if let byte = ascii(character) { return describe(byte) }
        return character.unicodeScalars.prefix(4).map { codePoint($0.value) }.joined(separator: " ")
    }

    private static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Whether `byte` is `0`…`9`.
    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    /// `a`…`z` mapped to `A`…`Z`; anything else unchanged.
    static func uppercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte
    }

    /// The value of a run of ASCII digits that the caller has already checked; at most 9 digits,
    /// so it cannot overflow.
    static func number(_ bytes: ArraySlice<UInt8>) -> Int {
        precondition(bytes.count <= 9)
        var value = 0
        for byte in bytes {
            value = value * 10 + Int(byte &- UInt8(ascii: "0"))
        }
        return value
    }

    /// A string from ASCII bytes.
    static func string<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// `value` with its first `keepFirst` and last `keepLast` characters kept and every other
    /// character replaced by `*`.
    static func mask(_ value: String, keepFirst: Int, keepLast: Int) -> String {
        let characters = Array(value)
        guard characters.count > keepFirst + keepLast else {
            return String(repeating: "*", count: characters.count)
        }
        let middle = characters.count - keepFirst - keepLast
        return String(characters.prefix(keepFirst))
            + String(repeating: "*", count: middle)
            + String(characters.suffix(keepLast))
    }
}
