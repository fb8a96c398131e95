internal import COpenSSL

/// A parsed private key for SM2, ES256 or Ed25519: parsed once, then used for any number of
/// signatures.
///
/// Private key material lives only inside OpenSSL, which clears it when the last copy of this
/// value is released. `description` never shows it.
public struct PrivateKey: Sendable, CustomStringConvertible {
    /// The algorithm this key signs with.
    public let algorithm: SignatureAlgorithm
    /// The matching public key.
    public let publicKey: PublicKey

    let key: EVPKey
    let signer: Signer

    /// How a key signs.
    enum Signer: Sendable {
        /// ES256: from a pool of reused contexts, hashing with SHA-256 first.
        case pooled(ES256Signer)
        /// SM2 and Ed25519: from a copy of an initialised template, in OpenSSL's native encoding.
        /// (SM2's template has Z_A absorbed already; Ed25519 hashes inside the signature.)
        case template(SignatureContext)
    }

    private init(key: EVPKey) throws {
        let publicKey = try PublicKey(key: key)
        guard publicKey.algorithm.canSign else {
            throw SigningError(.unsupportedAlgorithm, "\(publicKey.algorithm) keys are supported for verification only")
        }
        self.algorithm = publicKey.algorithm
        self.publicKey = publicKey
        self.key = key
        self.signer = publicKey.algorithm == .es256
            ? .pooled(try ES256Signer(key: key))
            : .template(try SignatureContext(key: key, algorithm: publicKey.algorithm, signing: true))
    }

    /// Generates a new key.
    /// - Throws: `SigningError.unsupportedAlgorithm` for PS256 (verification only).
    public static func generate(_ algorithm: SignatureAlgorithm) throws -> PrivateKey {
        let generated: OpaquePointer? = switch algorithm {
        case .sm2: zhucan_generate_key("SM2", nil)
        case .es256: zhucan_generate_key("EC", "P-256")
        case .ed25519: zhucan_generate_key("ED25519", nil)
        case .ps256: nil
        }
        guard algorithm.canSign else {
            throw SigningError(.unsupportedAlgorithm, "Zhucan does not generate \(algorithm) keys")
        }
        guard let generated else { throw OpenSSLErrorQueue.error("cannot generate a \(algorithm) key") }
        return try PrivateKey(key: EVPKey(takingOwnershipOf: generated))
    }

    /// Reads a PKCS#8 private key (RFC 5958), PEM or DER, encrypted or not.
    /// - Parameters:
    ///   - bytes: the file's bytes; the caller should clear them after the call.
    ///   - passphrase: needed only for an encrypted key.
    /// - Throws: `SigningError.passphraseRequired`, `.wrongPassphrase`, `.malformedKey`, or
    ///   `.unsupportedAlgorithm`.
    public init(contentsOf bytes: [UInt8], passphrase: Passphrase? = nil) throws {
        let block = PEMBlock.first(in: bytes)
        if let block, !block.label.hasSuffix("PRIVATE KEY") {
            throw SigningError(.malformedKey, "a PEM \(block.label) is not a private key")
        }
        let isEncrypted = block?.label == "ENCRYPTED PRIVATE KEY" || (block == nil && Self.isEncryptedPKCS8(bytes))
        if isEncrypted && passphrase == nil {
            throw SigningError(.passphraseRequired, "the private key is encrypted: give its passphrase (--passphrase-file)")
        }
        let parsed = try MemoryBIO.withReading(bytes) { bio in
            Self.withCPassphrase(passphrase) { cPassphrase in
                switch (block, isEncrypted) {
                case (nil, true): zhucan_read_encrypted_private_key_der(bio.pointer, cPassphrase)
                case (nil, false): zhucan_read_plain_private_key_der(bio.pointer)
                case (_?, _): zhucan_read_private_key(bio.pointer, cPassphrase)
                }
            }
        }
        guard let parsed else {
            if isEncrypted {
                throw OpenSSLErrorQueue.error(.wrongPassphrase, "wrong passphrase, or the key file is damaged")
            }
            throw OpenSSLErrorQueue.error(.malformedKey, "not a PKCS#8 private key (PEM or DER)")
        }
        OpenSSLErrorQueue.clear()
        try self.init(key: EVPKey(takingOwnershipOf: parsed))
    }

