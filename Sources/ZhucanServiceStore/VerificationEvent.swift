/// One verification or redemption over HTTP, as recorded: who asked, for which service, with
/// what result — and no personal data beyond the certificate reference.
public struct VerificationEvent: Sendable, Hashable {
    /// Which operation.
    public enum Route: String, Sendable, Hashable {
        case verify, redeem
    }

    /// When, seconds since the epoch.
    public var at: Int64
    /// The API key id that asked.
    public var apiKey: String?
    /// Verify or redeem.
    public var route: Route
    /// The service asked about (or the one a service code names).
    public var service: String?
    /// The verification reason (`valid`, `expired`, `already_redeemed`, …).
    public var reason: String
    /// The certificate's e-license identifier, once the code's signature verified.
    public var licenseID: String?

    /// Makes an event.
    public init(at: Int64, apiKey: String?, route: Route, service: String?, reason: String, licenseID: String?) {
        self.at = at
        self.apiKey = apiKey
        self.route = route
        self.service = service
        self.reason = reason
        self.licenseID = licenseID
    }
}
