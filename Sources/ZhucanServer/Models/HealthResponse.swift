/// The answer of `GET /healthz`.
struct HealthResponse: Encodable, Sendable {
    let status: String
}
