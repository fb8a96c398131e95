import Synchronization
import ZhucanServiceStore

/// API keys that authenticated recently, held for `ttl` so that a busy verifier's requests do
/// not each read the store: that read (SQLite's pool and read transaction, or a PostgreSQL
/// round trip) cost more than verifying an ES256 code.
///
/// What it changes: a key revoked with `zhucan apikey revoke` stops working within `ttl` (one
/// second by default) instead of at the next request; a zero `ttl` reads the store every time.
/// What it does not change: a key is cached only after the store accepted it, and each
/// request's token is checked against the cached key's secret hash in constant time, so a
/// wrong secret is never accepted, and an unknown or wrong key always reaches the store — a
/// new key works at once.
package final class APIKeyCache: Sendable {
    private struct Entry {
        package let key: APIKey
        /// SHA-256 of the secret that the store accepted.
        package let secretHash: [UInt8]
        package let expires: ContinuousClock.Instant
    }

    /// At most this many keys are held; when full, the cache starts again empty.
    package static let capacity = 10_000

    private let store: any ServiceStore
    private let ttl: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let entries = Mutex<[String: Entry]>([:])

    /// - Parameters:
    ///   - store: where keys are.
    ///   - ttl: how long an accepted key is trusted without asking the store again.
    ///   - now: the clock (tests move it).
    package init(store: any ServiceStore, ttl: Duration, now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.store = store
        self.ttl = ttl
        self.now = now
    }

    /// The key `text` names when its secret is right, as `ServiceStore.authenticate`.
    /// - Throws: the store's error.
    package func authenticate(token text: String) async throws -> APIKey? {
        guard ttl > .zero, let token = APIKeyToken(text) else { return try await store.authenticate(token: text) }
        let now = now()
        if let entry = entries.withLock({ $0[token.id] }), now < entry.expires, token.matches(entry.secretHash) {
            return entry.key
        }
        guard let key = try await store.authenticate(token: text) else { return nil }
        let entry = Entry(key: key, secretHash: token.secretHash, expires: now + ttl)
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[token.id] = entry
        }
        return key
    }
}
