import ZhucanEnvelope
import ZhucanHTTP
import ZhucanRegistry

/// The issuer's lists in `GET /readyz`: ready while its newest trust list and status list are
/// unexpired. Once either has expired every verification here, and at every node that took
/// it, answers `status_unknown`. The service republishes both half-way through their lives
/// (`ListRepublisher`); a trust list that still expires waits for the root key, which is kept
/// offline.
struct IssuerReadiness: Sendable {
    let registry: Registry
    let clock: @Sendable () -> Int64

    func answer() -> ReadinessAnswer {
        let now = clock()
        for (kind, remedy) in [
            (Registry.PublicationKind.trustList, "publish one with the root key: zhucan trust-list publish --dir D --out FILE"),
            (.statusList, "the service republishes it on its own: see its log for why it could not, or run zhucan status-list publish --dir D --out FILE"),
        ] {
            let latest: Registry.Publication?
            do {
                latest = try registry.latestPublication(kind)
            } catch {
                return ReadinessAnswer(status: "unavailable", message: "the registry cannot be read: \(error)")
            }
            guard let latest else {
                return ReadinessAnswer(status: "loading", message: "no \(kind.rawValue) is published: \(remedy)")
            }
            if latest.expiresAt <= now {
                return ReadinessAnswer(
                    status: "expired",
                    message: "the \(kind.rawValue) expired at \(Timestamp.iso(latest.expiresAt)); every answer would be status_unknown: \(remedy)"
                )
            }
        }
        return ReadinessAnswer(status: "ready", message: nil)
    }
}
