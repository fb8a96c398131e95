/// Where a certificate is in its life.
///
/// ```
/// active ⇄ suspended      (suspend / reinstate)
/// active, suspended → revoked      (final)
/// active, suspended → superseded   (a re-issuance replaced it; final)
/// ```
package enum CertificateState: String, Sendable, Hashable, CaseIterable {
    case active, suspended, revoked, superseded

    /// Whether the certificate is live (at most one live certificate per person).
    package var isLive: Bool { self == .active || self == .suspended }
}
