import Foundation
import HummingbirdTesting
import Logging
import Testing
import ZhucanPostgres
import ZhucanRegistry
import ZhucanHTTP
import ZhucanServer
import ZhucanServiceStore
import ZhucanTesting

/// The service with its store on PostgreSQL: keys, verifications, redemptions, lookups and
/// statistics go to the database, certificates and lists still come from the workspace.
@Suite("Server on PostgreSQL", .enabled(if: TestPostgres.shouldRun))
struct PostgresRouterTests {
    /// The fixture's workspace, a store on a new database, and a key with every scope in it.
    static func withService(_ body: (ServerFixture, PostgresServiceStore, String) async throws -> Void) async throws {
        let fixture = try ServerFixture()
        let url = try PostgresDatabaseURL(try await TestPostgres.freshDatabase())
        try await PostgresServiceStore.withStore(url: url, logger: PostgresServiceStoreTests.quiet) { store in
            let token = try await store.createAPIKey(name: "all", scopes: Set(APIKey.Scope.allCases), at: ServerFixture.now).token
            try await body(fixture, store, token)
        }
    }

    @Test("Keys come from PostgreSQL: one made there works, one only in the workspace is 401, a revoked one is 401")
    func keys() async throws {
        try await Self.withService { fixture, store, token in
            let (narrow, narrowToken) = try await store.createAPIKey(name: "audit only", scopes: [.audit], at: ServerFixture.now)
            try await fixture.application(store: store, apiKeyCacheTTL: .zero).test(.router) { client async throws in
                #expect(try await client.get("/v1/stats", token: token).status == .ok)
                #expect(try await client.get("/v1/stats", token: fixture.allScopes).status == .unauthorized)
                #expect(try await client.post("/v1/verify", token: narrowToken, json: ["code": "x"]).status == .forbidden)
                try await store.revokeAPIKey(id: narrow.id, at: ServerFixture.now)
                #expect(try await client.get("/v1/stats", token: narrowToken).status == .unauthorized)
            }
        }
    }

    // A database that stopped answering had held every verification for ever, behind the one
    // event writer, while /healthz said ok.
    @Test("A database that does not answer within the deadline: 503 store_unavailable with Retry-After, then service again", .timeLimit(.minutes(2)))
    func unansweredStore() async throws {
        let fixture = try ServerFixture()
        let text = try await TestPostgres.freshDatabase()
        try await PostgresServiceStore.withStore(url: try PostgresDatabaseURL(text), logger: PostgresServiceStoreTests.quiet, deadline: .seconds(1)) { store in
            let token = try await store.createAPIKey(name: "all", scopes: Set(APIKey.Scope.allCases), at: ServerFixture.now).token
            let code = try fixture.identityCode()
            try await fixture.application(store: store).test(.router) { client async throws in
                let started = ContinuousClock.now
                let held = try await TestPostgres.whileLocked("verification_event", in: text) {
                    try await client.post("/v1/verify", token: token, json: ["code": code])
                }
                #expect(ContinuousClock.now - started < .seconds(10))
                #expect(held.status == .serviceUnavailable, "\(held.text)")
                #expect(held.text.contains("store_unavailable"))
                #expect(held.headers[.retryAfter] == "5")
                // Service comes back once the lock is gone. On a loaded machine the first request
                // after it may itself miss the one-second deadline, and is answered 503 as any
                // slow one is; a client retries, as Retry-After tells it to.
                var answered = try await client.post("/v1/verify", token: token, json: ["code": code])
                let retriedUntil = ContinuousClock.now + .seconds(30)
                while answered.status == .serviceUnavailable, ContinuousClock.now < retriedUntil {
                    try await Task.sleep(for: .milliseconds(500))
                    answered = try await client.post("/v1/verify", token: token, json: ["code": code])
                }
                #expect(answered.status == .ok, "\(answered.text)")
            }
        }
    }

    @Test("Verify and redeem: once, then already_redeemed; the events are in PostgreSQL, none in the workspace")
    func redeem() async throws {
        try await Self.withService { fixture, store, token in
            let code = try fixture.serviceCode("free-bus", oneTime: true)
            try await fixture.application(store: store).test(.router) { client async throws in
                let verified = try await client.post("/v1/verify", token: token, json: ["code": code, "service": "free-bus"]).json()
                #expect(verified["valid"] as? Bool == true)
                let first = try await client.post("/v1/redeem", token: token, json: ["code": code, "service": "free-bus"]).json()
                #expect(first["redeemed"] as? Bool == true)
                let second = try await client.post("/v1/redeem", token: token, json: ["code": code, "service": "free-bus"]).json()
                #expect(second["redeemed"] as? Bool == false)
                #expect(second["reason"] as? String == "already_redeemed")
                let stats = try await client.get("/v1/stats", token: token).json()
                let days = try #require(stats["days"] as? [[String: Any]], "\(stats)")
                #expect(days.count == 1)
                #expect(days.first?["redemptions"] as? Int == 1)
                #expect(days.first?["refusedRedemptions"] as? Int == 1)
            }
            #expect(try await store.verificationEvents(limit: 10).map(\.reason) == ["valid", "valid", "already_redeemed"])
            #expect(try fixture.workspace.registry.verificationEvents().isEmpty)
        }
    }

    @Test("50 concurrent redemptions of one code through the router: exactly one succeeds")
    func concurrentRedemptions() async throws {
        try await Self.withService { fixture, store, token in
            let code = try fixture.serviceCode("free-bus", oneTime: true)
            try await fixture.application(store: store).test(.router) { client async throws in
                let redeemed = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<50 {
                        group.addTask {
                            try await client.post("/v1/redeem", token: token, json: ["code": code, "service": "free-bus"]).json()["redeemed"] as? Bool ?? false
                        }
                    }
                    var outcomes: [Bool] = []
                    for try await outcome in group { outcomes.append(outcome) }
                    return outcomes
                }
                #expect(redeemed.count == 50)
                #expect(redeemed.filter { $0 }.count == 1)
            }
            #expect(try await store.verificationEvents(limit: 100).count == 50)
        }
    }

    @Test("A social-security-card lookup is recorded in PostgreSQL, card masked")
    func lookup() async throws {
        try await Self.withService { fixture, store, token in
            try await fixture.application(store: store).test(.router) { client async throws in
                let response = try await client.get("/v1/holders/by-ssc/\(ServerFixture.card)?purpose=bus%20pass", token: token)
                #expect(response.status == .ok)
            }
            let lookups = try await store.lookupEvents(limit: 10, licenseIDs: nil)
            #expect(lookups.count == 1)
            #expect(lookups.first?.purpose == "bus pass")
            #expect(lookups.first?.licenseID == (try fixture.workspace.registry.certificate(socialSecurityCard: ServerFixture.card))?.licenseID)
            #expect(lookups.first?.maskedCard.contains(ServerFixture.card) == false)
            #expect(try fixture.workspace.registry.lookupEvents().isEmpty)
        }
    }
}
