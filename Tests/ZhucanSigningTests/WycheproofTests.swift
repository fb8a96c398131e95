import Foundation
import Testing
import ZhucanSigning
import ZhucanTesting

/// Wycheproof (C2SP/wycheproof `testvectors_v1/`), read unmodified from the shared vectors.
///
/// `acceptable` cases (none in the current files) would be allowed either answer: Wycheproof
/// uses it for inputs a strict implementation may reject; Zhucan is strict, so such a case
/// is only reported, not asserted.
@Suite("Wycheproof", .enabled(if: TestVectors.shouldRun))
struct WycheproofTests {
    struct File: Decodable {
        struct Group: Decodable {
            let publicKeyDer: String
            let tests: [Case]
        }
        struct Case: Decodable {
            let tcId: Int
            let comment: String
            let msg: String
            let sig: String
            let result: String
        }
        let numberOfTests: Int
        let testGroups: [Group]
    }

    static func check(_ name: String, format: SignatureFormat, algorithm: SignatureAlgorithm) throws {
        let file = try JSONDecoder().decode(File.self, from: TestVectors.data("wycheproof/\(name)"))
        var checked = 0
        for group in file.testGroups {
            let key = try PublicKey(subjectPublicKeyInfo: try #require(Hex.decode(group.publicKeyDer)))
            #expect(key.algorithm == algorithm)
            for test in group.tests {
                let message = try #require(Hex.decode(test.msg))
                let signature = try #require(Hex.decode(test.sig))
                let valid = key.isValidSignature(signature, for: message, format: format)
                switch test.result {
                case "valid":
                    #expect(valid, "tcId \(test.tcId) (\(test.comment)) should verify")
                case "invalid":
                    #expect(!valid, "tcId \(test.tcId) (\(test.comment)) should not verify")
                default:
                    print("Wycheproof \(name) tcId \(test.tcId) acceptable: Zhucan says \(valid ? "valid" : "invalid")")
                }
                checked += 1
            }
        }
        #expect(checked == file.numberOfTests)
    }

    @Test("ECDSA P-256 SHA-256, raw r‖s (P1363)")
    func p1363() throws {
        try Self.check("ecdsa_secp256r1_sha256_p1363_test.json", format: .raw, algorithm: .es256)
    }

    @Test("ECDSA P-256 SHA-256, DER")
    func der() throws {
        try Self.check("ecdsa_secp256r1_sha256_test.json", format: .der, algorithm: .es256)
    }

    @Test("Ed25519")
    func ed25519() throws {
        try Self.check("ed25519_test.json", format: .raw, algorithm: .ed25519)
    }
}
