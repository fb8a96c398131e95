/// The card number (卡号) printed on a social-security card (社会保障卡).
///
/// The card specification publishes no check character, so the rule enforced is structural:
/// exactly 9 characters of `0`–`9`/`A`–`Z`, with lower-case letters normalised to upper case.
/// (The social-security *number* is the holder's ``CitizenIDNumber``, 社会保险法 Art. 58.)
package struct SocialSecurityCardNumber: Hashable, Sendable {
    /// The 9 upper-case characters.
    package let value: String

    /// Parses a card number.
    ///
    /// - Throws: `wrongLength` or `invalidCharacter`.
    package init(_ string: String) throws(IdentifierError) {
        let bytes = try IdentifierText.asciiBytes(
            of: string, lengths: 9...9, kind: "a social-security card number", expected: "9 characters"
        ).map(IdentifierText.uppercased)
        for (index, byte) in bytes.enumerated() where ISO7064.mod37_36Value(byte) == nil {
            throw .invalidCharacter(
                "social-security card number: position \(index + 1) is \(IdentifierText.describe(byte)), not 0–9 or A–Z")
        }
        self.value = IdentifierText.string(bytes)
    }

    /// Parses a card number, returning `nil` when it is not valid.
    package init?(validating string: String) {
        guard let number = try? SocialSecurityCardNumber(string) else { return nil }
        self = number
    }

    /// The number with all but its first and last 2 characters replaced by `*`, e.g. `A1*****89`.
    package var masked: String {
        IdentifierText.mask(value, keepFirst: 2, keepLast: 2)
    }
}

extension SocialSecurityCardNumber: CustomStringConvertible {
    /// The clear card number: like a certificate number it is a reference that operators
    /// search by; use ``masked`` where a third party sees it.
    package var description: String { value }
}

extension SocialSecurityCardNumber: Codable {
    /// Decodes the 9-character string.
    package init(from decoder: any Decoder) throws {
        self = try IdentifierCoding.decode(from: decoder) { (string) throws(IdentifierError) in
            try SocialSecurityCardNumber(string)
        }
    }

    /// Encodes the 9-character string.
    package func encode(to encoder: any Encoder) throws {
        try IdentifierCoding.encode(value, to: encoder)
    }
}
