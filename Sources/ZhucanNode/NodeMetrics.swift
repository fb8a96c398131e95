import Prometheus
import ZhucanHTTP

/// The node's own metrics, beside the service's (`ServiceMetrics`), in the same registry:
/// the age and remaining life of each list in use, refused objects, failed fetches, refresh
/// rounds, failures to keep what it took, and the log it watches.
package struct NodeMetrics: Sendable {
    let service: ServiceMetrics

    package init(service: ServiceMetrics) {
        self.service = service
        // Present from the first scrape, so that an alert on them has a value.
        service.registry.makeGauge(descriptor: Self.logInconsistent).set(0.0)
        service.registry.makeGauge(descriptor: Self.ready).set(0.0)
    }

    // The metric names, `zhucan_node_…` (computed: `MetricNameDescriptor` is not `Sendable`).
    static var logInconsistent: MetricNameDescriptor {
        name("log_inconsistent", "", "1 while the issuer's latest checkpoint does not extend the last one the node trusts (a forked or rewritten log).")
    }

    static var logSize: MetricNameDescriptor { name("log_size", "", "Size of the latest checkpoint the node trusts.") }

    static var ready: MetricNameDescriptor { name("ready", "", "1 once the trust list and every status list are loaded.") }

    static var listAge: MetricNameDescriptor { name("list_age", "seconds", "Seconds since the list in use was signed (its iat).") }

    static var listExpiresIn: MetricNameDescriptor {
        name("list_expires_in", "seconds", "Seconds until the list in use expires; at 0 verifications answer status_unknown.")
    }

    static var refusedObjects: MetricNameDescriptor {
        name("refused_objects", "total", "Objects fetched from the issuer and refused; the last good one stays in use.")
    }

    static var fetchFailures: MetricNameDescriptor {
        name("fetch_failures", "total", "Fetches from the issuer that failed, and 404s for a list the node needs; the node retries with backoff.")
    }

    static var refreshRounds: MetricNameDescriptor {
        name(
            "refresh_rounds", "total",
            "Refresh rounds finished: reached when the trust list and every status list were brought up to date (taken or unchanged, not refused) and the log let them be taken; else unreachable."
        )
    }

    static var storeFailures: MetricNameDescriptor {
        name(
            "store_failures", "total",
            "Lists taken that could not be written to the cache, or floors that could not be kept in the store: a restart may then start from older lists."
        )
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "zhucan", subsystem: "node", metricName: metric, unitName: unit, helpText: help)
    }

    /// Sets each list's age (now − `iat`) and remaining life (`exp` − now), seconds.
    func recordLists(_ times: [(list: String, issuedAt: Int64, expiresAt: Int64?)], now: Int64) {
        for (list, issuedAt, expiresAt) in times {
            service.registry.makeGauge(descriptor: Self.listAge, labels: [("list", list)]).set(Double(now - issuedAt))
            if let expiresAt {
                service.registry.makeGauge(descriptor: Self.listExpiresIn, labels: [("list", list)]).set(Double(expiresAt - now))
            }
        }
    }

    /// Counts an object refused (bad signature, older, expired, changed, inconsistent log).
    func recordRefusal(list: String, reason: String) {
        service.registry.makeCounter(descriptor: Self.refusedObjects, labels: [("list", Self.family(list)), ("reason", reason)]).increment()
    }

    /// Counts a fetch that failed (issuer down, slow, or an unexpected answer).
    func recordFetchFailure(list: String) {
        service.registry.makeCounter(descriptor: Self.fetchFailures, labels: [("list", Self.family(list))]).increment()
    }

    /// Counts a refresh round: `reached` when it brought every list the node needs up to date
    /// (`ListRefresher.refresh()`).
    /// Counts a failure to keep what the node took: `cache` (a list's file) or `floor`.
    func recordStoreFailure(_ what: String) {
        service.registry.makeCounter(descriptor: Self.storeFailures, labels: [("what", what)]).increment()
    }

    func recordRound(reached: Bool) {
        service.registry.makeCounter(descriptor: Self.refreshRounds, labels: [("result", reached ? "reached" : "unreachable")]).increment()
    }

    func recordLog(size: UInt64, inconsistent: Bool) {
        service.registry.makeGauge(descriptor: Self.logSize).set(Double(size))
        service.registry.makeGauge(descriptor: Self.logInconsistent).set(inconsistent ? 1.0 : 0.0)
    }

    func recordReady(_ ready: Bool) {
        service.registry.makeGauge(descriptor: Self.ready).set(ready ? 1.0 : 0.0)
    }

    /// A label without an unbounded part: `catalogue/7` counts as `catalogue`.
    static func family(_ list: String) -> String {
        list.hasPrefix("catalogue/") ? "catalogue" : list
    }
}
