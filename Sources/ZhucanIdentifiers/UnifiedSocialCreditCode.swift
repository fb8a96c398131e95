/// A unified social credit code (统一社会信用代码, GB 32100-2015), identifying an organisation
/// such as the issuing Disabled Persons' Federation.
///
/// Eighteen characters over `0123456789ABCDEFGHJKLMNPQRTUWXY` (no I, O, Z, S, V):
/// registration authority (1), organisation type (2), the registering authority's region
/// code (3–8, six digits, GB/T 2260), the organisation's identity code (9–17, GB 11714) and
/// a check character (18). Lower-case letters are normalised to upper case.
///
/// Positions 3–8 must be digits (GB 32100-2015 §4.3), but their province prefix is not
/// checked: national bodies carry `100000`, which is no province. Characters 1 and 2 are not
/// checked against GB 32100 Table 1, because authorities have been added by later notices
/// (e.g. `A`, `N`). The GB 11714 check character inside positions 9–17 is not checked: the
/// USCC check character already covers every position.
package struct UnifiedSocialCreditCode: Hashable, Sendable, Comparable {
    /// The 18 upper-case characters.
    package let value: String

    /// The code alphabet of GB 32100-2015 §4.2, in value order 0…30.
    package static let alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

    static let alphabetBytes: [UInt8] = Array(alphabet.utf8)

    // GB 32100-2015 §5: W_i = 3^(i-1) mod 31 for positions 1…17.
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Parses and validates a code.
    ///
    /// - Throws: ``IdentifierError`` with code `wrongLength`, `invalidCharacter`,
    ///   `invalidRegion` (non-digits in positions 3–8) or `badCheckCharacter`.
    package init(_ string: String) throws(IdentifierError) {
        let bytes = try IdentifierText.asciiBytes(
            of: string, lengths: 18...18, kind: "a unified social credit code", expected: "18 characters")
        try self.init(checking: bytes.map(IdentifierText.uppercased)[...], field: "unified social credit code", offset: 0)
    }

    /// Parses a code, returning `nil` when it is not valid.
    package init?(validating string: String) {
        guard let code = try? UnifiedSocialCreditCode(string) else { return nil }
        self = code
    }

    /// Validates 18 upper-cased ASCII bytes found at `offset` in a larger string.
    init(checking bytes: ArraySlice<UInt8>, field: String, offset: Int) throws(IdentifierError) {
        let base = bytes.startIndex
        var sum = 0
        for (index, byte) in zip(bytes.indices, bytes) {
            let position = offset + index - base + 1
            guard let value = UnifiedSocialCreditCode.value(of: byte) else {
                throw .invalidCharacter(
                    "\(field): character at position \(position) is \(IdentifierText.describe(byte)), not one of \(UnifiedSocialCreditCode.alphabet)")
            }
            if index - base < 17 {
                sum += value * UnifiedSocialCreditCode.weights[index - base]
            }
        }
        for (index, byte) in zip(bytes.indices, bytes) where (2..<8).contains(index - base) && !IdentifierText.isDigit(byte) {
            throw .invalidRegion(
                "\(field): the region code at positions \(offset + 3)–\(offset + 8) must be digits; position \(offset + index - base + 1) is \(IdentifierText.describe(byte))")
        }
        // GB 32100-2015 §5: C_18 = 31 − (Σ C_i·W_i mod 31), with 31 read as 0.
        let expected = UnifiedSocialCreditCode.alphabetBytes[(31 - sum % 31) % 31]
        let actual = bytes[base + 17]
        guard actual == expected else {
            throw .badCheckCharacter(
                "\(field): bad check character at position \(offset + 18): expected \(IdentifierText.describe(expected)), got \(IdentifierText.describe(actual))")
        }
        self.value = IdentifierText.string(bytes)
    }

    /// The value 0…30 of an upper-case byte of the alphabet, or `nil`.
    static func value(of byte: UInt8) -> Int? {
        alphabetBytes.firstIndex(of: byte)
    }

    /// The GB 32100-2015 check character for the first 17 characters (lower case accepted).
    ///
    /// - Throws: `wrongLength` or `invalidCharacter`.
    package static func checkCharacter(for first17: String) throws(IdentifierError) -> Character {
        let bytes = try IdentifierText.asciiBytes(
            of: first17, lengths: 17...17, kind: "the first 17 characters of a unified social credit code",
            expected: "17 characters")
        var sum = 0
        for (index, byte) in bytes.enumerated() {
            guard let value = value(of: IdentifierText.uppercased(byte)) else {
                throw .invalidCharacter(
                    "unified social credit code: character at position \(index + 1) is \(IdentifierText.describe(byte)), not one of \(alphabet)")
            }
            sum += value * weights[index]
        }
        return Character(Unicode.Scalar(alphabetBytes[(31 - sum % 31) % 31]))
    }

    /// The registration authority code (登记管理部门代码, position 1), e.g. `9` for market
    /// regulation (工商), `1` for the establishment office (机构编制).
    package var registrationAuthority: Character { character(at: 0) }

    /// The organisation type code (机构类别代码, position 2), whose meaning depends on the
    /// registration authority.
    package var organisationType: Character { character(at: 1) }

    /// The registering authority's region code (positions 3–8), six digits.
    package var regionCode: String { String(Array(value.utf8)[2..<8].map { Character(Unicode.Scalar($0)) }) }

    /// The organisation identity code (主体标识码, positions 9–17, GB 11714).
    package var organisationCode: String { String(Array(value.utf8)[8..<17].map { Character(Unicode.Scalar($0)) }) }

    /// The check character (position 18).
    package var checkCharacter: Character { character(at: 17) }

    private func character(at offset: Int) -> Character {
        Character(Unicode.Scalar(Array(value.utf8)[offset]))
    }

    /// Order of the code strings, for stable listings.
    package static func < (lhs: UnifiedSocialCreditCode, rhs: UnifiedSocialCreditCode) -> Bool {
        lhs.value < rhs.value
    }
}

extension UnifiedSocialCreditCode: CustomStringConvertible {
    /// The code: organisation codes are public registers, not personal data.
    package var description: String { value }
}

extension UnifiedSocialCreditCode: Codable {
    /// Decodes the 18-character string.
    package init(from decoder: any Decoder) throws {
        self = try IdentifierCoding.decode(from: decoder) { (string) throws(IdentifierError) in
            try UnifiedSocialCreditCode(string)
        }
    }

    /// Encodes the 18-character string.
    package func encode(to encoder: any Encoder) throws {
        try IdentifierCoding.encode(value, to: encoder)
    }
}
