internal import COpenSSL

/// Message digests through OpenSSL: SHA-256 (FIPS 180-4) and SM3 (GB/T 32905-2016).
public enum Digest {
    /// The SHA-256 digest (32 bytes) of `bytes`.
    public static func sha256(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        MessageDigest.sha256.hash(bytes)
    }

    /// The SM3 digest (32 bytes) of `bytes`.
    public static func sm3(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        MessageDigest.sm3.hash(bytes)
    }
}

/// An OpenSSL `EVP_MD*` fetched once and shared, so that no sign, verify or hash looks the
/// algorithm up again (an `EVP_MD_fetch` takes a lock and searches the provider store).
///
/// `@unchecked Sendable`: a fetched `EVP_MD` is immutable and OpenSSL 3 documents it as safe
/// to share between threads; it is never freed (process lifetime).
final class MessageDigest: @unchecked Sendable {
    let pointer: OpaquePointer
    let name: String

    private init(fetching name: String) {
        // A default-provider algorithm that is missing means a broken libcrypto install, not
        // bad input: there is nothing sensible to continue with.
        guard let fetched = EVP_MD_fetch(nil, name, nil) else {
            preconditionFailure("OpenSSL cannot provide \(name): \(OpenSSLErrorQueue.drain())")
        }
        self.pointer = fetched
        self.name = name
    }

    static let sha256 = MessageDigest(fetching: "SHA256")
    static let sm3 = MessageDigest(fetching: "SM3")

    /// The digest of `bytes` (one `EVP_Digest` call).
    func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        let digest = bytes.withContiguousStorageIfAvailable { hash(UnsafeRawBufferPointer($0)) }
        return digest ?? Array(bytes).withUnsafeBytes { hash($0) }
    }

    /// The digest of the bytes in `buffer`.
    func hash(_ buffer: UnsafeRawBufferPointer) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let status = EVP_Digest(buffer.baseAddress, buffer.count, &output, &length, pointer, nil)
        // EVP_Digest fails only when OpenSSL cannot allocate its context.
        precondition(status == 1, "EVP_Digest(\(name)) failed: \(OpenSSLErrorQueue.drain())")
        output.removeSubrange(Int(length)...)
        return output
    }
}

extension Digest {
    /// Whether two digests are equal, compared in constant time: every byte is looked at,
    /// whatever differs first, so that timing tells nothing about a stored secret's hash.
    package static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
