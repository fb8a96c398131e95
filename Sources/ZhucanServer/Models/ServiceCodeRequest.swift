/// `POST /v1/codes/service`: `{"certificate": "…", "service": "free-bus", "ttl": 600?, "oneTime": false?, "format": 2?}`.
struct ServiceCodeRequest: Decodable, Sendable {
    /// The certificate number.
    let certificate: String
    /// The catalogue service id.
    let service: String
    /// Lifetime in seconds; the workspace's default when absent.
    let ttl: Int?
    /// Redeemable once (the catalogue may make it one-time anyway).
    let oneTime: Bool?
    /// The code format: 2 (compact, the default) or 1 (`ZC1:`, for verifiers not yet updated).
    let format: Int?

    static let expected = #"{"certificate": string, "service": string, "ttl": integer (optional), "oneTime": boolean (optional), "format": 1 or 2 (optional)}"#
}
