/// The JSON body of every error answer: `{"error": CODE, "message": …}`.
struct ErrorBody: Encodable, Sendable {
    /// A stable code (`unauthorized`, `rate_limited`, …).
    let error: String
    /// A human explanation.
    let message: String
}
