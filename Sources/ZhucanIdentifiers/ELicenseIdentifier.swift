/// An electronic licence identifier (电子证照标识, GB/T 36904-2018).
///
/// `1.2.156.3005.2.<type code>.<issuer>.<serial>.<version>.<check>`:
/// - `1.2.156.3005.2` is the fixed OID arc for e-licences;
/// - type code (证照类型代码): the defining ministry's USCC (18) + 3 digits, 21 characters;
/// - issuer (证照颁发机构代码): the issuing body's USCC, 18 characters;
/// - serial (顺序号): 1–32 characters of `0`–`9`/`A`–`Z`. The standard leaves its form to the
///   issuer; real identifiers use a date-based number such as `2025052201`, and 32 is this
///   module's limit;
/// - version (版本号): exactly 3 digits;
/// - check: ISO 7064 MOD 37,36 over type code, issuer, serial and version without the dots.
///
/// Both USCCs must pass the GB 32100 check. The national platform's real example (type code
/// `11100000000013338W009`, issuer `11330105002500287C`) does, so requiring it rejects nothing
/// genuine and catches more typing errors. Lower-case letters are normalised to upper case.
package struct ELicenseIdentifier: Hashable, Sendable {
    /// The e-licence OID arc every identifier starts with, including the trailing dot.
    package static let prefix = "1.2.156.3005.2."

    /// The type code (21 characters): ``definingAuthority`` followed by 3 digits.
    package let typeCode: String

    /// The USCC of the ministry that defined the licence type (type code characters 1–18).
    package let definingAuthority: UnifiedSocialCreditCode

    /// The issuing body's USCC.
    package let issuer: UnifiedSocialCreditCode

    /// The issuer's serial (1–32 characters of `0`–`9`/`A`–`Z`).
    package let serial: String

    /// The version, 0…999, written as 3 digits.
    package let version: Int

    /// The MOD 37,36 check character.
    package let checkCharacter: Character

    /// The full identifier, upper case.
    package let value: String

    static let maximumSerialLength = 32
    static let typeCodeLength = 21
    // prefix + type + . + issuer + . + serial + . + version + . + check
    static let minimumLength = 15 + 21 + 1 + 18 + 1 + 1 + 1 + 3 + 1 + 1
    static let maximumLength = minimumLength - 1 + maximumSerialLength

    /// Parses and validates an identifier.
    ///
    /// - Throws: ``IdentifierError`` with code `wrongLength`, `invalidFormat` (prefix or
    ///   number of fields), `invalidCharacter`, `invalidRegion` or `badCheckCharacter`
    ///   (of either USCC or of the whole identifier).
    package init(_ string: String) throws(IdentifierError) {
        let bytes = try IdentifierText.asciiBytes(
            of: string, lengths: ELicenseIdentifier.minimumLength...ELicenseIdentifier.maximumLength,
            kind: "an e-licence identifier",
            expected: "\(ELicenseIdentifier.minimumLength)–\(ELicenseIdentifier.maximumLength) characters"
        ).map(IdentifierText.uppercased)

        let prefix = Array(ELicenseIdentifier.prefix.utf8)
        for index in prefix.indices where bytes[index] != prefix[index] {
            throw .invalidFormat(
                "an e-licence identifier starts with \(ELicenseIdentifier.prefix) (GB/T 36904 OID arc); position \(index + 1) is \(IdentifierText.describe(bytes[index]))")
        }

        // Split the rest at dots, remembering where each field starts.
        var fields: [Range<Int>] = []
        var start = prefix.count
        for index in prefix.count..<bytes.count where bytes[index] == UInt8(ascii: ".") {
            fields.append(start..<index)
            start = index + 1
        }
        fields.append(start..<bytes.count)
        guard fields.count == 5 else {
            throw .invalidFormat(
                "an e-licence identifier has 5 dot-separated fields after the prefix (type code, issuer, serial, version, check), got \(fields.count)")
        }
        let (type, issuer, serial, version, check) = (fields[0], fields[1], fields[2], fields[3], fields[4])

        guard type.count == ELicenseIdentifier.typeCodeLength else {
            throw .wrongLength(
                "e-licence identifier: the type code at position \(type.lowerBound + 1) has 21 characters, got \(type.count)")
        }
        self.definingAuthority = try UnifiedSocialCreditCode(
            checking: bytes[type.lowerBound..<type.lowerBound + 18],
            field: "e-licence identifier type code's USCC", offset: type.lowerBound)
        for index in type.lowerBound + 18..<type.upperBound where !IdentifierText.isDigit(bytes[index]) {
            throw .invalidCharacter(
                "e-licence identifier: expected a digit at position \(index + 1) of the type code, got \(IdentifierText.describe(bytes[index]))")
        }

        guard issuer.count == 18 else {
            throw .wrongLength(
                "e-licence identifier: the issuer USCC at position \(issuer.lowerBound + 1) has 18 characters, got \(issuer.count)")
        }
        self.issuer = try UnifiedSocialCreditCode(
            checking: bytes[issuer], field: "e-licence identifier issuer USCC", offset: issuer.lowerBound)

        guard (1...ELicenseIdentifier.maximumSerialLength).contains(serial.count) else {
            throw .wrongLength(
                "e-licence identifier: the serial at position \(serial.lowerBound + 1) has 1–32 characters, got \(serial.count)")
        }
        for index in serial where ISO7064.mod37_36Value(bytes[index]) == nil {
            throw .invalidCharacter(
                "e-licence identifier: the serial allows 0–9 and A–Z; position \(index + 1) is \(IdentifierText.describe(bytes[index]))")
        }

        guard version.count == 3 else {
            throw .wrongLength(
                "e-licence identifier: the version at position \(version.lowerBound + 1) has 3 digits, got \(version.count) characters")
        }
        for index in version where !IdentifierText.isDigit(bytes[index]) {
            throw .invalidCharacter(
                "e-licence identifier: expected a digit at position \(index + 1) of the version, got \(IdentifierText.describe(bytes[index]))")
        }

        guard check.count == 1 else {
            throw .wrongLength(
                "e-licence identifier: the check field at position \(check.lowerBound + 1) has 1 character, got \(check.count)")
        }
        let actual = bytes[check.lowerBound]
        // GB/T 36904-2018: the check covers the four fields without their separating dots.
        let covered = Array(bytes[type]) + bytes[issuer] + bytes[serial] + bytes[version]
        guard let expected = ISO7064.mod37_36(covered) else {
            // Unreachable: every covered byte was checked against the alphabet above.
            throw .invalidCharacter("e-licence identifier: a covered character is outside 0–9, A–Z")
        }
        guard actual == expected else {
            throw .badCheckCharacter(
                "e-licence identifier: bad check character at position \(check.lowerBound + 1): expected \(IdentifierText.describe(expected)), got \(IdentifierText.describe(actual))")
        }

        self.typeCode = IdentifierText.string(bytes[type])
        self.serial = IdentifierText.string(bytes[serial])
        self.version = IdentifierText.number(bytes[version])
        self.checkCharacter = Character(Unicode.Scalar(actual))
        self.value = IdentifierText.string(bytes)
    }

    /// Parses an identifier, returning `nil` when it is not valid.
    package init?(validating string: String) {
        guard let identifier = try? ELicenseIdentifier(string) else { return nil }
        self = identifier
    }

    /// Builds an identifier from its parts, computing the check character.
    ///
    /// - Parameters:
    ///   - typeCode: the defining ministry's USCC followed by 3 digits.
    ///   - issuer: the issuing body.
    ///   - serial: 1–32 characters of `0`–`9`/`A`–`Z` (lower case is upper-cased).
    ///   - version: 0…999.
    /// - Throws: `outOfRange` for the version; otherwise what ``init(_:)`` throws for the parts.
    package init(typeCode: String, issuer: UnifiedSocialCreditCode, serial: String, version: Int) throws(IdentifierError) {
        guard (0...999).contains(version) else {
            throw .outOfRange("an e-licence version is 0–999, got \(version)")
        }
        // Parts in their usual form (upper case, the type code's ministry a valid USCC) are
        // put together once: a batch builds one identifier per certificate, and parsing the
        // text again was a twentieth of its work. Anything else goes through the parse, which
        // normalises case and names the position of a fault.
        if typeCode.utf8.count == Self.typeCodeLength, (1...Self.maximumSerialLength).contains(serial.utf8.count),
           typeCode.utf8.dropFirst(18).allSatisfy(IdentifierText.isDigit),
           let definingAuthority = UnifiedSocialCreditCode(validating: String(typeCode.prefix(18))),
           let text = Self.text(typeCode: typeCode, issuer: issuer.value, serial: serial, version: version),
           let check = text.last {
            self.init(
                typeCode: typeCode, definingAuthority: definingAuthority, issuer: issuer, serial: serial, version: version,
                checkCharacter: check, value: text
            )
            return
        }
        let versionDigits = String(version)
        let body = [
            typeCode, issuer.value, serial,
            String(repeating: "0", count: 3 - versionDigits.count) + versionDigits,
        ]
        // Check the parts' characters before computing; the parse below reports their
        // positions. A `?` is never a valid check character, so a bad part fails the parse.
        let covered = Array(body.joined().utf8).map(IdentifierText.uppercased)
        let check = ISO7064.mod37_36(covered).map { Character(Unicode.Scalar($0)) } ?? "?"
        try self.init(ELicenseIdentifier.prefix + body.joined(separator: ".") + "." + String(check))
    }

    private init(
        typeCode: String, definingAuthority: UnifiedSocialCreditCode, issuer: UnifiedSocialCreditCode, serial: String, version: Int,
        checkCharacter: Character, value: String
    ) {
        self.typeCode = typeCode
        self.definingAuthority = definingAuthority
        self.issuer = issuer
        self.serial = serial
        self.version = version
        self.checkCharacter = checkCharacter
        self.value = value
    }

    /// The text of the identifier with these parts, its check character computed, without
    /// parsing it again: for parts validated already (a compact code's type code and issuer
    /// come from a trust list that was checked when it was read). `nil` when a part holds a
    /// character outside `0–9`, `A–Z` or the version is outside 0…999.
    package static func text(typeCode: String, issuer: String, serial: String, version: Int) -> String? {
        let dot = UInt8(ascii: ".")
        guard (0...999).contains(version), !typeCode.utf8.contains(dot), !issuer.utf8.contains(dot), !serial.utf8.contains(dot) else {
            return nil
        }
        // Written as bytes, once: every compact code a verifier reads rebuilds its reference.
        var text: [UInt8] = []
        text.reserveCapacity(prefix.utf8.count + typeCode.utf8.count + issuer.utf8.count + serial.utf8.count + 9)
        text += prefix.utf8
        let fieldsStart = text.count
        text += typeCode.utf8
        text.append(dot)
        text += issuer.utf8
        text.append(dot)
        text += serial.utf8
        text.append(dot)
        for digit in [version / 100, version / 10 % 10, version % 10] {
            text.append(UInt8(ascii: "0") + UInt8(digit))
        }
        // GB/T 36904: the check covers the fields without their separating dots (none is in a
        // field: checked above).
        guard let check = ISO7064.mod37_36(text[fieldsStart...], skipping: UInt8(ascii: ".")) else { return nil }
        text += [UInt8(ascii: "."), check]
        return String(decoding: text, as: UTF8.self)
    }

}

extension ELicenseIdentifier: CustomStringConvertible {
    /// The full identifier: it names a licence, not its holder.
    package var description: String { value }
}

extension ELicenseIdentifier: Codable {
    /// Decodes the full identifier string.
    package init(from decoder: any Decoder) throws {
        self = try IdentifierCoding.decode(from: decoder) { (string) throws(IdentifierError) in
            try ELicenseIdentifier(string)
        }
    }

    /// Encodes the full identifier string.
    package func encode(to encoder: any Encoder) throws {
        try IdentifierCoding.encode(value, to: encoder)
    }
}
