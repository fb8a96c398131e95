internal import COpenSSL

/// An `EVP_MD_CTX` initialised once for signing or verifying with one key, copied for each
/// operation.
///
/// `EVP_DigestSignInit` / `EVP_DigestVerifyInit` look up the signature implementation in the
/// provider store, allocate an `EVP_PKEY_CTX`, and (for SM2) take the distinguishing ID; done
/// per operation that costs as much as a P-256 signature. `EVP_MD_CTX_copy_ex` from this
/// template duplicates the initialised state instead (the provider's `dupctx`), which is what
/// lets a sign or verify here run at `openssl speed`'s rate.
///
/// `@unchecked Sendable`: the template is written only in `init` and afterwards only read,
/// by `EVP_MD_CTX_copy_ex`, which does not modify its source; each operation works on its own copy.
final class SignatureContext: @unchecked Sendable {
    private let template: OpaquePointer
    /// Keeps the key alive as long as the template refers to it.
    private let key: EVPKey
    let algorithm: SignatureAlgorithm

    /// Room for any signature this type makes (see `sign`).
    private static let maximumSignatureLength = 72

    init(key: EVPKey, algorithm: SignatureAlgorithm, signing: Bool, distinguishingID: [UInt8] = SignatureAlgorithm.sm2DistinguishingID) throws {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLErrorQueue.error("cannot allocate EVP_MD_CTX") }
        do {
            try Self.initialise(context, key: key, algorithm: algorithm, signing: signing, distinguishingID: distinguishingID)
        } catch {
            EVP_MD_CTX_free(context)
            throw error
        }
        self.template = context
        self.key = key
        self.algorithm = algorithm
    }

    deinit {
        EVP_MD_CTX_free(template)
    }

    /// Runs `body` with a fresh copy of the initialised context, freed afterwards.
    func withCopy<Result>(_ body: (OpaquePointer) throws -> Result) throws -> Result {
        guard let copy = EVP_MD_CTX_new() else { throw OpenSSLErrorQueue.error("cannot allocate EVP_MD_CTX") }
        defer { EVP_MD_CTX_free(copy) }
        guard EVP_MD_CTX_copy_ex(copy, template) == 1 else {
            throw OpenSSLErrorQueue.error("cannot copy the \(algorithm) context")
        }
        // The copy is used once: without FINALISE, EVP_DigestSignFinal / EVP_DigestVerifyFinal
        // duplicate the key context again so that it could be reused (OpenSSL m_sigver.c).
        EVP_MD_CTX_set_flags(copy, EVP_MD_CTX_FLAG_FINALISE)
        return try body(copy)
    }

    /// Signs `message`, returning OpenSSL's native encoding (DER for SM2 and ES256, raw for Ed25519).
    func sign(_ message: UnsafeRawBufferPointer) throws -> [UInt8] {
        try withCopy { context in
            // No sizing call: the largest signature is a DER pair of 33-byte INTEGERs (72 bytes)
            // for SM2 and ES256, 64 bytes for Ed25519; `length` in is the buffer size.
            var signature = [UInt8](repeating: 0, count: Self.maximumSignatureLength)
            var length = signature.count
            guard EVP_DigestSign(context, &signature, &length, message.baseAddress, message.count) == 1 else {
                throw OpenSSLErrorQueue.error("cannot sign with \(algorithm)")
            }
            signature.removeSubrange(length...)
            return signature
        }
    }

    /// Whether `signature` (OpenSSL's native encoding) is valid for `message`.
    ///
    /// Only a return code of 1 means valid: `EVP_DigestVerify` returns 0 for a wrong signature
    /// and a negative value for a malformed one, and both are simply "not valid" here.
    func verify(_ signature: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> Bool {
        let status = try? withCopy { context in
            EVP_DigestVerify(
                context,
                signature.baseAddress?.assumingMemoryBound(to: UInt8.self),
                signature.count,
                message.baseAddress?.assumingMemoryBound(to: UInt8.self),
                message.count
            )
        }
        OpenSSLErrorQueue.clear()
        return status == 1
    }

    private static func initialise(
        _ context: OpaquePointer,
        key: EVPKey,
        algorithm: SignatureAlgorithm,
        signing: Bool,
        distinguishingID: [UInt8]
    ) throws {
        let digest: OpaquePointer? = switch algorithm {
        case .sm2: MessageDigest.sm3.pointer
        case .es256, .ps256: MessageDigest.sha256.pointer
        case .ed25519: nil  // RFC 8032 PureEdDSA hashes internally.
        }
        // get0: the EVP_PKEY_CTX belongs to `context` and is freed with it.
        var keyContext: OpaquePointer?
        let initialised = key.withUnsafePointer { key in
            signing
                ? EVP_DigestSignInit(context, &keyContext, digest, nil, key)
                : EVP_DigestVerifyInit(context, &keyContext, digest, nil, key)
        }
        guard initialised == 1, let keyContext else {
            throw OpenSSLErrorQueue.error("cannot start a \(algorithm) operation")
        }
        switch algorithm {
        case .sm2:
            // GM/T 0009 §10: Z_A is computed over the distinguishing ID; OpenSSL 3.0 defaults
            // to an empty ID, so it is set explicitly, before any data is digested.
            let set = distinguishingID.withUnsafeBytes {
                EVP_PKEY_CTX_set1_id(keyContext, $0.baseAddress, Int32($0.count))
            }
            guard set == 1 else { throw OpenSSLErrorQueue.error("cannot set the SM2 distinguishing ID") }
            // GB/T 32918.2 §6.1: e = SM3(Z_A ‖ M), where Z_A depends only on the ID and the key.
            // An empty update makes OpenSSL absorb Z_A into the template now, so every copy
            // starts after it instead of recomputing it (an SM3 pass and a point conversion).
            let absorbed = signing ? EVP_DigestSignUpdate(context, nil, 0) : EVP_DigestVerifyUpdate(context, nil, 0)
            guard absorbed == 1 else { throw OpenSSLErrorQueue.error("cannot compute the SM2 Z value") }
        case .ps256:
            // RFC 8230 §2: PS256 is RSASSA-PSS with SHA-256, MGF1 with SHA-256, salt = hash length.
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) == 1
            else { throw OpenSSLErrorQueue.error("cannot set RSA-PSS parameters") }
        case .es256, .ed25519:
            break
        }
    }
}
