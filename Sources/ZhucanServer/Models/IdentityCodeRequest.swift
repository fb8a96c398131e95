/// `POST /v1/codes/identity`: `{"certificate": "…", "ttl": 300?, "showCategory": false?, "format": 2?}`.
struct IdentityCodeRequest: Decodable, Sendable {
    /// The certificate number.
    let certificate: String
    /// Lifetime in seconds; the workspace's default when absent.
    let ttl: Int?
    /// Whether the holder chose to show category and level.
    let showCategory: Bool?
    /// The code format: 2 (compact, the default) or 1 (`ZC1:`, for verifiers not yet updated).
    let format: Int?

    static let expected = #"{"certificate": string, "ttl": integer (optional), "showCategory": boolean (optional), "format": 1 or 2 (optional)}"#
}
