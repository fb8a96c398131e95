internal import COpenSSL

/// A parsed public key: parsed once, then used for any number of verifications without
/// touching PEM or DER again.
///
/// Equality and hashing use the DER SubjectPublicKeyInfo.
public struct PublicKey: Sendable, Hashable, CustomStringConvertible {
    /// The algorithm this key verifies.
    public let algorithm: SignatureAlgorithm
    /// The DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7).
    public let subjectPublicKeyInfo: [UInt8]
    /// The key id: first 8 bytes of SHA-256 over `subjectPublicKeyInfo`.
    public let keyID: KeyID
    /// SHA-256 over `subjectPublicKeyInfo` (32 bytes).
    public let fingerprint: [UInt8]
    /// For a key read from an X.509 certificate: the first 8 bytes of SHA-256 over the
    /// certificate's DER, which is how the EU DCC defines `kid` (eHealth Network hcert
    /// specification, Appendix A "The Key Identifier (KIDs)"). `nil` otherwise.
    public private(set) var certificateKeyID: KeyID?

    let key: EVPKey
    /// The initialised verification context, copied for each verification.
    let verifier: SignatureContext

    /// Wraps an OpenSSL key already owned by an `EVPKey`.
    init(key: EVPKey) throws {
        guard let algorithm = key.algorithm else {
            throw SigningError(.unsupportedAlgorithm, "the key is not SM2, P-256, Ed25519 or RSA")
        }
        let spki = try key.subjectPublicKeyInfoDER()
        self.algorithm = algorithm
        self.subjectPublicKeyInfo = spki
        self.fingerprint = Digest.sha256(spki)
        self.keyID = KeyID(bytes: Array(fingerprint.prefix(KeyID.length)))
        self.key = key
        self.verifier = try SignatureContext(key: key, algorithm: algorithm, signing: false)
    }

    /// Parses a DER SubjectPublicKeyInfo.
    /// - Throws: `SigningError.malformedKey` if it is not one; `.unsupportedAlgorithm` for other key types.
    public init(subjectPublicKeyInfo der: [UInt8]) throws {
        let parsed: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PUBKEY(nil, &cursor, buffer.count)
        }
        guard let parsed else { throw OpenSSLErrorQueue.error(.malformedKey, "not a DER SubjectPublicKeyInfo") }
        try self.init(key: EVPKey(takingOwnershipOf: parsed))
        // d2i accepts a prefix; the key must be exactly these bytes, nothing more.
        guard subjectPublicKeyInfo == der else {
            throw SigningError(.malformedKey, "the SubjectPublicKeyInfo is not canonical DER or has trailing bytes")
        }
    }

    /// Reads a public key from a file's bytes: a PEM `PUBLIC KEY` or `CERTIFICATE`, or DER
    /// SubjectPublicKeyInfo or X.509 certificate.
    /// - Throws: `SigningError.malformedKey` when it is none of these.
    public init(contentsOf bytes: [UInt8]) throws {
        if let block = PEMBlock.first(in: bytes) {
            switch block.label {
            case "PUBLIC KEY": try self.init(subjectPublicKeyInfo: block.der)
            case "CERTIFICATE": try self.init(certificateDER: block.der)
            case let label where label.hasSuffix("PRIVATE KEY"):
                throw SigningError(.malformedKey, "this is a private key (\(label)); give the public key (.pub.pem) instead")
            case let label:
                throw SigningError(.malformedKey, "a PEM \(label) is not a public key or certificate")
            }
        } else if let key = try? PublicKey(subjectPublicKeyInfo: bytes) {
            self = key
        } else {
            try self.init(certificateDER: bytes)
        }
    }

    /// Takes the subject public key of a DER X.509 certificate (the certificate itself is not
    /// validated: trust comes from Zhucan's trust list, not from X.509 chains).
    /// - Throws: `SigningError.malformedKey` if it is not a certificate.
    public init(certificateDER der: [UInt8]) throws {
        let certificate: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509(nil, &cursor, buffer.count)
        }
        guard let certificate else {
            throw OpenSSLErrorQueue.error(.malformedKey, "not a public key or X.509 certificate (PEM or DER)")
        }
        defer { X509_free(certificate) }
        // get1: we own the returned key.
        guard let key = X509_get_pubkey(certificate) else {
            throw OpenSSLErrorQueue.error(.malformedKey, "the certificate's public key cannot be read")
        }
        try self.init(key: EVPKey(takingOwnershipOf: key))
        certificateKeyID = KeyID(subjectPublicKeyInfo: der)
    }

    /// Whether `keyID` names this key: its SPKI key id, or for a key from a certificate, the
    /// certificate's DCC-style key id.
    public func isNamed(by keyID: KeyID) -> Bool {
        self.keyID == keyID || certificateKeyID == keyID
    }

    /// The PEM `PUBLIC KEY` text (RFC 7468 §13).
    public var pemRepresentation: String {
        PEMBlock(label: "PUBLIC KEY", der: subjectPublicKeyInfo).text
    }

    /// Whether `signature` is a valid signature of this key over `message`.
    ///
    /// Never throws: a signature of the wrong length or encoding is simply not valid. A raw
    /// SM2 / ES256 / Ed25519 signature must be exactly 64 bytes; anything else is rejected
    /// before OpenSSL sees it.
    public func isValidSignature(
        _ signature: [UInt8],
        for message: some Sequence<UInt8>,
        format: SignatureFormat = .raw
    ) -> Bool {
        let native: [UInt8]
        switch (algorithm, format) {
        case (.sm2, .raw), (.es256, .raw):
            guard signature.count == 64, let der = try? ECDSASignature.der(fromRaw: signature) else { return false }
            native = der
        case (.sm2, .der), (.es256, .der):
            // Strict DER only: OpenSSL's ECDSA verify re-encodes to reject BER, but its SM2
            // verify does not, so every DER signature passes the canonical check first.
            guard (try? ECDSASignature.raw(fromDER: signature)) != nil else { return false }
            native = signature
        case (.ed25519, .raw):
            guard signature.count == 64 else { return false }
            native = signature
        case (.ps256, .raw):
            native = signature
        case (.ed25519, .der), (.ps256, .der):
            return false
        }
        let contiguous = message.withContiguousStorageIfAvailable { verify(native, UnsafeRawBufferPointer($0)) }
        return contiguous ?? Array(message).withUnsafeBytes { verify(native, $0) }
    }

    private func verify(_ native: [UInt8], _ message: UnsafeRawBufferPointer) -> Bool {
        native.withUnsafeBytes { verifier.verify($0, message: message) }
    }

    /// Verifies a raw SM2 signature under another distinguishing ID than the standard one:
    /// for tests that show the ID is used.
    package func isValidSM2Signature(_ raw: [UInt8], for message: [UInt8], distinguishingID: [UInt8]) -> Bool {
        guard algorithm == .sm2, let der = try? ECDSASignature.der(fromRaw: raw),
            let verifier = try? SignatureContext(key: key, algorithm: .sm2, signing: false, distinguishingID: distinguishingID)
        else { return false }
        return der.withUnsafeBytes { signature in message.withUnsafeBytes { verifier.verify(signature, message: $0) } }
    }

    public var description: String { "\(algorithm) public key \(keyID)" }

    public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
        lhs.subjectPublicKeyInfo == rhs.subjectPublicKeyInfo
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(subjectPublicKeyInfo) }
}
