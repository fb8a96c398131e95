internal import COpenSSL

/// The one owner of an `EVP_PKEY*`, freed in `deinit`.
///
/// `@unchecked Sendable`: the key is never mutated after construction, and OpenSSL 3 allows
/// one `EVP_PKEY` to be used from many threads at once for signing and verification (each
/// operation makes its own `EVP_MD_CTX` / `EVP_PKEY_CTX`). `EVP_PKEY_free` clears private key
/// material (OpenSSL frees private scalars with `BN_clear_free` / `OPENSSL_secure_clear_free`).
final class EVPKey: @unchecked Sendable {
    private let pointer: OpaquePointer

    /// Takes ownership of a key the caller owned (for example from a `d2i_…` or `…_read_…` call).
    init(takingOwnershipOf pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Lends the pointer for the duration of `body`; it must not escape.
    func withUnsafePointer<Result>(_ body: (OpaquePointer) throws -> Result) rethrows -> Result {
        try body(pointer)
    }

    /// The algorithm of this key, or `nil` for key types Zhucan does not support.
    var algorithm: SignatureAlgorithm? {
        if EVP_PKEY_is_a(pointer, "SM2") == 1 { return .sm2 }
        if EVP_PKEY_is_a(pointer, "ED25519") == 1 { return .ed25519 }
        if EVP_PKEY_is_a(pointer, "RSA") == 1 || EVP_PKEY_is_a(pointer, "RSA-PSS") == 1 { return .ps256 }
        if EVP_PKEY_is_a(pointer, "EC") == 1 {
            switch curveName {
            case "prime256v1", "P-256": return .es256
            // OpenSSL 3.0 imports an id-ecPublicKey key on the SM2 curve as "EC", not "SM2".
            case "SM2": return .sm2
            default: return nil
            }
        }
        return nil
    }

    /// The named curve of an EC key ("prime256v1", "SM2", …), if any.
    var curveName: String? {
        var buffer = [CChar](repeating: 0, count: 64)
        var length = 0
        guard EVP_PKEY_get_utf8_string_param(pointer, "group", &buffer, buffer.count, &length) == 1 else {
            OpenSSLErrorQueue.clear()
            return nil
        }
        return String(decoding: buffer.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The DER SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) of this key.
    func subjectPublicKeyInfoDER() throws -> [UInt8] {
        let length = i2d_PUBKEY(pointer, nil)
        guard length > 0 else { throw OpenSSLErrorQueue.error("cannot encode the public key") }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return i2d_PUBKEY(pointer, &cursor)
        }
        guard written == length else { throw OpenSSLErrorQueue.error("cannot encode the public key") }
        return der
    }
}
