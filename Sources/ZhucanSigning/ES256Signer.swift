import Foundation

/// Signs with one P-256 key from a pool of initialised `ES256SigningContext`s, so that a
/// signature costs what `openssl speed ecdsap256` measures plus the SHA-256 of the message.
///
/// Each signature takes a context from the pool, or makes one when the pool is empty (the
/// first call, or more concurrent signers than ever before), signs with it, and puts it back.
/// The lock covers only taking and putting back, never a signature, so concurrent signers
/// wait for each other only for an array pop or append. A context that failed is freed, not
/// put back. Every context is freed with the signer, that is when the last copy of the
/// `PrivateKey` is released.
///
/// Not per-thread storage: that would outlive the key and would need a key identity that
/// cannot be reused after the key is freed.
///
/// `@unchecked Sendable`: `idle` is only read or written under `lock`, and a context taken
/// from it belongs to one caller until it is put back.
package final class ES256Signer: @unchecked Sendable {
    private let key: EVPKey
    private let lock = NSLock()
    private var idle: [ES256SigningContext] = []
    /// More idle contexts than this are freed instead of kept: enough for every core to sign
    /// at once, without keeping a burst's worth of contexts for the key's lifetime.
    package let maximumIdle = 2 * ProcessInfo.processInfo.activeProcessorCount

    /// A signer for the P-256 `key`; makes its first context now, so that a key OpenSSL cannot
    /// sign with fails here rather than at the first signature.
    /// - Throws: `SigningError.openSSL` if OpenSSL cannot set up signing with the key.
    init(key: EVPKey) throws {
        self.key = key
        idle.append(try ES256SigningContext(key: key))
    }

    /// Signs `message` (see `ES256SigningContext.sign(_:format:)`).
    /// - Throws: `SigningError.openSSL` if OpenSSL fails.
    func sign(_ message: UnsafeRawBufferPointer, format: SignatureFormat) throws -> [UInt8] {
        try withContext { try $0.sign(message, format: format) }
    }

    /// Signs a SHA-256 digest computed elsewhere (exactly 32 bytes), as `openssl speed` signs:
    /// for the benchmark's diagnostic row, not for Zhucan's own objects, which always sign a message.
    /// - Throws: `SigningError.openSSL` if OpenSSL fails.
    package func sign(sha256Digest digest: [UInt8], format: SignatureFormat) throws -> [UInt8] {
        // Checked here: OpenSSL would refuse another length too, but the context would be discarded.
        precondition(digest.count == 32, "a SHA-256 digest is 32 bytes, not \(digest.count)")
        return try digest.withUnsafeBytes { digest in
            try withContext { try $0.sign(digest: digest, format: format) }
        }
    }

    /// The number of contexts waiting in the pool: for tests.
    package var idleCount: Int {
        lock.withLock { idle.count }
    }

    /// Runs `body` with a context of its own, put back afterwards unless `body` threw.
    private func withContext<Result>(_ body: (ES256SigningContext) throws -> Result) throws -> Result {
        let context = try takeContext()
        // On a throw, `context` is not put back: it is freed when this frame releases it.
        let result = try body(context)
        putBack(context)
        return result
    }

    private func takeContext() throws -> ES256SigningContext {
        if let context = lock.withLock({ idle.popLast() }) { return context }
        return try ES256SigningContext(key: key)
    }

    private func putBack(_ context: ES256SigningContext) {
        lock.withLock {
            guard idle.count < maximumIdle else { return }
            idle.append(context)
        }
    }
}