    /// The PEM PKCS#8 encoding: `PRIVATE KEY`, or with a passphrase `ENCRYPTED PRIVATE KEY`
    /// (PBES2, scrypt N=16384 r=8 p=1 as `openssl pkcs8 -scrypt` uses, AES-256-CBC).
    ///
    /// The returned bytes are secret: write them to a 0600 file and clear them (see
    /// `write(toNewFileAt:passphrase:)`, which does both).
    public func pemRepresentation(passphrase: Passphrase? = nil) throws -> [UInt8] {
        let bio = try MemoryBIO.forWriting()
        let written: Int32 = try key.withUnsafePointer { key in
            guard let passphrase else {
                return PEM_write_bio_PKCS8PrivateKey(bio.pointer, key, nil, nil, 0, nil, nil)
            }
            // RFC 8018 §6.2 PBES2 with RFC 7914 scrypt; set0 gives `algorithm` to `encrypted`.
            guard let info = EVP_PKEY2PKCS8(key) else { throw OpenSSLErrorQueue.error("cannot encode PKCS#8") }
            defer { PKCS8_PRIV_KEY_INFO_free(info) }
            guard let algorithm = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), nil, 0, nil, 16384, 8, 1) else {
                throw OpenSSLErrorQueue.error("cannot set up scrypt encryption")
            }
            let encrypted = passphrase.withUnsafeBytes { bytes in
                bytes.withMemoryRebound(to: CChar.self) {
                    PKCS8_set0_pbe($0.baseAddress, Int32($0.count), info, algorithm)
                }
            }
            guard let encrypted else {
                X509_ALGOR_free(algorithm)
                throw OpenSSLErrorQueue.error("cannot encrypt the private key")
            }
            defer { X509_SIG_free(encrypted) }
            return PEM_write_bio_PKCS8(bio.pointer, encrypted)
        }
        guard written == 1 else { throw OpenSSLErrorQueue.error("cannot write the private key") }
        return bio.contents()
    }

    /// Signs `message`.
    ///
    /// ES256 and SM2 signatures are randomised: two signatures of one message differ, and both verify.
    /// - Parameter format: `.raw` (r‖s, 64 bytes; Ed25519's 64 bytes) or `.der` (SM2 and ES256 only).
    /// - Throws: `SigningError.unsupportedOperation` for `.der` with Ed25519; `.openSSL` if OpenSSL fails.
    @inlinable
    public func signature(for message: some Sequence<UInt8>, format: SignatureFormat = .raw) throws -> [UInt8] {
        // Inlinable, so that a caller's contiguous message reaches the non-generic core without
        // the unspecialised generic path across the module boundary.
        if let signature = try message.withContiguousStorageIfAvailable({
            try signature(forBytes: UnsafeRawBufferPointer($0), format: format)
        }) {
            return signature
        }
        return try Array(message).withUnsafeBytes { try signature(forBytes: $0, format: format) }
    }

    /// Signs the bytes of `message`: the non-generic core of `signature(for:format:)`.
    @usableFromInline
    func signature(forBytes message: UnsafeRawBufferPointer, format: SignatureFormat) throws -> [UInt8] {
        switch signer {
        case .pooled(let signer):
            return try signer.sign(message, format: format)
        case .template(let signer):
            if algorithm == .ed25519 && format == .der {
                throw SigningError(.unsupportedOperation, "Ed25519 signatures have no DER form")
            }
            let native = try signer.sign(message)
            return algorithm == .sm2 && format == .raw ? try ECDSASignature.raw(fromDER: native) : native
        }
    }

    /// The pool an ES256 key signs from (`nil` for other algorithms): for tests that watch it
    /// and for the benchmark's prehashed diagnostic row.
    package var es256Signer: ES256Signer? {
        guard case .pooled(let signer) = signer else { return nil }
        return signer
    }

    public var description: String { "\(algorithm) private key \(publicKey.keyID)" }

    /// Runs `body` with a C passphrase (or NULL), which never prompts on a terminal.
    private static func withCPassphrase<Result>(
        _ passphrase: Passphrase?,
        _ body: (UnsafePointer<zhucan_passphrase>) throws -> Result
    ) rethrows -> Result {
        guard let passphrase else {
            var none = zhucan_passphrase(bytes: nil, length: 0)
            return try body(&none)
        }
        return try passphrase.withUnsafeBytes { bytes in
            var c = zhucan_passphrase(bytes: bytes.baseAddress, length: bytes.count)
            return try body(&c)
        }
    }

    /// Whether DER `bytes` look like an `EncryptedPrivateKeyInfo` (RFC 5958 §3): a SEQUENCE
    /// whose first element is a SEQUENCE (the algorithm), where `PrivateKeyInfo` starts with
    /// an INTEGER (the version).
    static func isEncryptedPKCS8(_ bytes: [UInt8]) -> Bool {
        guard bytes.count > 4, bytes[0] == 0x30 else { return false }
        var index = 1
        if bytes[index] & 0x80 != 0 { index += Int(bytes[index] & 0x7F) }
        index += 1
        return index < bytes.count && bytes[index] == 0x30
    }
}
