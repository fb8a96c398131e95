import ZhucanIdentifiers

/// What an issuance needs, validated.
public struct IssueRequest: Sendable, Hashable {
    /// Holder name.
    public var name: PersonName
    /// Holder citizen ID number.
    public var citizenID: CitizenIDNumber
    /// Disability category.
    public var category: DisabilityCategory
    /// Disability level.
    public var level: DisabilityLevel
    /// Household region.
    public var region: RegionCode
    /// Social-security card number.
    public var socialSecurityCard: SocialSecurityCardNumber?
    /// First day of validity; `nil` for the issuance date.
    public var validFrom: CivilDate?

    /// Makes a request.
    public init(
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
public struct IssuedCertificate: Sendable, Hashable {
    /// The certificate code (`ZC1:…`).
    public let code: String
    /// 证照编号.
    public let certificateNumber: String
    /// 证照标识.
    public let licenseID: String
    /// Index in the status list.
    public let statusIndex: Int64
    /// The certificate number this one superseded (a category or level change).
    public let superseded: String?
    /// Validity.
    public let validFrom: String
    /// Validity.
    public let validUntil: String
}
