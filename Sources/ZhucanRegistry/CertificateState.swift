/// Where a certificate is in its life.
///
/// ```
/// active ⇄ suspended      (suspend / reinstate)
/// active, suspended → revoked      (final)
/// active, suspended → superseded   (a re-issuance replaced it; final)
/// ```
public enum CertificateState: String, Sendable, Hashable, CaseIterable {
    case active, suspended, revoked, superseded

    /// Whether the certificate is live (at most one live certificate per person).
    public var isLive: Bool { self == .active || self == .suspended }
}
