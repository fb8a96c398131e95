import Foundation
import Testing
import ZhucanIdentifiers
import ZhucanTesting

@Suite("E-licence identifier (GB/T 36904-2018)")
struct ELicenseIdentifierTests {
    static let realExample = "1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.0"

    @Test func realExampleVerifies() throws {
        let identifier = try ELicenseIdentifier(Self.realExample)
        #expect(identifier.typeCode == "11100000000013338W009")
        #expect(identifier.definingAuthority.value == "11100000000013338W")
        #expect(identifier.issuer.value == "11330105002500287C")
        #expect(identifier.issuer.regionCode == "330105")
        #expect(identifier.serial == "2025052201")
        #expect(identifier.version == 2)
        #expect(identifier.checkCharacter == "0")
        #expect(identifier.value == Self.realExample)
        #expect(identifier.description == Self.realExample)
        #expect(try jsonRoundTrip(identifier) == identifier)
    }

    @Test func generatorReproducesTheRealExample() throws {
        let identifier = try ELicenseIdentifier(
            typeCode: "11100000000013338W009",
            issuer: UnifiedSocialCreditCode("11330105002500287C"),
            serial: "2025052201",
            version: 2)
        #expect(identifier.value == Self.realExample)
    }

    /// The unparsed builder a verifier uses for compact codes writes what the parser accepts,
    /// for every version, and refuses what the parser would.
    @Test func textAgreesWithTheParser() throws {
        for version in [0, 1, 2, 9, 10, 99, 100, 999] {
            for serial in ["2025052201", "20261203000001", "A", "ZZZZ9"] {
                let text = try #require(ELicenseIdentifier.text(
                    typeCode: "11100000000013338W009", issuer: "11330105002500287C", serial: serial, version: version))
                let parsed = try ELicenseIdentifier(text)
                #expect(parsed.serial == serial && parsed.version == version)
            }
        }
        #expect(ELicenseIdentifier.text(typeCode: "11100000000013338W009", issuer: "11330105002500287C", serial: "2025052201", version: 2)
            == Self.realExample)
        #expect(ELicenseIdentifier.text(typeCode: "11100000000013338W009", issuer: "11330105002500287C", serial: "1", version: 1000) == nil)
        #expect(ELicenseIdentifier.text(typeCode: "11100000000013338W009", issuer: "11330105002500287C", serial: "20.25", version: 1) == nil)
        #expect(ELicenseIdentifier.text(typeCode: "11100000000013338W009", issuer: "11330105002500287C", serial: "abc", version: 1) == nil)
    }

    @Test func everySingleSubstitutionIsRejected() {
        let alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ."
        let variants = singleSubstitutions(of: Self.realExample, alphabet: alphabet)
        #expect(variants.count == Self.realExample.count * 36)
        var caught = 0
        for (position, variant) in variants {
            if (try? ELicenseIdentifier(variant)) == nil {
                caught += 1
            } else {
                Issue.record("substitution at position \(position) accepted: \(variant)")
            }
        }
        #expect(caught == variants.count)
    }

    @Test func substitutionsInTheSerialAreCaughtByTheCheckAlone() {
        // The serial is covered only by MOD 37,36, so these show the hybrid system's own power.
        let serialStart = Self.realExample.count - "2025052201.002.0".count
        var caught = 0
        var total = 0
        for (position, variant) in singleSubstitutions(of: Self.realExample, alphabet: "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        where position > serialStart && position <= serialStart + 10 {
            total += 1
            let error = identifierError { () throws(IdentifierError) in _ = try ELicenseIdentifier(variant) }
            if error?.code == .badCheckCharacter { caught += 1 }
        }
        #expect(total == 10 * 35)
        #expect(caught == total)
    }

    @Test func badCheckNamesExpected() {
        let error = identifierError { () throws(IdentifierError) in
            _ = try ELicenseIdentifier(String(Self.realExample.dropLast()) + "1")
        }
        #expect(error?.code == .badCheckCharacter)
        #expect(error?.reason.contains("expected '0'") == true)
        #expect(error?.reason.contains("position \(Self.realExample.count)") == true)
    }

    @Test("malformed identifiers", arguments: [
        ("1.2.156.3005.3.11100000000013338W009.11330105002500287C.2025052201.002.0", "invalidFormat"),
        ("1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.0020", "invalidFormat"),
        ("1.2.156.3005.2.11100000000013338W09.11330105002500287C.2025052201.002.0", "wrongLength"),
        ("1.2.156.3005.2.11100000000013338W009.11330105002500287.2025052201.002.0", "wrongLength"),
        ("1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.02.0", "wrongLength"),
        ("1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.00A.0", "invalidCharacter"),
        ("1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025-52201.002.0", "invalidCharacter"),
        ("1.2.156.3005.2.11100000000013338W009.11330105002500287C..002.0", "wrongLength"),
        ("1.2.156.3005.2.11100000000013338X009.11330105002500287C.2025052201.002.0", "badCheckCharacter"),
        ("1.2.156.3005.2.11100000000013338W009.11330105002500287D.2025052201.002.0", "badCheckCharacter"),
        ("1.2.156.3005.2.11100000000013338W009.11330105002500287C.2025052201.002.00", "wrongLength"),
        ("", "wrongLength"),
    ])
    func malformed(_ string: String, _ code: String) {
        let error = identifierError { () throws(IdentifierError) in _ = try ELicenseIdentifier(string) }
        #expect(error.map { "\($0.code)" } == code)
    }

    /// Parts put together without a parse make the identifier the parser makes of their text;
    /// a type code whose ministry code fails its GB 32100 check is refused all the same.
    @Test func partsAgreeWithTheParser() throws {
        let issuer = try UnifiedSocialCreditCode("11330105002500287C")
        for version in [0, 2, 10, 999] {
            for serial in ["2025052201", "A", "ZZZZ9", String(repeating: "9", count: 32)] {
                let built = try ELicenseIdentifier(typeCode: "11100000000013338W009", issuer: issuer, serial: serial, version: version)
                #expect(try ELicenseIdentifier(built.value) == built)
                // Lower case takes the parse, and ends the same.
                #expect(try ELicenseIdentifier(typeCode: "11100000000013338w009", issuer: issuer, serial: serial.lowercased(), version: version) == built)
            }
        }
        #expect(identifierError { () throws(IdentifierError) in
            _ = try ELicenseIdentifier(typeCode: "11100000000013338X009", issuer: issuer, serial: "1", version: 1)
        }?.code == .badCheckCharacter)
        #expect(identifierError { () throws(IdentifierError) in
            _ = try ELicenseIdentifier(typeCode: "11100000000013338W0A9", issuer: issuer, serial: "1", version: 1)
        }?.code == .invalidCharacter)
    }

    @Test func serialLengthLimits() throws {
        let issuer = try UnifiedSocialCreditCode("11330105002500287C")
        let longest = try ELicenseIdentifier(
            typeCode: "11100000000013338W009", issuer: issuer, serial: String(repeating: "Z", count: 32), version: 999)
        #expect(try ELicenseIdentifier(longest.value) == longest)
        #expect(try ELicenseIdentifier(typeCode: "11100000000013338W009", issuer: issuer, serial: "a", version: 0).serial == "A")
        #expect(identifierError { () throws(IdentifierError) in
            _ = try ELicenseIdentifier(typeCode: "11100000000013338W009", issuer: issuer, serial: String(repeating: "1", count: 33), version: 1)
        }?.code == .wrongLength)
        #expect(identifierError { () throws(IdentifierError) in
            _ = try ELicenseIdentifier(typeCode: "11100000000013338W009", issuer: issuer, serial: "1", version: 1000)
        }?.code == .outOfRange)
        #expect(identifierError { () throws(IdentifierError) in
            _ = try ELicenseIdentifier(typeCode: "11100000000013338W009", issuer: issuer, serial: "1.2", version: 1)
        } != nil)
        #expect(identifierError { () throws(IdentifierError) in
            _ = try ELicenseIdentifier(typeCode: "11100000000013338W00", issuer: issuer, serial: "1", version: 1)
        }?.code == .wrongLength)
    }

    @Test func lowerCaseIsNormalised() throws {
        let lower = Self.realExample.lowercased()
        #expect(try ELicenseIdentifier(lower).value == Self.realExample)
    }

    @Test func generatedIdentifiersValidateAndRoundTrip() throws {
        var generator = SplitMix64(seed: 36904)
        let alphanumerics = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        let uscc = Array(UnifiedSocialCreditCode.alphabet)
        func randomUSCC() throws -> String {
            var first17 = ""
            for index in 0..<17 {
                first17.append(((2..<8).contains(index) ? Array("0123456789") : uscc).randomElement(using: &generator)!)
            }
            return first17 + String(try UnifiedSocialCreditCode.checkCharacter(for: first17))
        }
        var substitutionsChecked = 0
        for round in 0..<200 {
            let typeCode = try randomUSCC() + String(format: "%03d", Int.random(in: 0...999, using: &generator))
            let issuer = try UnifiedSocialCreditCode(randomUSCC())
            let serial = String((0..<Int.random(in: 1...32, using: &generator)).map { _ in alphanumerics.randomElement(using: &generator)! })
            let version = Int.random(in: 0...999, using: &generator)
            let identifier = try ELicenseIdentifier(typeCode: typeCode, issuer: issuer, serial: serial, version: version)
            #expect(try ELicenseIdentifier(identifier.description) == identifier)
            #expect(try jsonRoundTrip(identifier) == identifier)
            if round < 10 {
                for (position, variant) in singleSubstitutions(of: identifier.value, alphabet: String(alphanumerics) + ".") {
                    substitutionsChecked += 1
                    #expect((try? ELicenseIdentifier(variant)) == nil, "substitution at \(position) of \(identifier)")
                }
            }
        }
        #expect(substitutionsChecked > 10 * 60 * 36)
    }
}
