/// A citizen identity number (公民身份号码, GB 11643-1999).
///
/// Eighteen characters: a six-digit region code (GB/T 2260), the birth date `YYYYMMDD`, a
/// three-digit sequence code whose parity gives the sex, and an ISO 7064 MOD 11-2 check
/// character (`0`–`9` or `X`). A lower-case `x` is accepted and normalised to `X`; nothing
/// else is normalised (no trimming, no full-width digits).
///
/// Validation checks, in this order: length, characters, region (province-level prefix),
/// birth date (a real date, not before 1900-01-01, not after the validation date), check
/// character.
///
/// **Privacy.** The number is personal data. ``description`` (and so string interpolation,
/// `print`, `String(describing:)`), `debugDescription` and the reflection `dump` uses all
/// give the ``masked`` form `3604**********0071`. The clear number is only available as
/// ``value`` and through `Codable`, which must carry it in full.
package struct CitizenIDNumber: Hashable, Sendable {
    /// The clear 18-character number, with the check character upper-case.
    package let value: String

    /// The region of the holder's registered residence when the number was issued.
    package let region: RegionCode

    /// The birth date (positions 7–14).
    package let birthDate: CivilDate

    /// The sequence code (positions 15–17), 0…999.
    package let sequence: Int

    /// The number as one integer that orders as ``value`` does: the first 17 digits as a
    /// decimal number, times 11, plus the check character (`0`–`9`, `X` as 10). For sorting
    /// and looking up a million numbers without comparing or hashing their text.
    package let ordinal: UInt64

    /// Parses and validates a number, judging the birth date against today in China Standard
    /// Time.
    ///
    /// - Throws: ``IdentifierError`` with code `wrongLength`, `invalidCharacter`,
    ///   `invalidRegion`, `invalidDate`, `dateOutOfRange` or `badCheckCharacter`.
    package init(_ string: String) throws(IdentifierError) {
        try self.init(string, asOf: .today())
    }

    /// Parses and validates a number, judging the birth date against `today`.
    ///
    /// - Parameter today: the validation date; a birth date after it is rejected.
    package init(_ string: String, asOf today: CivilDate) throws(IdentifierError) {
        var bytes = try IdentifierText.asciiBytes(
            of: string, lengths: 18...18, kind: "a citizen ID number", expected: "18 characters")
        bytes[17] = IdentifierText.uppercased(bytes[17])
        try self.init(checking: bytes[...], offset: 0, asOf: today)
    }

    /// Parses a number, returning `nil` when it is not valid today.
    package init?(validating string: String) {
        guard let id = try? CitizenIDNumber(string) else { return nil }
        self = id
    }

    /// Builds a number from its parts, computing the check character.
    ///
    /// - Parameters:
    ///   - sequence: the sequence code, 0…999; odd for a male holder, even for a female one.
    ///   - today: the validation date for the birth date.
    /// - Throws: `outOfRange` for a sequence outside 0…999; `dateOutOfRange` for a birth date
    ///   before 1900 or after `today`.
    package init(
        region: RegionCode,
        birthDate: CivilDate,
        sequence: Int,
        asOf today: CivilDate = .today()
    ) throws(IdentifierError) {
        guard (0...999).contains(sequence) else {
            throw .outOfRange("a citizen ID sequence code is 0–999, got \(sequence)")
        }
        let date = birthDate.description.filter { $0 != "-" }
        let sequenceDigits = String(sequence)
        let first17 = region.value + date
            + String(repeating: "0", count: 3 - sequenceDigits.count) + sequenceDigits
        var bytes = Array(first17.utf8)
        bytes.append(ISO7064.mod11_2(bytes[...]))
        try self.init(checking: bytes[...], offset: 0, asOf: today)
    }

    /// Validates 18 ASCII bytes (check character already upper-cased) found at `offset` in a
    /// larger string; reasons give positions in that string.
    init(checking bytes: ArraySlice<UInt8>, offset: Int, asOf today: CivilDate) throws(IdentifierError) {
        let base = bytes.startIndex
        for (index, byte) in zip(bytes.indices, bytes) {
            let position = offset + index - base + 1
            if index - base == 17 {
                guard IdentifierText.isDigit(byte) || byte == UInt8(ascii: "X") else {
                    throw .invalidCharacter(
                        "citizen ID number: expected a digit or X at position \(position), got \(IdentifierText.describe(byte))")
                }
            } else if !IdentifierText.isDigit(byte) {
                throw .invalidCharacter(
                    "citizen ID number: expected a digit at position \(position), got \(IdentifierText.describe(byte))")
            }
        }

        try RegionCode.check(bytes[base..<base + 6], field: "citizen ID number region", offset: offset)

        // GB 11643-1999 §4.2: the birth date is YYYYMMDD. The reasons name positions only, so
        // that a log line does not carry the holder's birth date.
        let year = IdentifierText.number(bytes[base + 6..<base + 10])
        let month = IdentifierText.number(bytes[base + 10..<base + 12])
        let day = IdentifierText.number(bytes[base + 12..<base + 14])
        guard (1...12).contains(month) else {
            throw .invalidDate(
                "citizen ID number: the birth month at positions \(offset + 11)–\(offset + 12) is not 01–12")
        }
        guard day >= 1, day <= CivilDate.daysInMonth(year: year, month: month) else {
            throw .invalidDate(
                "citizen ID number: the birth day at positions \(offset + 13)–\(offset + 14) does not exist in that month")
        }
        guard year >= 1900 else {
            throw .dateOutOfRange(
                "citizen ID number: the birth year at positions \(offset + 7)–\(offset + 10) is before 1900")
        }
        let birthDate: CivilDate
        do {
            birthDate = try CivilDate(year: year, month: month, day: day)
        } catch {
            throw .invalidDate("citizen ID number: the birth date at positions \(offset + 7)–\(offset + 14) is not a real date")
        }
        guard birthDate <= today else {
            throw .dateOutOfRange(
                "citizen ID number: the birth date at positions \(offset + 7)–\(offset + 14) is after the validation date \(today)")
        }

        let expected = ISO7064.mod11_2(bytes[base..<base + 17])
        let actual = bytes[base + 17]
        guard actual == expected else {
            throw .badCheckCharacter(
                "citizen ID number: bad check character at position \(offset + 18): expected \(IdentifierText.describe(expected)), got \(IdentifierText.describe(actual))")
        }

        self.value = IdentifierText.string(bytes)
        self.region = RegionCode(checkedBytes: bytes[base..<base + 6])
        self.birthDate = birthDate
        self.sequence = IdentifierText.number(bytes[base + 14..<base + 17])
        var number: UInt64 = 0
        for byte in bytes[base..<base + 17] {
            number = number * 10 + UInt64(byte - UInt8(ascii: "0"))
        }
        self.ordinal = number * 11 + (actual == UInt8(ascii: "X") ? 10 : UInt64(actual - UInt8(ascii: "0")))
    }

    /// The ISO 7064 MOD 11-2 check character (GB 11643-1999 §5.2) for the first 17 digits.
    ///
    /// - Throws: `wrongLength` or `invalidCharacter` unless `first17` is 17 ASCII digits.
    package static func checkCharacter(for first17: String) throws(IdentifierError) -> Character {
        let bytes = try IdentifierText.asciiBytes(
            of: first17, lengths: 17...17, kind: "the first 17 characters of a citizen ID number",
            expected: "17 digits")
        for (index, byte) in bytes.enumerated() where !IdentifierText.isDigit(byte) {
            throw .invalidCharacter(
                "citizen ID number: expected a digit at position \(index + 1), got \(IdentifierText.describe(byte))")
        }
        return Character(Unicode.Scalar(ISO7064.mod11_2(bytes[...])))
    }

    /// The region code (positions 1–6) as a string.
    package var regionCode: String { region.value }

    /// The holder's sex: GB 11643-1999 §4.3, odd sequence code male, even female.
    package var sex: Sex { sequence % 2 == 1 ? .male : .female }

    /// The check character (position 18).
    package var checkCharacter: Character { value.last ?? "0" }

    /// The number with all but the first 4 and last 4 characters replaced by `*`,
    /// e.g. `3604**********0071`: enough to tell two holders apart at a counter.
    package var masked: String {
        IdentifierText.mask(value, keepFirst: 4, keepLast: 4)
    }
}

extension CitizenIDNumber: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The ``masked`` form, so that interpolating the number into a log line cannot leak it.
    package var description: String { masked }

    /// The ``masked`` form.
    package var debugDescription: String { "CitizenIDNumber(\(masked))" }

    /// A mirror showing only the ``masked`` form, so `dump` cannot leak the number.
    package var customMirror: Mirror {
        Mirror(self, children: ["masked": masked], displayStyle: .struct)
    }
}

extension CitizenIDNumber: Codable {
    /// Decodes the clear 18-character string, validated against today's date.
    package init(from decoder: any Decoder) throws {
        self = try IdentifierCoding.decode(from: decoder) { (string) throws(IdentifierError) in
            try CitizenIDNumber(string)
        }
    }

    /// Encodes the clear 18-character string.
    package func encode(to encoder: any Encoder) throws {
        try IdentifierCoding.encode(value, to: encoder)
    }
}
