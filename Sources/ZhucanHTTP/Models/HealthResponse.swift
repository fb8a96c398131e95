/// The answer of `GET /healthz`.
package struct HealthResponse: Encodable, Sendable {
    package let status: String
}
