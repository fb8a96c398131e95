import Foundation
import Testing
import ZhucanIdentifiers
import ZhucanTesting

@Suite("Unified social credit code (GB 32100-2015)")
struct UnifiedSocialCreditCodeTests {
    // The PRODUCT.md example and the two USCCs inside the national e-licence example.
    static let validCodes = ["91110000600037341L", "11100000000013338W", "11330105002500287C"]

    @Test("valid codes", arguments: validCodes)
    func valid(_ string: String) throws {
        let code = try UnifiedSocialCreditCode(string)
        #expect(code.value == string)
        #expect(code.description == string)
        #expect(try UnifiedSocialCreditCode.checkCharacter(for: String(string.prefix(17))) == string.last)
        #expect(try jsonRoundTrip(code) == code)
    }

    @Test func parts() throws {
        let code = try UnifiedSocialCreditCode("91110000600037341L")
        #expect(code.registrationAuthority == "9")
        #expect(code.organisationType == "1")
        #expect(code.regionCode == "110000")
        #expect(code.organisationCode == "600037341")
        #expect(code.checkCharacter == "L")
    }

    @Test func lowerCaseIsNormalised() throws {
        #expect(try UnifiedSocialCreditCode("91110000600037341l").value == "91110000600037341L")
    }

    @Test("every single-character substitution is rejected", arguments: validCodes)
    func substitutions(_ string: String) {
        let variants = singleSubstitutions(of: string, alphabet: UnifiedSocialCreditCode.alphabet)
        #expect(variants.count == 18 * 30)
        var caught = 0
        for (position, variant) in variants {
            if (try? UnifiedSocialCreditCode(variant)) == nil {
                caught += 1
            } else {
                Issue.record("substitution at position \(position) accepted")
            }
        }
        // 31 is prime and no weight is 0 mod 31, so every single substitution changes Σ mod 31.
        #expect(caught == variants.count)
    }

    @Test("letters outside the alphabet", arguments: ["I", "O", "Z", "S", "V", "-"])
    func excludedLetters(_ letter: String) {
        let error = identifierError { () throws(IdentifierError) in
            _ = try UnifiedSocialCreditCode("911100006" + letter + "0037341L")
        }
        #expect(error?.code == .invalidCharacter)
        #expect(error?.reason.contains("position 10") == true)
    }

    @Test func badCheckNamesExpected() {
        let error = identifierError { () throws(IdentifierError) in _ = try UnifiedSocialCreditCode("91110000600037341M") }
        #expect(error?.code == .badCheckCharacter)
        #expect(error?.reason.contains("expected 'L'") == true)
    }

    @Test func regionMustBeDigits() throws {
        let first17 = "911A0000600037341"
        let string = first17 + String(try UnifiedSocialCreditCode.checkCharacter(for: first17))
        #expect(identifierError { () throws(IdentifierError) in _ = try UnifiedSocialCreditCode(string) }?.code == .invalidRegion)
    }

    @Test("wrong lengths", arguments: ["", "91110000600037341", "91110000600037341LL"])
    func wrongLength(_ string: String) {
        #expect(identifierError { () throws(IdentifierError) in _ = try UnifiedSocialCreditCode(string) }?.code == .wrongLength)
    }

    @Test func generatedCodesValidateAndRoundTrip() throws {
        var generator = SplitMix64(seed: 32100)
        let alphabet = Array(UnifiedSocialCreditCode.alphabet)
        let digits = Array("0123456789")
        for _ in 0..<500 {
            var first17 = ""
            for index in 0..<17 {
                first17.append(((2..<8).contains(index) ? digits : alphabet).randomElement(using: &generator)!)
            }
            let string = first17 + String(try UnifiedSocialCreditCode.checkCharacter(for: first17))
            let code = try UnifiedSocialCreditCode(string)
            #expect(try UnifiedSocialCreditCode(code.description) == code)
            #expect(try jsonRoundTrip(code) == code)
        }
    }
}
