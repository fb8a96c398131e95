import Foundation
import Testing
import ZhucanIdentifiers

@Suite("Social-security card number and card identification code")
struct SocialSecurityCardTests {
    @Test func cardNumber() throws {
        let number = try SocialSecurityCardNumber("a12345678")
        #expect(number.value == "A12345678")
        #expect(number.description == "A12345678")
        #expect(number.masked == "A1*****78")
        #expect(try jsonRoundTrip(number) == number)
    }

    @Test("bad card numbers", arguments: [("A1234567", "wrongLength"), ("A123456789", "wrongLength"), ("A1234567-", "invalidCharacter"), ("A1234 567", "invalidCharacter"), ("", "wrongLength")])
    func badCardNumbers(_ string: String, _ code: String) {
        #expect(identifierError { () throws(IdentifierError) in _ = try SocialSecurityCardNumber(string) }.map { "\($0.code)" } == code)
    }

    @Test func cardIdentificationCode() throws {
        let code = try CardIdentificationCode("330482d15600000500a1b2c3d4e5f601")
        #expect(code.value == "330482D15600000500A1B2C3D4E5F601")
        #expect(code.regionCode == "330482")
        #expect(code.region == .pinghu)
        #expect(try jsonRoundTrip(code) == code)
    }

    @Test("bad card identification codes", arguments: [
        ("330482D15600000500A1B2C3D4E5F60", "wrongLength"),
        ("330482D15600000500A1B2C3D4E5F6012", "wrongLength"),
        ("330482D15600000500A1B2C3D4E5F60G", "invalidCharacter"),
        ("33048AD15600000500A1B2C3D4E5F601", "invalidRegion"),
        ("990482D15600000500A1B2C3D4E5F601", "invalidRegion"),
    ])
    func badCardIdentificationCodes(_ string: String, _ code: String) {
        #expect(identifierError { () throws(IdentifierError) in _ = try CardIdentificationCode(string) }.map { "\($0.code)" } == code)
    }
}
