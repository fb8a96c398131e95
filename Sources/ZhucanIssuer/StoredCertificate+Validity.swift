import ZhucanIdentifiers
import ZhucanRegistry

extension StoredCertificate {
    /// Where a day falls against a certificate's validity: from the start of `validFrom` to
    /// the end of `validUntil`, China time (Docs/format.md §6.2, `vf` and `vu`).
    enum Validity: Equatable {
        /// Before `validFrom`.
        case notYetValid(from: CivilDate)
        /// Within it.
        case valid
        /// After `validUntil`.
        case expired(until: CivilDate)
    }

    /// Where `date` falls against the validity. A stored bound that does not read as a date
    /// limits nothing (the registry writes only dates).
    func validity(on date: CivilDate) -> Validity {
        if let from = try? CivilDate(validFrom), date < from { return .notYetValid(from: from) }
        if let until = try? CivilDate(validUntil), date > until { return .expired(until: until) }
        return .valid
    }

    /// The state people are told on `date`: the registry's, and for an active certificate
    /// outside its dates `expired` or `not_yet_valid` (the holder's page, a window's lookup).
    package func state(on date: CivilDate) -> String {
        guard state == .active else { return state.rawValue }
        return switch validity(on: date) {
        case .valid: "active"
        case .expired: "expired"
        case .notYetValid: "not_yet_valid"
        }
    }

    /// The longest a code minted at `now` may live: `seconds`, cut to the end of the last day
    /// (China time), for a code may not outlive its certificate; at least 1. The holder's page
    /// mints with it: the holder cannot choose a shorter lifetime, and in the last minutes of
    /// the term would get no code at all.
    package func codeLifetime(atMost seconds: Int, now: Int64) -> Int {
        guard let endsAt else { return seconds }
        return max(1, min(seconds, Int(clamping: endsAt - now)))
    }

    /// The first moment after the last day (00:00 China time the day after `validUntil`), which
    /// no code may outlive; nil when `validUntil` does not read as a date.
    var endsAt: Int64? {
        (try? CivilDate(validUntil)).map(ChinaTime.startOfDay(after:))
    }

    /// Whether the certificate is active and `date` within its validity: what a holder needs to
    /// be entitled to anything (Docs/catalogue.md §6, "any valid certificate").
    func isInForce(on date: CivilDate) -> Bool {
        state == .active && validity(on: date) == .valid
    }
}
