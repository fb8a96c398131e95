import COpenSSL

extension EVPKey {
    /// Signs `message` and returns OpenSSL's native encoding: DER for SM2 and ES256, the raw
    /// 64 bytes for Ed25519.
    func signNative(_ message: UnsafeRawBufferPointer, algorithm: SignatureAlgorithm) throws -> [UInt8] {
        try withDigestContext(algorithm: algorithm, signing: true, distinguishingID: SignatureAlgorithm.sm2DistinguishingID) { context in
            var length = 0
            guard EVP_DigestSign(context, nil, &length, message.baseAddress, message.count) == 1 else {
                throw OpenSSLErrorQueue.error("cannot size the \(algorithm) signature")
            }
            var signature = [UInt8](repeating: 0, count: length)
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
    func verifyNative(
        _ signature: UnsafeRawBufferPointer,
        message: UnsafeRawBufferPointer,
        algorithm: SignatureAlgorithm,
        distinguishingID: [UInt8] = SignatureAlgorithm.sm2DistinguishingID
    ) -> Bool {
        let status = try? withDigestContext(algorithm: algorithm, signing: false, distinguishingID: distinguishingID) { context in
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

    /// Runs `body` with an `EVP_MD_CTX` initialised for signing or verifying with this key.
    private func withDigestContext<Result>(
        algorithm: SignatureAlgorithm,
        signing: Bool,
        distinguishingID: [UInt8],
        _ body: (OpaquePointer) throws -> Result
    ) throws -> Result {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLErrorQueue.error("cannot allocate EVP_MD_CTX") }
        defer { EVP_MD_CTX_free(context) }

        let digest: OpaquePointer? = switch algorithm {
        case .sm2: MessageDigest.sm3.pointer
        case .es256, .ps256: MessageDigest.sha256.pointer
        case .ed25519: nil  // RFC 8032 PureEdDSA hashes internally.
        }
        // get0: the EVP_PKEY_CTX belongs to `context` and is freed with it.
        var keyContext: OpaquePointer?
        let initialised = withUnsafePointer { key in
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
            // to an empty ID, so it is set on every operation, before any data is digested.
            let set = distinguishingID.withUnsafeBytes {
                EVP_PKEY_CTX_set1_id(keyContext, $0.baseAddress, Int32($0.count))
            }
            guard set == 1 else { throw OpenSSLErrorQueue.error("cannot set the SM2 distinguishing ID") }
        case .ps256:
            // RFC 8230 §2: PS256 is RSASSA-PSS with SHA-256, MGF1 with SHA-256, salt = hash length.
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, RSA_PSS_SALTLEN_DIGEST) == 1
            else { throw OpenSSLErrorQueue.error("cannot set RSA-PSS parameters") }
        case .es256, .ed25519:
            break
        }
        return try body(context)
    }
}
