import Testing
import ZhucanSigning

@Suite("Keys: generate, export, import, sign, verify")
struct KeyRoundTripTests {
    static let message: [UInt8] = Array("助残 electronic disability certificate".utf8)

    @Test(arguments: SignatureAlgorithm.signing)
    func roundTripWithoutPassphrase(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let imported = try PrivateKey(contentsOf: try key.pemRepresentation())
        #expect(imported.publicKey == key.publicKey)
        #expect(imported.algorithm == algorithm)

        let publicKey = try PublicKey(contentsOf: Array(key.publicKey.pemRepresentation.utf8))
        let signature = try imported.signature(for: Self.message)
        #expect(signature.count == 64)
        #expect(publicKey.isValidSignature(signature, for: Self.message))

        var tampered = signature
        tampered[10] ^= 0x40
        #expect(!publicKey.isValidSignature(tampered, for: Self.message))
        #expect(!publicKey.isValidSignature(signature, for: Self.message + [0]))
    }

    @Test(arguments: SignatureAlgorithm.signing)
    func roundTripWithPassphrase(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let pem = try key.pemRepresentation(passphrase: Passphrase("correct horse 马"))
        #expect(String(decoding: pem, as: UTF8.self).hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----"))

        let imported = try PrivateKey(contentsOf: pem, passphrase: Passphrase("correct horse 马"))
        #expect(imported.publicKey == key.publicKey)
        #expect(key.publicKey.isValidSignature(try imported.signature(for: Self.message), for: Self.message))

        #expect(throws: SigningError(.wrongPassphrase, "")) {
            try PrivateKey(contentsOf: pem, passphrase: Passphrase("wrong horse"))
        }
        #expect(throws: SigningError(.passphraseRequired, "")) {
            try PrivateKey(contentsOf: pem)
        }
    }

    @Test(arguments: [SignatureAlgorithm.sm2, .es256])
    func derSignaturesVerifyAndConvert(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let der = try key.signature(for: Self.message, format: .der)
        #expect(key.publicKey.isValidSignature(der, for: Self.message, format: .der))
        let raw = try ECDSASignature.raw(fromDER: der)
        #expect(key.publicKey.isValidSignature(raw, for: Self.message, format: .raw))
        #expect(try ECDSASignature.der(fromRaw: raw) == der)
        // A raw signature given as DER, or DER as raw, is not valid.
        #expect(!key.publicKey.isValidSignature(raw, for: Self.message, format: .der))
        #expect(!key.publicKey.isValidSignature(der, for: Self.message, format: .raw))
    }

    @Test func ed25519HasNoDERForm() throws {
        let key = try PrivateKey.generate(.ed25519)
        #expect(throws: SigningError(.unsupportedOperation, "")) {
            try key.signature(for: Self.message, format: .der)
        }
    }

    @Test func keyIDIsTheFirstEightBytesOfTheSPKIHash() throws {
        let key = try PrivateKey.generate(.es256).publicKey
        #expect(key.fingerprint == Digest.sha256(key.subjectPublicKeyInfo))
        #expect(key.keyID.bytes == Array(key.fingerprint.prefix(8)))
        #expect(key.keyID.hex.count == 16)
    }

    @Test func malformedKeysAreClearErrors() throws {
        #expect(throws: SigningError(.malformedKey, "")) { try PublicKey(contentsOf: Array("not a key".utf8)) }
        #expect(throws: SigningError(.malformedKey, "")) { try PublicKey(subjectPublicKeyInfo: [0x30, 0x03, 0x02, 0x01]) }
        #expect(throws: SigningError(.malformedKey, "")) { try PrivateKey(contentsOf: Array("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".utf8)) }
        let privatePEM = try PrivateKey.generate(.ed25519).pemRepresentation()
        #expect(throws: SigningError(.malformedKey, "")) { try PublicKey(contentsOf: privatePEM) }
        let spki = try PrivateKey.generate(.ed25519).publicKey.subjectPublicKeyInfo
        #expect(throws: SigningError(.malformedKey, "")) { try PublicKey(subjectPublicKeyInfo: spki + [0]) }
    }

    @Test func descriptionsNeverShowKeyMaterial() throws {
        let key = try PrivateKey.generate(.sm2)
        #expect("\(key)" == "SM2-SM3 private key \(key.publicKey.keyID)")
    }

    @Test func digestsMatchKnownAnswers() {
        // FIPS 180-4 "abc"; GB/T 32905-2016 Appendix A.1 "abc".
        #expect(Hexadecimal.encode(Digest.sha256(Array("abc".utf8)))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hexadecimal.encode(Digest.sm3(Array("abc".utf8)))
            == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0")
    }
}
