import Foundation
import Testing
import ZhucanRegistry
import ZhucanServiceStore

/// What every `ServiceStore` must do, written once and run on each store
/// (`RegistryServiceStoreTests`, `PostgresServiceStoreTests`).
enum ServiceStoreContract {
    /// 2025-11-25 00:00 China Standard Time (2025-11-24T16:00:00Z): a local-day boundary.
    static let midnight: Int64 = 1_764_000_000

    /// The readiness probe answers a store that is up (`GET /readyz`).
    static func probe(_ store: any ServiceStore) async throws {
        try await store.probe()
    }

    /// List floors only rise: a lower or equal floor changes nothing, the sequence decides
    /// within one second, and lists are kept apart.
    static func listFloors(_ store: any ServiceStore) async throws {
        #expect(try await store.listFloors().isEmpty)
        try await store.raiseListFloor("trust-list", to: ListFloor(issuedAt: 100, sequence: 3))
        try await store.raiseListFloor("status-list/1", to: ListFloor(issuedAt: 200, sequence: 0))
        try await store.raiseListFloor("trust-list", to: ListFloor(issuedAt: 99, sequence: 9))
        try await store.raiseListFloor("trust-list", to: ListFloor(issuedAt: 100, sequence: 2))
        #expect(try await store.listFloors()["trust-list"] == ListFloor(issuedAt: 100, sequence: 3))
        try await store.raiseListFloor("trust-list", to: ListFloor(issuedAt: 100, sequence: 4))
        #expect(try await store.listFloors() == [
            "trust-list": ListFloor(issuedAt: 100, sequence: 4), "status-list/1": ListFloor(issuedAt: 200, sequence: 0),
        ])
    }

    /// Create, list, authenticate and revoke keys; names and tokens that look like SQL are
    /// only text.
    static func apiKeys(_ store: any ServiceStore) async throws {
        let (bus, busToken) = try await store.createAPIKey(name: "  bus company 3  ", scopes: [.redeem, .verify], at: 100)
        #expect(bus.name == "bus company 3")
        #expect(bus.scopes == [.verify, .redeem])
        let hostileName = "x'); DROP TABLE api_key; -- 王"
        let (hostile, _) = try await store.createAPIKey(name: hostileName, scopes: [.audit], at: 101)
        #expect(hostile.name == hostileName)

        let listed = try await store.apiKeys()
        #expect(listed.map(\.id) == [bus.id, hostile.id])
        #expect(listed.first == bus)

        #expect(try await store.authenticate(token: busToken) == bus)
        #expect(try await store.authenticate(token: busToken + "x") == nil)
        #expect(try await store.authenticate(token: "zk_00000000_" + String(repeating: "A", count: 43)) == nil)
        #expect(try await store.authenticate(token: "' OR 1=1 --") == nil)
        #expect(try await store.authenticate(token: "") == nil)

        try await store.revokeAPIKey(id: bus.id, at: 200)
        let revoked = try #require(try await store.authenticate(token: busToken))
        #expect(revoked.revokedAt == 200)
        await #expect(throws: RegistryError(.invalidTransition, "")) { try await store.revokeAPIKey(id: bus.id, at: 300) }
        await #expect(throws: RegistryError(.notFound, "")) { try await store.revokeAPIKey(id: "00000000", at: 300) }
        await #expect(throws: RegistryError(.invalidInput, "")) { try await store.createAPIKey(name: " ", scopes: [.verify], at: 1) }
        await #expect(throws: RegistryError(.invalidInput, "")) { try await store.createAPIKey(name: "x", scopes: [], at: 1) }
        await #expect(throws: RegistryError(.invalidInput, "")) {
            try await store.createAPIKey(name: String(repeating: "名", count: 101), scopes: [.verify], at: 1)
        }
    }

    /// A code redeems once; the second attempt is refused and recorded with the refusal.
    static func redemption(_ store: any ServiceStore) async throws {
        let event = VerificationEvent(at: midnight, apiKey: "0badc0de", route: .redeem, service: "free-bus", reason: "valid", licenseID: "L1")
        #expect(try await store.redeem(tokenID: "cafe", licenseID: "L1", service: "free-bus", recording: event, refusedReason: "already_redeemed"))
        #expect(try await !store.redeem(tokenID: "cafe", licenseID: "L1", service: "free-bus", recording: event, refusedReason: "already_redeemed"))
        #expect(try await store.redeem(tokenID: "beef", licenseID: "L1", service: "free-bus", recording: event, refusedReason: "already_redeemed"))
        let events = try await store.verificationEvents(limit: 10)
        #expect(events.map(\.reason) == ["valid", "already_redeemed", "valid"])
        #expect(events.allSatisfy { $0.route == .redeem && $0.apiKey == "0badc0de" && $0.licenseID == "L1" && $0.at == midnight })
        #expect(try await store.verificationEvents(limit: 1).map(\.reason) == ["valid"])
        // What the reports count as served: by service, before a time.
        let later = VerificationEvent(at: midnight + 86_400, apiKey: nil, route: .redeem, service: "park", reason: "valid", licenseID: "L3")
        #expect(try await store.redeem(tokenID: "f00d", licenseID: "L3", service: "park", recording: later, refusedReason: "already_redeemed"))
        #expect(try await store.redemptionsByService(before: midnight + 1) == ["free-bus": ["L1"]])
        #expect(try await store.redemptionsByService(before: midnight + 86_401) == ["free-bus": ["L1"], "park": ["L3"]])
    }

    /// Of 50 concurrent redemptions of one code exactly one succeeds, and every one is
    /// recorded.
    static func concurrentRedemptions(_ store: any ServiceStore) async throws {
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<50 {
                group.addTask {
                    let event = VerificationEvent(
                        at: midnight + Int64(index), apiKey: nil, route: .redeem, service: "park", reason: "valid", licenseID: "L2"
                    )
                    return try await store.redeem(tokenID: "one", licenseID: "L2", service: "park", recording: event, refusedReason: "already_redeemed")
                }
            }
            var outcomes: [Bool] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.count == 50)
        #expect(outcomes.filter { $0 }.count == 1)
        let events = try await store.verificationEvents(limit: 100)
        #expect(events.count == 50)
        #expect(events.filter { $0.reason == "valid" }.count == 1)
        #expect(events.filter { $0.reason == "already_redeemed" }.count == 49)
    }

    /// A batch of verifications is recorded whole and in order; an empty one is nothing.
    static func batch(_ store: any ServiceStore) async throws {
        try await store.recordVerifications([])
        let events = (0..<3).map { index in
            VerificationEvent(at: midnight + Int64(index), apiKey: "k", route: .verify, service: index == 1 ? nil : "park",
                              reason: index == 2 ? "expired" : "valid", licenseID: "L\(index)")
        }
        try await store.recordVerifications(events)
        #expect(try await store.verificationEvents(limit: 10) == events)
    }

    /// Lookups are kept as recorded, the most recent `limit`, oldest first, and can be asked
    /// for by the certificates they found.
    static func lookups(_ store: any ServiceStore) async throws {
        for index in 0..<5 {
            try await store.recordLookup(LookupEvent(
                at: midnight + Int64(index), apiKey: index == 0 ? nil : "k\(index)", maskedCard: "A1****78",
                purpose: "窗口办理 \(index)", licenseID: index % 2 == 0 ? "L\(index)" : nil
            ))
        }
        let all = try await store.lookupEvents(limit: 100, licenseIDs: nil)
        #expect(all.count == 5)
        #expect(all.first == LookupEvent(at: midnight, apiKey: nil, maskedCard: "A1****78", purpose: "窗口办理 0", licenseID: "L0"))
        #expect(all.map(\.found) == [true, false, true, false, true])
        #expect(try await store.lookupEvents(limit: 2, licenseIDs: nil).map(\.at) == [midnight + 3, midnight + 4])
        #expect(try await store.lookupEvents(limit: 100, licenseIDs: ["L2", "L4", "L9"]).map(\.licenseID) == ["L2", "L4"])
        #expect(try await store.lookupEvents(limit: 1, licenseIDs: ["L0", "L2"]).map(\.licenseID) == ["L2"])
        #expect(try await store.lookupEvents(limit: 100, licenseIDs: []).isEmpty)
    }

    /// Verifications and redemptions per service per local day.
    static func statistics(_ store: any ServiceStore) async throws {
        func event(_ at: Int64, _ route: VerificationEvent.Route, _ service: String?, _ reason: String) -> VerificationEvent {
            VerificationEvent(at: at, apiKey: "k", route: route, service: service, reason: reason, licenseID: nil)
        }
        for recorded in [
            event(midnight - 1, .verify, "free-bus", "valid"),       // 2025-11-24, the last second
            event(midnight, .verify, "free-bus", "valid"),           // 2025-11-25, the first second
            event(midnight + 10, .verify, "free-bus", "expired"),
            event(midnight + 20, .redeem, "free-bus", "valid"),
            event(midnight + 30, .redeem, "free-bus", "already_redeemed"),
            event(midnight + 40, .verify, nil, "valid"),
        ] {
            try await store.recordVerification(recorded)
        }
        #expect(try await store.serviceStatistics(since: 0) == [
            ServiceDayStatistics(date: "2025-11-24", service: "free-bus", verifications: 1, validVerifications: 1, redemptions: 0, refusedRedemptions: 0),
            ServiceDayStatistics(date: "2025-11-25", service: "", verifications: 1, validVerifications: 1, redemptions: 0, refusedRedemptions: 0),
            ServiceDayStatistics(date: "2025-11-25", service: "free-bus", verifications: 2, validVerifications: 1, redemptions: 1, refusedRedemptions: 1),
        ])
        #expect(try await store.serviceStatistics(since: midnight + 15).map(\.verifications) == [1, 0])
    }
}
