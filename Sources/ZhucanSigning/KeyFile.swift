/// What a key file holds: a private key, a public key, or an X.509 certificate's public key.
public struct KeyFile: Sendable {
    /// The kinds of key file Zhucan reads.
    public enum Kind: String, Sendable {
        /// PKCS#8 private key (RFC 5958), PEM or DER.
        case privateKey = "private key (PKCS#8)"
        /// Encrypted PKCS#8 private key (RFC 5958 §3), PEM or DER.
        case encryptedPrivateKey = "encrypted private key (PKCS#8)"
        /// SubjectPublicKeyInfo (RFC 5280 §4.1.2.7), PEM or DER.
        case publicKey = "public key (SubjectPublicKeyInfo)"
        /// X.509 certificate (RFC 5280), PEM or DER: only its public key is used.
        case certificate = "X.509 certificate"
    }

    /// What the file held.
    public let kind: Kind
    /// The public key (of the private key, or in the certificate).
    public let publicKey: PublicKey
    /// The private key, for private key files.
    public let privateKey: PrivateKey?

    /// Reads any key file Zhucan understands.
    /// - Parameter passphrase: for an encrypted private key.
    /// - Throws: `SigningError` (`.malformedKey`, `.passphraseRequired`, `.wrongPassphrase`, …).
    public init(contentsOf bytes: [UInt8], passphrase: Passphrase? = nil) throws {
        let label = PEMBlock.first(in: bytes)?.label
        let looksPrivate = label?.hasSuffix("PRIVATE KEY") ?? ((try? PublicKey(contentsOf: bytes)) == nil)
        if looksPrivate {
            let privateKey = try PrivateKey(contentsOf: bytes, passphrase: passphrase)
            self.privateKey = privateKey
            self.publicKey = privateKey.publicKey
            // From the file alone, not from whether a passphrase was given: a plain key read
            // with one is still a plain key.
            let isEncrypted = label.map { $0 == "ENCRYPTED PRIVATE KEY" } ?? PrivateKey.isEncryptedPKCS8(bytes)
            self.kind = isEncrypted ? .encryptedPrivateKey : .privateKey
        } else {
            self.privateKey = nil
            self.publicKey = try PublicKey(contentsOf: bytes)
            let isCertificate = label.map { $0 == "CERTIFICATE" }
                ?? ((try? PublicKey(subjectPublicKeyInfo: bytes)) == nil)
            self.kind = isCertificate ? .certificate : .publicKey
        }
    }
}
