import Prometheus
import ZhucanHTTP

/// The node's own metrics, beside the service's (`ServiceMetrics`), in the same registry:
/// the age and remaining life of each list in use, refused objects, failed fetches, and the
/// log it watches.
package struct NodeMetrics: Sendable {
    let service: ServiceMetrics

    package init(service: ServiceMetrics) {
        self.service = service
        // Present from the first scrape, so that an alert on them has a value.
        service.registry.makeGauge(name: "zhucan_node_log_inconsistent", help: Self.inconsistentHelp).set(0.0)
        service.registry.makeGauge(name: "zhucan_node_ready", help: "1 once the trust list and every status list are loaded.").set(0.0)
    }

    static let inconsistentHelp = "1 while the issuer's latest checkpoint does not extend the last one the node trusts (a forked or rewritten log)."

    /// Sets each list's age (now − `iat`) and remaining life (`exp` − now), seconds.
    func recordLists(_ times: [(list: String, issuedAt: Int64, expiresAt: Int64?)], now: Int64) {
        for (list, issuedAt, expiresAt) in times {
            service.registry.makeGauge(
                name: "zhucan_node_list_age_seconds", labels: [("list", list)],
                help: "Seconds since the list in use was signed (its iat)."
            ).set(Double(now - issuedAt))
            if let expiresAt {
                service.registry.makeGauge(
                    name: "zhucan_node_list_expires_in_seconds", labels: [("list", list)],
                    help: "Seconds until the list in use expires; at 0 verifications answer status_unknown."
                ).set(Double(expiresAt - now))
            }
        }
    }

    /// Counts an object refused (bad signature, older, expired, changed, inconsistent log).
    func recordRefusal(list: String, reason: String) {
        service.registry.makeCounter(
            name: "zhucan_node_refused_objects_total", labels: [("list", Self.family(list)), ("reason", reason)],
            help: "Objects fetched from the issuer and refused; the last good one stays in use."
        ).increment()
    }

    /// Counts a fetch that failed (issuer down, slow, or an unexpected answer).
    func recordFetchFailure(list: String) {
        service.registry.makeCounter(
            name: "zhucan_node_fetch_failures_total", labels: [("list", Self.family(list))],
            help: "Fetches from the issuer that failed; the node retries with backoff."
        ).increment()
    }

    /// Counts a refresh round: `reached` when the issuer answered every fetch of it.
    func recordRound(reached: Bool) {
        service.registry.makeCounter(
            name: "zhucan_node_refresh_rounds_total", labels: [("result", reached ? "reached" : "unreachable")],
            help: "Refresh rounds finished, by whether the issuer answered every fetch of the round."
        ).increment()
    }

    func recordLog(size: UInt64, inconsistent: Bool) {
        service.registry.makeGauge(name: "zhucan_node_log_size", help: "Size of the latest checkpoint the node trusts.")
            .set(Double(size))
        service.registry.makeGauge(name: "zhucan_node_log_inconsistent", help: Self.inconsistentHelp).set(inconsistent ? 1.0 : 0.0)
    }

    func recordReady(_ ready: Bool) {
        service.registry.makeGauge(name: "zhucan_node_ready", help: "1 once the trust list and every status list are loaded.")
            .set(ready ? 1.0 : 0.0)
    }

    /// A label without an unbounded part: `catalogue/7` counts as `catalogue`.
    static func family(_ list: String) -> String {
        list.hasPrefix("catalogue/") ? "catalogue" : list
    }
}
