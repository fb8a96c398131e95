import Foundation
import Testing
import ZhucanSigning
import ZhucanTesting

/// The SM2/SM3 signature example of GB/T 32918.5-2016 Annex A, distinguishing ID
/// `1234567812345678`.
@Suite("GB/T 32918.5 Annex A", .enabled(if: TestVectors.shouldRun))
struct SM2AnnexATests {
    struct Vector: Decodable {
        let publicKeySpkiDerHex: String
        let message: String
        let r: String
        let s: String
        let signatureDerHex: String
    }

    let key: PublicKey
    let message: [UInt8]
    let raw: [UInt8]
    let der: [UInt8]

    init() throws {
        let vector = try JSONDecoder().decode(Vector.self, from: TestVectors.data("sm2/gbt32918-annex-a.json"))
        key = try PublicKey(subjectPublicKeyInfo: try #require(Hex.decode(vector.publicKeySpkiDerHex)))
        message = Array(vector.message.utf8)
        raw = try #require(Hex.decode(vector.r + vector.s))
        der = try #require(Hex.decode(vector.signatureDerHex))
    }

    @Test func isAnSM2Key() {
        #expect(key.algorithm == .sm2)
    }

    @Test func verifiesRawAndDER() {
        #expect(key.isValidSignature(raw, for: message, format: .raw))
        #expect(key.isValidSignature(der, for: message, format: .der))
    }

    @Test func rawAndDERConvert() throws {
        #expect(try ECDSASignature.der(fromRaw: raw) == der)
        #expect(try ECDSASignature.raw(fromDER: der) == raw)
    }

    @Test func flippedMessageBitFails() {
        for bit in [0, 7, message.count * 8 - 1] {
            var tampered = message
            tampered[bit / 8] ^= 1 << (bit % 8)
            #expect(!key.isValidSignature(raw, for: tampered))
        }
    }

    @Test func flippedRorSFails() {
        for index in [0, 31, 32, 63] {
            var tampered = raw
            tampered[index] ^= 0x01
            #expect(!key.isValidSignature(tampered, for: message), "byte \(index)")
        }
    }

    @Test func wrongLengthFails() {
        #expect(!key.isValidSignature(Array(raw.dropLast()), for: message))
        #expect(!key.isValidSignature(raw + [0], for: message))
        #expect(!key.isValidSignature([0] + raw, for: message))
        #expect(!key.isValidSignature([], for: message))
    }

    /// The same signature under another distinguishing ID (GB/T 32918.5's own example
    /// `ALICE123@YAHOO.COM`, or OpenSSL 3.0's empty default) must not verify: this shows the
    /// ID really enters Z_A on every verification.
    @Test(arguments: ["ALICE123@YAHOO.COM", "", "1234567812345679"])
    func wrongDistinguishingIDFails(id: String) {
        #expect(key.isValidSM2Signature(raw, for: message, distinguishingID: Array("1234567812345678".utf8)))
        #expect(!key.isValidSM2Signature(raw, for: message, distinguishingID: Array(id.utf8)))
    }
}
