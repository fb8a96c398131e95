/// A second-generation disability certificate number (残疾人证号, 残疾人证管理办法 2017).
///
/// Twenty characters: the holder's citizen ID number (validated in full), the category digit
/// `1`–`7` and the level digit `1`–`4` (GB/T 26341-2010). A reissued card may carry a suffix
/// `B1`…`B9` (22 characters); the suffix is seen in practice, not in the regulation, so only
/// one digit 1–9 is accepted. Lower-case `x` and `b` are normalised to upper case.
///
/// **Privacy.** Unlike ``CitizenIDNumber``, ``description`` is the clear number: certificate
/// numbers are the reference that issuers and auditors log and search by. ``masked`` is there
/// for places that show it to third parties.
package struct DisabilityCertificateNumber: Hashable, Sendable {
    /// The holder's citizen ID number (characters 1–18).
    package let citizenID: CitizenIDNumber

    /// The disability category (character 19).
    package let category: DisabilityCategory

    /// The disability level (character 20).
    package let level: DisabilityLevel

    /// The reissue number 1…9 from a `B1`…`B9` suffix, or `nil` for none.
    package let reissue: Int?

    /// Parses and validates a number, judging the birth date against today.
    ///
    /// - Throws: ``IdentifierError`` with the codes of ``CitizenIDNumber`` and
    ///   `invalidCategory`, `invalidLevel`, `invalidSuffix`.
    package init(_ string: String) throws(IdentifierError) {
        try self.init(string, asOf: .today())
    }

    /// Parses and validates a number, judging the birth date against `today`.
    package init(_ string: String, asOf today: CivilDate) throws(IdentifierError) {
        // Read up to 24 characters so that an over-long suffix such as `B10` is reported as a
        // bad suffix rather than only as a wrong length.
        var bytes = try IdentifierText.asciiBytes(
            of: string, lengths: 20...24, kind: "a disability certificate number",
            expected: "20 characters, or 22 with a B1–B9 suffix")
        bytes[17] = IdentifierText.uppercased(bytes[17])
        if bytes.count > 20 {
            bytes[20] = IdentifierText.uppercased(bytes[20])
            guard bytes[20] == UInt8(ascii: "B") else {
                throw .wrongLength(
                    "a disability certificate number has 20 characters, or 22 with a B1–B9 suffix; position 21 is \(IdentifierText.describe(bytes[20])), not B")
            }
            guard bytes.count == 22, bytes[21] >= UInt8(ascii: "1"), bytes[21] <= UInt8(ascii: "9") else {
                throw .invalidSuffix(
                    "disability certificate number: the reissue suffix at position 21 must be B1–B9")
            }
        }
        self.citizenID = try CitizenIDNumber(checking: bytes[0..<18], offset: 0, asOf: today)
        guard let category = DisabilityCategory(rawValue: Int(bytes[18] &- UInt8(ascii: "0"))),
              IdentifierText.isDigit(bytes[18])
        else {
            throw .invalidCategory(
                "disability certificate number: the category at position 19 must be a digit 1–7, got \(IdentifierText.describe(bytes[18]))")
        }
        guard let level = DisabilityLevel(rawValue: Int(bytes[19] &- UInt8(ascii: "0"))),
              IdentifierText.isDigit(bytes[19])
        else {
            throw .invalidLevel(
                "disability certificate number: the level at position 20 must be a digit 1–4, got \(IdentifierText.describe(bytes[19]))")
        }
        self.category = category
        self.level = level
        self.reissue = bytes.count == 22 ? Int(bytes[21] - UInt8(ascii: "0")) : nil
    }

    /// Parses a number, returning `nil` when it is not valid today.
    package init?(validating string: String) {
        guard let number = try? DisabilityCertificateNumber(string) else { return nil }
        self = number
    }

    /// Builds a number from its parts.
    ///
    /// - Parameter reissue: `nil`, or 1…9 for a `B1`…`B9` suffix.
    /// - Throws: ``IdentifierError/Code/invalidSuffix`` for a reissue number outside 1…9.
    package init(
        citizenID: CitizenIDNumber,
        category: DisabilityCategory,
        level: DisabilityLevel,
        reissue: Int? = nil
    ) throws(IdentifierError) {
        if let reissue, !(1...9).contains(reissue) {
            throw .invalidSuffix("a reissue number is 1–9 (suffix B1–B9), got \(reissue)")
        }
        self.citizenID = citizenID
        self.category = category
        self.level = level
        self.reissue = reissue
    }

    /// The clear number, 20 or 22 characters.
    package var value: String {
        var value = citizenID.value
        value.append(category.digit)
        value.append(level.digit)
        if let reissue { value += "B\(reissue)" }
        return value
    }

    /// The number as shown to anyone but the issuer: the first 4 characters (the province and
    /// city of the ID number) and 14 `*`, e.g. `3601**************`. The category and level
    /// digits are dropped, not starred — they would tell the disability — and so is a `B`
    /// reissue suffix (PRODUCT.md, "Corrections found by review"); the ID part's last four,
    /// which other masks keep, go too, as with them the number would still be matched to a
    /// person.
    package var masked: String {
        IdentifierText.mask(citizenID.value, keepFirst: 4, keepLast: 0)
    }
}

extension DisabilityCertificateNumber: CustomStringConvertible {
    /// The clear number (see the type's privacy note).
    package var description: String { value }
}

extension DisabilityCertificateNumber: Codable {
    /// Decodes the clear string, validated against today's date.
    package init(from decoder: any Decoder) throws {
        self = try IdentifierCoding.decode(from: decoder) { (string) throws(IdentifierError) in
            try DisabilityCertificateNumber(string)
        }
    }

    /// Encodes the clear string.
    package func encode(to encoder: any Encoder) throws {
        try IdentifierCoding.encode(value, to: encoder)
    }
}
