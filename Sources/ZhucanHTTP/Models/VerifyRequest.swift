/// `POST /v1/verify`: `{"code": "ZC2:…", "service": "free-bus"?}`.
package struct VerifyRequest: Decodable, Sendable {
    /// The code as scanned; any text (a malformed code is an answer, not a bad request).
    package let code: String
    /// The service being provided: a service code must be for it.
    package let service: String?

    package init(code: String, service: String?) {
        self.code = code
        self.service = service
    }

    /// What the body must look like, for the 400 message.
    package static let expected = #"{"code": string, "service": string (optional)}"#
}
