import Foundation
import ZhucanHTTP
import ZhucanSigning
import ZhucanTransparency

/// How a verification node runs: whom it trusts, where it fetches and keeps the lists, and
/// how it listens. It holds public material only.
package struct NodeConfiguration: Sendable {
    /// The issuer's service, whose public endpoints give the lists (`http://issuer:8080`).
    package var issuer: URL
    /// The root public keys that must sign the trust list.
    package var trustAnchors: [PublicKey]
    /// The transparency log's key, to check checkpoint signatures; without it the node still
    /// checks that every checkpoint extends the last one (consistency proofs).
    package var logKey: NoteVerifier?
    /// Where the node keeps its cache of lists (and, on SQLite, its store).
    package var stateDirectory: URL
    /// The status lists to fetch, by the last segment of their URI.
    package var statusListIDs: [String]
    /// How often the lists are fetched; doubled after each failure, up to ``maxBackoff``.
    package var refreshInterval: Duration
    package var maxBackoff: Duration
    /// How long one fetch may take, from the request to the last byte of the body.
    package var fetchTimeout: Duration
    /// The largest object accepted from the issuer.
    package var maxObjectBytes: Int
    /// Listening and limits, as the issuer's service.
    package var server: ServiceConfiguration

    package init(
        issuer: URL, trustAnchors: [PublicKey], logKey: NoteVerifier? = nil, stateDirectory: URL, statusListIDs: [String] = ["1"],
        refreshInterval: Duration = .seconds(30), maxBackoff: Duration = .seconds(300), fetchTimeout: Duration = .seconds(10),
        maxObjectBytes: Int = 16 << 20, server: ServiceConfiguration = ServiceConfiguration()
    ) {
        self.issuer = issuer
        self.trustAnchors = trustAnchors
        self.logKey = logKey
        self.stateDirectory = stateDirectory
        self.statusListIDs = statusListIDs
        self.refreshInterval = refreshInterval
        self.maxBackoff = maxBackoff
        self.fetchTimeout = fetchTimeout
        self.maxObjectBytes = maxObjectBytes
        self.server = server
    }
}
