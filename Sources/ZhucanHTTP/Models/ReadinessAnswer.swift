/// The body of `GET /readyz`: `status` is `ready`, `loading` (a node's lists not loaded yet),
/// `expired` (a list every verification needs has expired) or `unavailable` (the store does
/// not answer); the message, for people, says what is missing or expired and what to do, or
/// on a node what last kept a list from being fetched (a 404 at a wrong `--issuer` or
/// `--status-list`, a failed fetch, a refusal).
package struct ReadinessAnswer: Encodable, Sendable {
    package let status: String
    package let message: String?

    package init(status: String, message: String?) {
        self.status = status
        self.message = message
    }

    /// Whether the service should take requests: 200, else 503.
    package var isReady: Bool { status == "ready" }
}
