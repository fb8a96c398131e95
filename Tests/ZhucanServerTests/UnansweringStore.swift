import ZhucanServiceStore

/// A store that answers everything as `base` does, except the readiness probe while `answers`
/// is false: a database gone away, as `GET /readyz` must report it.
final class UnansweringStore: ServiceStore, @unchecked Sendable {
    let base: any ServiceStore
    /// Whether the probe answers (set by the test between requests).
    var answers = true
    /// How many times the store was probed.
    private(set) var probes = 0

    init(_ base: any ServiceStore) {
        self.base = base
    }

    func probe() async throws {
        probes += 1
        guard answers else { throw RegistryError(.unavailable, "PostgreSQL does not answer: connection refused") }
        try await base.probe()
    }

    func createAPIKey(name: String, scopes: Set<APIKey.Scope>, at time: Int64) async throws -> (key: APIKey, token: String) {
        try await base.createAPIKey(name: name, scopes: scopes, at: time)
    }
    func apiKeys() async throws -> [APIKey] { try await base.apiKeys() }
    func revokeAPIKey(id: String, at time: Int64) async throws { try await base.revokeAPIKey(id: id, at: time) }
    func authenticate(token text: String) async throws -> APIKey? { try await base.authenticate(token: text) }
    func recordVerification(_ event: VerificationEvent) async throws { try await base.recordVerification(event) }
    func recordVerifications(_ events: [VerificationEvent]) async throws { try await base.recordVerifications(events) }
    func redeem(tokenID: String, licenseID: String, service: String, recording event: VerificationEvent, refusedReason: String) async throws -> Bool {
        try await base.redeem(tokenID: tokenID, licenseID: licenseID, service: service, recording: event, refusedReason: refusedReason)
    }
    func redemptionsByService(before end: Int64) async throws -> [String: Set<String>] { try await base.redemptionsByService(before: end) }
    func verificationEvents(limit: Int) async throws -> [VerificationEvent] { try await base.verificationEvents(limit: limit) }
    func listFloors() async throws -> [String: ListFloor] { try await base.listFloors() }
    func raiseListFloor(_ list: String, to floor: ListFloor) async throws { try await base.raiseListFloor(list, to: floor) }
    func recordLookup(_ event: LookupEvent) async throws { try await base.recordLookup(event) }
    func lookupEvents(limit: Int, licenseIDs: [String]?) async throws -> [LookupEvent] { try await base.lookupEvents(limit: limit, licenseIDs: licenseIDs) }
    func serviceStatistics(since: Int64) async throws -> [ServiceDayStatistics] { try await base.serviceStatistics(since: since) }
}
