/// `POST /v1/codes/identity`: `{"certificate": "…", "ttl": 300?, "showCategory": false?}`.
struct IdentityCodeRequest: Decodable, Sendable {
    /// The certificate number.
    let certificate: String
    /// Lifetime in seconds; the workspace's default when absent.
    let ttl: Int?
    /// Whether the holder chose to show category and level.
    let showCategory: Bool?

    static let expected = #"{"certificate": string, "ttl": integer (optional), "showCategory": boolean (optional)}"#
}
