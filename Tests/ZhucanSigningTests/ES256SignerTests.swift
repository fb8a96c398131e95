import Foundation
import Testing
import ZhucanSigning
import ZhucanTesting

/// ES256 signing from a per-key pool of reused OpenSSL contexts (issue #2): shared by many
/// tasks at once, freed with the key, and still the randomised ECDSA that `openssl` verifies.
@Suite("ES256 signing pool")
struct ES256SignerTests {
    @Test func manyTasksSigningWithOneKeyAllVerify() async throws {
        let key = try PrivateKey.generate(.es256)
        let pool = try #require(key.es256Signer)
        let failures = try await withThrowingTaskGroup(of: [String].self) { group in
            for task in 0..<32 {
                group.addTask {
                    var failures: [String] = []
                    for round in 0..<25 {
                        let message = Array("task \(task) round \(round)".utf8)
                        let format: SignatureFormat = round.isMultiple(of: 2) ? .raw : .der
                        let signature = try key.signature(for: message, format: format)
                        if format == .raw && signature.count != 64 {
                            failures.append("task \(task) round \(round): \(signature.count)-byte raw signature")
                        }
                        if !key.publicKey.isValidSignature(signature, for: message, format: format) {
                            failures.append("task \(task) round \(round) (\(format)): does not verify")
                        }
                        if key.publicKey.isValidSignature(signature, for: message + [0], format: format) {
                            failures.append("task \(task) round \(round) (\(format)): verifies for another message")
                        }
                    }
                    return failures
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(failures.isEmpty, "\(failures.prefix(10))")
        // Every context went back, up to the pool's bound; none is made per signature.
        #expect((1...pool.maximumIdle).contains(pool.idleCount))
    }

    @Test("Signatures made concurrently verify with openssl dgst", .enabled(if: Shell.has("openssl")))
    func concurrentSignaturesVerifyWithOpenSSL() async throws {
        let key = try PrivateKey.generate(.es256)
        let folder = try TemporaryDirectory()
        try Data(key.publicKey.pemRepresentation.utf8).write(to: folder.url.appendingPathComponent("k.pub.pem"))
        let tasks = 16
        let signed = try await withThrowingTaskGroup(of: (Int, [UInt8], [UInt8]).self) { group in
            for task in 0..<tasks {
                group.addTask {
                    // Every task signs many messages so that the tasks contend for the pool;
                    // the last signature of each goes to openssl.
                    var last: (message: [UInt8], signature: [UInt8]) = ([], [])
                    for round in 0..<50 {
                        let message = Array("平湖市残联 task \(task) round \(round)\n".utf8)
                        last = (message, try key.signature(for: message, format: .der))
                    }
                    return (task, last.message, last.signature)
                }
            }
            return try await group.reduce(into: [(Int, [UInt8], [UInt8])]()) { $0.append($1) }
        }
        #expect(signed.count == tasks)
        for (task, message, signature) in signed {
            try Data(message).write(to: folder.url.appendingPathComponent("msg\(task)"))
            try Data(signature).write(to: folder.url.appendingPathComponent("sig\(task)"))
            let verified = try Shell.run(
                ["openssl", "dgst", "-sha256", "-verify", "k.pub.pem", "-signature", "sig\(task)", "msg\(task)"],
                in: folder.url
            )
            #expect(verified.status == 0, "task \(task): openssl: \(verified.text) \(verified.errorText)")
        }
    }

    @Test func releasedKeysFreeTheirPools() async throws {
        let pem = try PrivateKey.generate(.es256).pemRepresentation()
        let message = Array("助残".utf8)
        var poolsStillAlive = 0
        for _ in 0..<200 {
            weak var released: ES256Signer?
            try await {
                let key = try PrivateKey(contentsOf: pem)
                released = key.es256Signer
                // Two concurrent signers, so the pool holds more than its first context.
                async let first = key.signature(for: message)
                async let second = key.signature(for: message, format: .der)
                let (raw, der) = try await (first, second)
                #expect(key.publicKey.isValidSignature(raw, for: message))
                #expect(key.publicKey.isValidSignature(der, for: message, format: .der))
            }()
            if released != nil { poolsStillAlive += 1 }
        }
        #expect(poolsStillAlive == 0)
    }

    @Test(arguments: [SignatureFormat.raw, .der])
    func signaturesOfOneMessageDifferAndBothVerify(format: SignatureFormat) throws {
        let key = try PrivateKey.generate(.es256)
        let message = Array("one message, signed twice".utf8)
        let first = try key.signature(for: message, format: format)
        let second = try key.signature(for: message, format: format)
        // ECDSA draws a fresh nonce k for each signature (FIPS 186-5 §6.4.1), so r differs.
        #expect(first != second)
        #expect(key.publicKey.isValidSignature(first, for: message, format: format))
        #expect(key.publicKey.isValidSignature(second, for: message, format: format))
    }

    @Test func aNonContiguousMessageSignsLikeAnArray() throws {
        let key = try PrivateKey.generate(.es256)
        let message = Array("a message that is not stored contiguously".utf8)
        let signature = try key.signature(for: message.lazy.map { $0 })
        #expect(key.publicKey.isValidSignature(signature, for: message))
    }
}
