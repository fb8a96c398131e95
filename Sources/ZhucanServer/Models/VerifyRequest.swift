/// `POST /v1/verify`: `{"code": "ZC1:…", "service": "free-bus"?}`.
struct VerifyRequest: Decodable, Sendable {
    /// The code as scanned; any text (a malformed code is an answer, not a bad request).
    let code: String
    /// The service being provided: a service code must be for it.
    let service: String?

    /// What the body must look like, for the 400 message.
    static let expected = #"{"code": string, "service": string (optional)}"#
}
