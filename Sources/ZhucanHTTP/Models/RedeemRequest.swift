/// `POST /v1/redeem`: `{"code": "ZC2:…", "service": "free-bus"}`.
package struct RedeemRequest: Decodable, Sendable {
    /// The one-time service code as scanned.
    package let code: String
    /// The service being provided.
    package let service: String

    package init(code: String, service: String) {
        self.code = code
        self.service = service
    }

    /// What the body must look like, for the 400 message.
    package static let expected = #"{"code": string, "service": string}"#
}
