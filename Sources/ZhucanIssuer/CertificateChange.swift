import ZhucanIdentifiers

/// What a re-issue of one live certificate changes (`Workspace.reissueCertificate`): details
/// entered wrong or changed since (`zhucan correct`: the name, the household region after a
/// move, the social-security card), and with `renewal` its term (`zhucan renew`, 换领).
///
/// The person, the category and the level never change here: those make another certificate
/// number, which `zhucan issue` gives after a new assessment (管理办法 Art. 22); a wrong ID
/// number is a certificate revoked and another issued.
package struct CertificateChange: Sendable, Hashable {
    /// What happens to the certificate's social-security card.
    package enum Card: Sendable, Hashable {
        /// The card stays as it is.
        case keep
        /// Another card (a wrong number entered, a card re-issued by the social-security office).
        case replace(SocialSecurityCardNumber)
        /// No card: one entered that was another person's.
        case remove
    }

    package var name: PersonName?
    package var region: RegionCode?
    package var card: Card
    /// Whether the certificate gets a new ten-year term (管理办法 Art. 19).
    package var renews: Bool
    /// With `renews`, the new term's first day; `nil` for the day of the renewal.
    package var renewedFrom: CivilDate?

    package init(name: PersonName? = nil, region: RegionCode? = nil, card: Card = .keep, renews: Bool = false, renewedFrom: CivilDate? = nil) {
        self.name = name
        self.region = region
        self.card = card
        self.renews = renews
        self.renewedFrom = renewedFrom
    }
}
