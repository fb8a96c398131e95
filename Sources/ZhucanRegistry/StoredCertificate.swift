import GRDB

/// A certificate as the registry keeps it: the signed code and the fields to find it by.
public struct StoredCertificate: Sendable, Hashable {
    /// Row id.
    public var id: Int64
    /// Certificate number (ID number + category + level).
    public var number: String
    /// GB/T 36904 e-license identifier.
    public var licenseID: String
    /// The e-license serial, shared by all versions of one person's certificate.
    public var licenseSerial: String
    /// Holder citizen ID number.
    public var citizenID: String
    /// Holder name.
    public var name: String
    /// Category 1–7.
    public var category: Int
    /// Level 1–4.
    public var level: Int
    /// Household region.
    public var region: String
    /// Social-security card number.
    public var socialSecurityCard: String?
    /// Validity dates, yyyy-MM-dd.
    public var validFrom: String
    /// Validity dates, yyyy-MM-dd.
    public var validUntil: String
    /// Index in the status list.
    public var statusIndex: Int64
    /// Life state.
    public var state: CertificateState
    /// The signed certificate code (`ZC1:…`).
    public var code: String
    /// Key id that signed it.
    public var keyID: String
    /// When it was signed.
    public var issuedAt: Int64

    /// Makes a record (the id is assigned on insert).
    public init(
        id: Int64 = 0, number: String, licenseID: String, licenseSerial: String, citizenID: String, name: String,
        category: Int, level: Int, region: String, socialSecurityCard: String?, validFrom: String, validUntil: String,
        statusIndex: Int64, state: CertificateState = .active, code: String, keyID: String, issuedAt: Int64
    ) {
        self.id = id
        self.number = number
        self.licenseID = licenseID
        self.licenseSerial = licenseSerial
        self.citizenID = citizenID
        self.name = name
        self.category = category
        self.level = level
        self.region = region
        self.socialSecurityCard = socialSecurityCard
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.statusIndex = statusIndex
        self.state = state
        self.code = code
        self.keyID = keyID
        self.issuedAt = issuedAt
    }

    init(row: Row) {
        self.init(
            id: row["id"], number: row["number"], licenseID: row["license_id"], licenseSerial: row["license_serial"],
            citizenID: row["citizen_id"], name: row["name"], category: row["category"], level: row["level"],
            region: row["region"], socialSecurityCard: row["ssc_card"], validFrom: row["valid_from"], validUntil: row["valid_until"],
            statusIndex: row["status_index"], state: CertificateState(rawValue: row["state"]) ?? .revoked,
            code: row["code"], keyID: row["kid"], issuedAt: row["issued_at"]
        )
    }
}
