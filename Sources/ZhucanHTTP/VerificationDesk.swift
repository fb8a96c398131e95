import Logging
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanServiceStore

/// What `POST /v1/verify` and `/v1/redeem` need, wherever the lists come from: the issuer's
/// service reads them from its registry, a node fetches them from the issuer.
package struct VerificationDesk: Sendable {
    /// The lists in use, their signatures checked.
    package let lists: @Sendable (Logger) -> VerifiedLists
    /// API keys, redemptions and events.
    package let store: any ServiceStore
    /// Verification events, committed in groups.
    package let events: VerificationEventWriter
    package let metrics: ServiceMetrics
    /// Tolerated clock difference in seconds, in the holder's favour.
    package let skew: Int64
    /// Seconds since the epoch.
    package let clock: @Sendable () -> Int64
    /// The index in the transparency log of a certificate's issuance, given its e-license
    /// identifier and its text, where the log is at hand (the issuer's service): only when the
    /// entry records that very certificate. `nil` elsewhere.
    package let logIndex: @Sendable (_ licenseID: String, _ certificate: String) throws -> UInt64?
    /// Told of every code or certificate signed by a key the lists do not name
    /// (`unknown_key`): a node then fetches its trust list early (`ListRefresher.refreshSoon`).
    package let keyMissed: @Sendable () -> Void

    package init(
        lists: @escaping @Sendable (Logger) -> VerifiedLists, store: any ServiceStore, metrics: ServiceMetrics, skew: Int64,
        clock: @escaping @Sendable () -> Int64,
        logIndex: @escaping @Sendable (_ licenseID: String, _ certificate: String) throws -> UInt64? = { _, _ in nil },
        keyMissed: @escaping @Sendable () -> Void = {}
    ) {
        self.lists = lists
        self.store = store
        events = VerificationEventWriter(store: store)
        self.metrics = metrics
        self.skew = skew
        self.clock = clock
        self.logIndex = logIndex
        self.keyMissed = keyMissed
    }

    /// A verifier at `time` with the current lists.
    package func verifier(at time: Int64, logger: Logger) -> CredentialVerifier {
        CredentialVerifier(verified: lists(logger), configuration: EnvelopeVerifier.Configuration(validationTime: time, skew: skew))
    }
}
