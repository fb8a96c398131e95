/// One verification or redemption over HTTP, as recorded: who asked, for which service, with
/// what result — and no personal data beyond the certificate reference.
package struct VerificationEvent: Sendable, Hashable {
    /// Which operation.
    package enum Route: String, Sendable, Hashable {
        case verify, redeem
    }

    /// When, seconds since the epoch.
    package var at: Int64
    /// The API key id that asked.
    package var apiKey: String?
    /// Verify or redeem.
    package var route: Route
    /// The service asked about (or the one a service code names).
    package var service: String?
    /// The verification reason (`valid`, `expired`, `already_redeemed`, …).
    package var reason: String
    /// The certificate's e-license identifier, once the code's signature verified.
    package var licenseID: String?

    /// Makes an event.
    package init(at: Int64, apiKey: String?, route: Route, service: String?, reason: String, licenseID: String?) {
        self.at = at
        self.apiKey = apiKey
        self.route = route
        self.service = service
        self.reason = reason
        self.licenseID = licenseID
    }
}
