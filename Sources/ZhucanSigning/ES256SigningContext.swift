internal import COpenSSL

/// An `EVP_PKEY_CTX` ready to sign SHA-256 digests with one P-256 key, and the `EVP_MD_CTX`
/// that hashes each message for it: set up once, then reused for any number of signatures,
/// by one thread at a time (`ES256Signer` hands them out).
///
/// This is what `openssl speed ecdsap256` does: it signs with one initialised `EVP_PKEY_CTX`,
/// where `SignatureContext` duplicates an `EVP_MD_CTX` (and its `EVP_PKEY_CTX` and provider
/// context) and frees the copy on every signature. OpenSSL documents both reuses:
/// `EVP_PKEY_sign(3)` "can be called more than once on the same context if several operations
/// are performed using the same parameters", and `EVP_DigestInit(3)` lets
/// `EVP_DigestInit_ex2` start a new digest on a context after `EVP_DigestFinal_ex`.
///
/// Not `Sendable`: OpenSSL contexts must never be used by two threads at once.
final class ES256SigningContext {
    private let keyContext: OpaquePointer
    private let digestContext: OpaquePointer
    /// Keeps the key alive as long as `keyContext` refers to it (the context also holds its
    /// own reference; this one makes the ownership plain).
    private let key: EVPKey

    /// The largest DER `Ecdsa-Sig-Value` for P-256: `ECDSA_size()`, a SEQUENCE of two 33-byte
    /// INTEGERs. `EVP_PKEY_sign` fails if its buffer is smaller, whatever the actual length.
    private static let maximumDERLength = 72
    /// SHA-256 output length (FIPS 180-4 §6.2).
    private static let digestLength = 32

    /// Sets up signing with the P-256 `key`.
    /// - Throws: `SigningError.openSSL` if OpenSSL cannot allocate or initialise a context.
    init(key: EVPKey) throws {
        // new_from_pkey takes its own reference to the key; the context is ours to free.
        let keyContext = key.withUnsafePointer { EVP_PKEY_CTX_new_from_pkey(nil, $0, nil) }
        guard let keyContext else { throw OpenSSLErrorQueue.error("cannot allocate an ES256 EVP_PKEY_CTX") }
        // RFC 7518 §3.4: ES256 is ECDSA on P-256 over the SHA-256 digest of the message. Setting
        // the digest makes the provider refuse any input that is not exactly 32 bytes.
        guard EVP_PKEY_sign_init(keyContext) == 1,
            EVP_PKEY_CTX_set_signature_md(keyContext, MessageDigest.sha256.pointer) == 1
        else {
            EVP_PKEY_CTX_free(keyContext)
            throw OpenSSLErrorQueue.error("cannot start an ES256 signing operation")
        }
        guard let digestContext = EVP_MD_CTX_new() else {
            EVP_PKEY_CTX_free(keyContext)
            throw OpenSSLErrorQueue.error("cannot allocate EVP_MD_CTX")
        }
        self.keyContext = keyContext
        self.digestContext = digestContext
        self.key = key
    }

    deinit {
        EVP_MD_CTX_free(digestContext)
        EVP_PKEY_CTX_free(keyContext)
    }

    /// Signs the SHA-256 digest of `message` (ECDSA, FIPS 186-5 §6.4.1; the nonce is OpenSSL's,
    /// random for each signature).
    /// - Parameter format: `.raw` gives r‖s (RFC 7518 §3.4, 64 bytes); `.der` the DER
    ///   `Ecdsa-Sig-Value` (RFC 3279 §2.2.3) that `openssl dgst -sha256 -verify` reads.
    /// - Throws: `SigningError.openSSL` if OpenSSL fails; the context must then be discarded.
    func sign(_ message: UnsafeRawBufferPointer, format: SignatureFormat) throws -> [UInt8] {
        try withUnsafeTemporaryAllocation(byteCount: Self.digestLength, alignment: 1) { digest in
            try hash(message, into: digest)
            return try sign(digest: UnsafeRawBufferPointer(digest), format: format)
        }
    }

    /// Signs `digest`, a SHA-256 digest the caller computed (exactly 32 bytes).
    /// - Throws: `SigningError.openSSL` if OpenSSL fails (as it does for any other length);
    ///   the context must then be discarded.
    func sign(digest: UnsafeRawBufferPointer, format: SignatureFormat) throws -> [UInt8] {
        try withUnsafeTemporaryAllocation(byteCount: Self.maximumDERLength, alignment: 1) { der in
            var derLength = der.count
            let signed = EVP_PKEY_sign(
                keyContext,
                der.baseAddress?.assumingMemoryBound(to: UInt8.self), &derLength,
                digest.baseAddress?.assumingMemoryBound(to: UInt8.self), digest.count
            )
            guard signed == 1 else { throw OpenSSLErrorQueue.error("cannot sign with ES256") }
            let signature = UnsafeRawBufferPointer(rebasing: der[..<derLength])
            switch format {
            case .raw: return try ECDSASignature.raw(fromDER: signature)
            case .der: return Array(signature)
            }
        }
    }

    /// SHA-256 of `message` into `digest` (exactly 32 bytes), on the reused `EVP_MD_CTX`.
    private func hash(_ message: UnsafeRawBufferPointer, into digest: UnsafeMutableRawBufferPointer) throws {
        var length: UInt32 = 0
        // The pre-fetched SHA-256: a legacy EVP_sha256() would be fetched again on every init.
        guard EVP_DigestInit_ex2(digestContext, MessageDigest.sha256.pointer, nil) == 1,
            EVP_DigestUpdate(digestContext, message.baseAddress, message.count) == 1,
            EVP_DigestFinal_ex(digestContext, digest.baseAddress?.assumingMemoryBound(to: UInt8.self), &length) == 1,
            length == digest.count
        else { throw OpenSSLErrorQueue.error("cannot hash the message with SHA-256") }
    }
}
