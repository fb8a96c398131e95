/// The body of a node's `GET /readyz`: `status` is `ready`, `loading` or `expired`; the
/// message, for people, says what is missing or expired and what last kept a list from being
/// fetched (a 404 at a wrong `--issuer` or `--status-list`, a failed fetch, a refusal).
struct ReadinessAnswer: Encodable {
    let status: String
    let message: String?
}
