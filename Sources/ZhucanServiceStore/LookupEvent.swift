/// One social-security-card lookup, as recorded: who, when, which card (masked), why, and
/// whether a certificate was found.
package struct LookupEvent: Sendable, Hashable {
    /// When, seconds since the epoch.
    package var at: Int64
    /// The API key id that asked.
    package var apiKey: String?
    /// The card number masked to its first and last 2 characters (`A1*****78`).
    package var maskedCard: String
    /// The stated purpose.
    package var purpose: String
    /// Whether a certificate was found.
    package var found: Bool

    /// Makes an event.
    package init(at: Int64, apiKey: String?, maskedCard: String, purpose: String, found: Bool) {
        self.at = at
        self.apiKey = apiKey
        self.maskedCard = maskedCard
        self.purpose = purpose
        self.found = found
    }
}
