/// The card identification code (卡识别码) of a social-security card: 32 hexadecimal
/// characters, the first six of which are the issuing region's GB/T 2260 code.
///
/// Lower-case hex is normalised to upper case. The rest of the code (card type, chip serial)
/// has no published check, so only its characters are checked.
package struct CardIdentificationCode: Hashable, Sendable {
    /// The 32 upper-case hex characters.
    package let value: String

    /// The issuing region (characters 1–6).
    package let region: RegionCode

    /// Parses a card identification code.
    ///
    /// - Throws: `wrongLength`, `invalidCharacter` or `invalidRegion`.
    package init(_ string: String) throws(IdentifierError) {
        let bytes = try IdentifierText.asciiBytes(
            of: string, lengths: 32...32, kind: "a card identification code", expected: "32 hex characters"
        ).map(IdentifierText.uppercased)
        for (index, byte) in bytes.enumerated() {
            let isHex = IdentifierText.isDigit(byte) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "F"))
            guard isHex else {
                throw .invalidCharacter(
                    "card identification code: position \(index + 1) is \(IdentifierText.describe(byte)), not a hex digit")
            }
        }
        do {
            try RegionCode.check(bytes[0..<6], field: "card identification code region", offset: 0)
        } catch {
            // A hex letter in the region is a bad region, not a bad hex character.
            throw .invalidRegion(error.reason)
        }
        self.value = IdentifierText.string(bytes)
        self.region = RegionCode(checkedBytes: bytes[0..<6])
    }

    /// Parses a code, returning `nil` when it is not valid.
    package init?(validating string: String) {
        guard let code = try? CardIdentificationCode(string) else { return nil }
        self = code
    }

    /// The issuing region code (characters 1–6) as a string.
    package var regionCode: String { region.value }
}

extension CardIdentificationCode: CustomStringConvertible {
    /// The clear code.
    package var description: String { value }
}

extension CardIdentificationCode: Codable {
    /// Decodes the 32-character string.
    package init(from decoder: any Decoder) throws {
        self = try IdentifierCoding.decode(from: decoder) { (string) throws(IdentifierError) in
            try CardIdentificationCode(string)
        }
    }

    /// Encodes the 32-character string.
    package func encode(to encoder: any Encoder) throws {
        try IdentifierCoding.encode(value, to: encoder)
    }
}
