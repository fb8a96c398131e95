import Logging
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

    func answer(logger: Logger) -> ReadinessAnswer {
        let now = clock()
        for (kind, remedy) in [
            (Registry.PublicationKind.trustList, "publish one with the root key: zhucan trust-list publish --dir D --out FILE"),
            (.statusList, "the service republishes it on its own: see its log for why it could not, or run zhucan status-list publish --dir D --out FILE"),
        ] {
            let expiresAt: Int64?
            do {
                expiresAt = try registry.latestExpiry(kind)
            } catch {
                logger.warning("readiness: the registry cannot be read", metadata: ["error": "\(error)"])
                return ReadinessAnswer(status: "unavailable", message: "the registry cannot be read: see the service's log")
            }
            guard let expiresAt else {
                return ReadinessAnswer(status: "loading", message: "no \(kind.rawValue) is published: \(remedy)")
            }
            if expiresAt <= now {
                return ReadinessAnswer(
                    status: "expired",
                    message: "the \(kind.rawValue) expired at \(Timestamp.iso(expiresAt)); every answer would be status_unknown: \(remedy)"
                )
            }
        }
        return ReadinessAnswer(status: "ready", message: nil)
    }
}
