import ZhucanIdentifiers

/// What an issuance needs, validated.
package struct IssueRequest: Sendable, Hashable {
    /// Holder name.
    package var name: PersonName
    /// Holder citizen ID number.
    package var citizenID: CitizenIDNumber
    /// Disability category.
    package var category: DisabilityCategory
    /// Disability level.
    package var level: DisabilityLevel
    /// Household region.
    package var region: RegionCode
    /// Social-security card number.
    package var socialSecurityCard: SocialSecurityCardNumber?
    /// First day of validity; `nil` for the issuance date.
    package var validFrom: CivilDate?

    /// Makes a request.
    package init(
        name: PersonName, citizenID: CitizenIDNumber, category: DisabilityCategory, level: DisabilityLevel,
        region: RegionCode, socialSecurityCard: SocialSecurityCardNumber? = nil, validFrom: CivilDate? = nil
    ) {
        self.name = name
        self.citizenID = citizenID
        self.category = category
        self.level = level
        self.region = region
        self.socialSecurityCard = socialSecurityCard
        self.validFrom = validFrom
    }
}

/// A certificate just issued.
package struct IssuedCertificate: Sendable, Hashable {
    /// The certificate code (`ZC1:…`).
    package let code: String
    /// 证照编号.
    package let certificateNumber: String
    /// 证照标识.
    package let licenseID: String
    /// Index in the status list.
    package let statusIndex: Int64
    /// The certificate number this one superseded (a category or level change).
    package let superseded: String?
    /// Validity.
    package let validFrom: String
    /// Validity.
    package let validUntil: String
}
