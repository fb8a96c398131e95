import Synchronization
import Testing
import ZhucanRegistry
import ZhucanHTTP
import ZhucanServer
import ZhucanServiceStore

@Suite("Server: the API key cache")
struct APIKeyCacheTests {
    /// A clock the test moves by hand.
    final class ManualClock: Sendable {
        private let instant = Mutex(ContinuousClock.now)
        var now: ContinuousClock.Instant { instant.withLock { $0 } }
        func advance(_ duration: Duration) { instant.withLock { $0 += duration } }
    }

    @Test("A revoked key keeps working until the ttl has passed, then is revoked")
    func revocationWithinTTL() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let registry = fixture.workspace.registry
        let token = fixture.token(.verify)
        let clock = ManualClock()
        let cache = APIKeyCache(store: registry, ttl: .seconds(1), now: { clock.now })
        #expect(try await cache.authenticate(token: token)?.isRevoked == false)
        try registry.revokeAPIKey(id: try #require(APIKeyToken(token)).id, at: ServerFixture.now)
        clock.advance(.milliseconds(999))
        #expect(try await cache.authenticate(token: token)?.isRevoked == false)
        clock.advance(.milliseconds(1))
        #expect(try await cache.authenticate(token: token)?.isRevoked == true)
    }

    @Test("With a zero ttl every call reads the store")
    func zeroTTL() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let token = fixture.token(.verify)
        let cache = APIKeyCache(store: fixture.workspace.registry, ttl: .zero)
        #expect(try await cache.authenticate(token: token)?.isRevoked == false)
        try fixture.workspace.registry.revokeAPIKey(id: try #require(APIKeyToken(token)).id, at: ServerFixture.now)
        #expect(try await cache.authenticate(token: token)?.isRevoked == true)
    }

    @Test("A cached key's id with a wrong secret is refused, and does not evict the right one")
    func wrongSecretOfCachedKey() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let token = fixture.token(.verify)
        let cache = APIKeyCache(store: fixture.workspace.registry, ttl: .seconds(60))
        #expect(try await cache.authenticate(token: token) != nil)
        for position in [token.count - 1, token.count - 20] {
            var forged = Array(token)
            forged[position] = forged[position] == "A" ? "B" : "A"
            #expect(try await cache.authenticate(token: String(forged)) == nil)
        }
        #expect(try await cache.authenticate(token: token) != nil)
    }

    @Test("Unknown and malformed tokens are refused and never cached: a key created afterwards works at once")
    func unknownTokens() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let registry = fixture.workspace.registry
        let cache = APIKeyCache(store: registry, ttl: .seconds(60))
        for text in ["", "nonsense", "zk_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
            #expect(try await cache.authenticate(token: text) == nil)
        }
        let (_, token) = try registry.createAPIKey(name: "new", scopes: [.verify], at: ServerFixture.now)
        #expect(try await cache.authenticate(token: token)?.name == "new")
    }

    @Test("Keys checked by many tasks at once are each answered right")
    func concurrent() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let cache = APIKeyCache(store: fixture.workspace.registry, ttl: .seconds(60))
        let scopes = APIKey.Scope.allCases
        let tokens = scopes.map { fixture.token($0) }
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for round in 0..<200 {
                let index = round % scopes.count
                let token = tokens[index], scope = scopes[index]
                group.addTask { try await cache.authenticate(token: token)?.scopes == [scope] }
            }
            for try await right in group { #expect(right) }
        }
    }
}
