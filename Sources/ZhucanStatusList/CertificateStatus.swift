import ZhucanEnvelope

/// The status of one Zhucan certificate in its 2-bit status list (draft-ietf-oauth-status-list
/// §7.1 Status Types).
package enum CertificateStatus: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// 0x00 VALID: the certificate stands.
    case valid = 0
    /// 0x01 INVALID: revoked, permanently.
    case invalid = 1
    /// 0x02 SUSPENDED: temporarily not valid; may return to `valid`.
    case suspended = 2
    /// 0x03, "permanently reserved as application specific" (§7.1). Zhucan defines no meaning
    /// for it and never writes it; a verifier that reads it knows nothing about the
    /// certificate and answers `status_unknown`, which is never accepted.
    case applicationSpecific = 3

    /// The verification answer for a certificate with this status.
    package var verificationReason: VerificationReason {
        switch self {
        case .valid: .valid
        case .invalid: .revoked
        case .suspended: .suspended
        case .applicationSpecific: .statusUnknown
        }
    }

    /// `valid`, `invalid`, `suspended` or `application-specific(3)`.
    package var description: String {
        switch self {
        case .valid: "valid"
        case .invalid: "invalid"
        case .suspended: "suspended"
        case .applicationSpecific: "application-specific(3)"
        }
    }
}
