import HTTPTypes
import Prometheus
import Synchronization

/// The service's Prometheus metrics, served as text by `GET /metrics`.
///
/// Each application owns its registry, so that tests building many applications in one
/// process each count only their own requests; nothing is bootstrapped globally.
///
/// Labels take only bounded values that identify nobody: the route *template*
/// (`/v1/holders/by-ssc/{cardNumber}`, never the requested path, which may hold a card
/// number), a known method, the status code, the reason from the closed set of
/// `VerificationReason`, the credential type, the redemption outcome.
package final class ServiceMetrics: Sendable {
    /// How a `POST /v1/redeem` ended.
    package enum RedemptionOutcome: String, CaseIterable, Sendable {
        /// The one-time code is now used.
        case redeemed
        /// The code was used before.
        case alreadyRedeemed = "already_redeemed"
        /// The code does not verify (its reason is in `zhucan_verifications_total`).
        case refused
        /// A valid code that is not a one-time service code.
        case notOneTime = "not_one_time"
    }

    /// Where the metrics live.
    package let registry = PrometheusCollectorRegistry()
    /// What sets the gauges that depend on the time they are read at, run before each exposition.
    private let beforeExposition = Mutex<[@Sendable () -> Void]>([])

    /// Exposition format 0.0.4, the Prometheus text format
    /// (prometheus.io/docs/instrumenting/exposition_formats).
    package static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    // The metric names (computed: `MetricNameDescriptor` is not `Sendable`).
    package static var requests: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "zhucan", subsystem: "http", metricName: "requests", unitName: "total",
            helpText: "HTTP requests by method, route template and status code."
        )
    }

    package static var requestDuration: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "zhucan", subsystem: "http", metricName: "request_duration", unitName: "seconds",
            helpText: "Time from receiving a request to its response head, by method and route template."
        )
    }

    package static var verifications: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "zhucan", metricName: "verifications", unitName: "total",
            helpText: "Codes checked by POST /v1/verify and /v1/redeem, by endpoint, answer reason and credential type."
        )
    }

    package static var redemptions: MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "zhucan", metricName: "redemptions", unitName: "total",
            helpText: "POST /v1/redeem answers by outcome."
        )
    }

    /// Histogram buckets from half a millisecond (a cached public object) to 5 s.
    package static let durationBuckets: [Duration] = [
        .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(20),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
    ]

    /// Methods counted by name; any other is counted as `other`, so that a client cannot add
    /// series by inventing methods.
    package static let namedMethods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .delete, .patch, .options]

    /// One request series: a counter and the duration histogram of its method and route.
    private struct RequestSeries: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    /// One verification series.
    private struct VerificationSeries: Hashable {
        let endpoint: String
        let reason: String
        let type: String
    }

    // The series met so far, by labels. The registry hands out the same collector for the same
    // labels, but finding it (the name built from its descriptor, the label array, the
    // registry's lock and its dictionary) was 3% of the service's CPU on `GET /healthz`. Labels
    // are bounded (see above), and so are these.
    private let requestSeries = Mutex<[RequestSeries: (count: Counter, duration: DurationHistogram)]>([:])
    private let verificationSeries = Mutex<[VerificationSeries: Counter]>([:])

    /// Makes the registry, with every redemption outcome at zero so that rates exist from the
    /// first scrape.
    package init() {
        for outcome in RedemptionOutcome.allCases {
            _ = registry.makeCounter(descriptor: Self.redemptions, labels: [("outcome", outcome.rawValue)])
        }
    }

    /// Counts one answered request and its duration.
    /// - Parameters:
    ///   - method: the request method.
    ///   - route: the matched route template, or `unmatched`.
    ///   - status: the answer's status code.
    ///   - duration: time until the answer was ready.
    package func recordRequest(method: HTTPRequest.Method, route: String, status: Int, duration: Duration) {
        let series = RequestSeries(method: Self.namedMethods.contains(method) ? method.rawValue : "other", route: route, status: status)
        let collectors = requestSeries.withLock { known in
            if let collectors = known[series] { return collectors }
            let collectors = (
                count: registry.makeCounter(
                    descriptor: Self.requests, labels: [("method", series.method), ("route", route), ("status", String(status))]
                ),
                duration: registry.makeDurationHistogram(
                    descriptor: Self.requestDuration, labels: [("method", series.method), ("route", route)], buckets: Self.durationBuckets
                )
            )
            known[series] = collectors
            return collectors
        }
        collectors.count.increment()
        collectors.duration.record(duration)
    }

    /// Counts one verification answer.
    /// - Parameters:
    ///   - endpoint: `verify` or `redeem`.
    ///   - reason: the answer's reason (a `VerificationReason`, or `not_one_time`).
    ///   - type: `certificate`, `identity_code`, `service_code` or `unknown`.
    package func recordVerification(endpoint: String, reason: String, type: String) {
        let series = VerificationSeries(endpoint: endpoint, reason: reason, type: type)
        let counter = verificationSeries.withLock { known in
            if let counter = known[series] { return counter }
            let counter = registry.makeCounter(descriptor: Self.verifications, labels: [("endpoint", endpoint), ("reason", reason), ("type", type)])
            known[series] = counter
            return counter
        }
        counter.increment()
    }

    /// Counts one redemption answer.
    package func recordRedemption(_ outcome: RedemptionOutcome) {
        registry.makeCounter(descriptor: Self.redemptions, labels: [("outcome", outcome.rawValue)]).increment()
    }

    /// Runs `update` before each exposition: for gauges that are true only of the moment they
    /// are read (a list's age, whether it has expired), which a scrape must not find as they
    /// stood at some earlier event.
    package func updateBeforeExposition(_ update: @escaping @Sendable () -> Void) {
        beforeExposition.withLock { $0.append(update) }
    }

    /// Every metric in the text format.
    package func exposition() -> [UInt8] {
        for update in beforeExposition.withLock({ $0 }) { update() }
        return registry.emitToBuffer()
    }
}
