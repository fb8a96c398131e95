/// The JSON body of every error answer: `{"error": CODE, "message": …}`.
package struct ErrorBody: Encodable, Sendable {
    /// A stable code (`unauthorized`, `rate_limited`, …).
    package let error: String
    /// A human explanation.
    package let message: String
}
