/// `POST /v1/redeem`: `{"code": "ZC1:…", "service": "free-bus"}`.
struct RedeemRequest: Decodable, Sendable {
    /// The one-time service code as scanned.
    let code: String
    /// The service being provided.
    let service: String

    /// What the body must look like, for the 400 message.
    static let expected = #"{"code": string, "service": string}"#
}
