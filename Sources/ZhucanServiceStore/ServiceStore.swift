/// What the HTTP verification service keeps, and what its instances must share: its
/// clients' API keys, the redemptions of one-time service codes, one event per
/// verification, redemption and social-security-card lookup, and for verification nodes the
/// floor of each list they have taken.
///
/// Two stores keep it, with the same behaviour (the `ServiceStoreTests` suite runs on both):
/// - `ZhucanRegistry.Registry` (SQLite): the workspace's registry for the issuer's service,
///   or a node's own file in its `--state-dir`;
/// - `ZhucanPostgres.PostgresServiceStore` (PostgreSQL), for many stateless instances.
///
/// Redemption is the operation that needs the shared store: of any number of concurrent
/// redemptions of one code, on any number of instances, exactly one succeeds.
package protocol ServiceStore: Sendable {
    /// Returns once the store answers a read, throws when it does not: the readiness probe
    /// (`GET /readyz`).
    func probe() async throws

    /// Makes a key and returns it with its token, which is shown once and never stored.
    /// - Throws: `RegistryError.invalidInput` for an empty or over-long name or no scope.
    func createAPIKey(name: String, scopes: Set<APIKey.Scope>, at time: Int64) async throws -> (key: APIKey, token: String)

    /// Every API key, oldest first.
    func apiKeys() async throws -> [APIKey]

    /// Revokes a key: from now on it is refused.
    /// - Throws: `RegistryError.notFound` for an unknown id, `.invalidTransition` if already revoked.
    func revokeAPIKey(id: String, at time: Int64) async throws

    /// The key a token names, when its secret matches (compared in constant time); revoked
    /// keys are returned too, so that the caller can say why it refuses them.
    /// - Returns: `nil` for a malformed token, an unknown id or a wrong secret.
    func authenticate(token text: String) async throws -> APIKey?

    /// Records one verification (or a redemption refused before it reached the redemption
    /// table).
    func recordVerification(_ event: VerificationEvent) async throws

    /// Records verifications in one transaction: all or none (the service's group commit).
    func recordVerifications(_ events: [VerificationEvent]) async throws

    /// Redeems a one-time code and records its event in one transaction: of many concurrent
    /// redemptions of one token exactly one returns `true`. The event keeps `event.reason`
    /// on success and gets `refusedReason` otherwise.
    func redeem(tokenID: String, licenseID: String, service: String, recording event: VerificationEvent, refusedReason: String) async throws -> Bool

    /// The e-licence identifiers that redeemed each service before `end` (seconds since the
    /// epoch), by service id: what coverage, discovery and the plan count as served.
    func redemptionsByService(before end: Int64) async throws -> [String: Set<String>]

    /// The most recent `limit` verification events, oldest first.
    func verificationEvents(limit: Int) async throws -> [VerificationEvent]

    /// The floor of each list a verification node has taken (``ListFloor``), by the list's
    /// label (`trust-list`, `status-list/1`).
    func listFloors() async throws -> [String: ListFloor]

    /// Raises the floor of `list` to `floor`; a floor that is not higher changes nothing, so
    /// nodes sharing the store never lower one another's.
    func raiseListFloor(_ list: String, to floor: ListFloor) async throws

    /// Records one social-security-card lookup.
    func recordLookup(_ event: LookupEvent) async throws

    /// The most recent `limit` lookups, oldest first; with `licenseIDs`, only those that found
    /// one of those certificates.
    func lookupEvents(limit: Int, licenseIDs: [String]?) async throws -> [LookupEvent]

    /// Verifications and redemptions per service per day (China Standard Time, UTC+8), from
    /// `since` (seconds since the epoch) on, oldest day first, then by service.
    func serviceStatistics(since: Int64) async throws -> [ServiceDayStatistics]
}
