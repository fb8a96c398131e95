import Foundation
import Prometheus
import ZhucanHTTP
import ZhucanRegistry

/// The issuer's lists as a scrape finds them: seconds until the newest trust list and status
/// list expire, read from the registry at each scrape (`ServiceMetrics.updateBeforeExposition`).
/// An alert on them fires before verifiers answer `status_unknown`, not after: the service
/// republishes each list half-way (`ListRepublisher`), and one that keeps falling is one that
/// cannot be signed again (the root key offline, for the trust list).
struct IssuerListMetrics: Sendable {
    let metrics: ServiceMetrics
    let registry: Registry
    let clock: @Sendable () -> Int64

    /// `zhucan_issuer_list_expires_in_seconds{list=…}` (computed: `MetricNameDescriptor` is not `Sendable`).
    static var expiresIn: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "zhucan", subsystem: "issuer", metricName: "list_expires_in", unitName: "seconds",
            helpText: "Seconds until the newest published list expires; at 0 every verifier answers status_unknown."
        )
    }

    /// Sets the gauges at each scrape.
    func register() {
        metrics.updateBeforeExposition { [self] in update() }
    }

    func update() {
        let now = clock()
        for kind in [Registry.PublicationKind.trustList, .statusList] {
            guard let expiresAt = try? registry.latestExpiry(kind) else { continue }
            metrics.registry.makeGauge(descriptor: Self.expiresIn, labels: [("list", kind.rawValue)]).set(Double(expiresAt - now))
        }
    }
}
