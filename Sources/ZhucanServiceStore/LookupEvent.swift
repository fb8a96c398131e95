/// One social-security-card lookup, as recorded: who, when, which card (masked), why, and
/// which certificate was found, if any.
package struct LookupEvent: Sendable, Hashable {
    /// When, seconds since the epoch.
    package var at: Int64
    /// The API key id that asked.
    package var apiKey: String?
    /// The card number masked to its first and last 2 characters (`A1*****78`).
    package var maskedCard: String
    /// The stated purpose.
    package var purpose: String
    /// The certificate found, by its e-licence identifier (GB/T 36904); nil when none was. A
    /// masked card cannot tell one holder from another: this is what answers a holder who
    /// asks who looked them up.
    package var licenseID: String?
    /// Whether a certificate was found.
    package var found: Bool { licenseID != nil }

    /// Makes an event.
    package init(at: Int64, apiKey: String?, maskedCard: String, purpose: String, licenseID: String?) {
        self.at = at
        self.apiKey = apiKey
        self.maskedCard = maskedCard
        self.purpose = purpose
        self.licenseID = licenseID
    }
}
