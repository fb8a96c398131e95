import GRDB

/// A certificate as the registry keeps it: the signed code and the fields to find it by.
package struct StoredCertificate: Sendable, Hashable, FetchableRecord {
    /// Row id.
    package var id: Int64
    /// Certificate number (ID number + category + level).
    package var number: String
    /// GB/T 36904 e-license identifier.
    package var licenseID: String
    /// The e-license serial, shared by all versions of one person's certificate.
    package var licenseSerial: String
    /// Holder citizen ID number.
    package var citizenID: String
    /// Holder name.
    package var name: String
    /// Category 1–7.
    package var category: Int
    /// Level 1–4.
    package var level: Int
    /// Household region.
    package var region: String
    /// Social-security card number.
    package var socialSecurityCard: String?
    /// Validity dates, yyyy-MM-dd.
    package var validFrom: String
    /// Validity dates, yyyy-MM-dd.
    package var validUntil: String
    /// Index in the status list.
    package var statusIndex: Int64
    /// Life state.
    package var state: CertificateState
    /// The signed certificate code (`ZC1:…`).
    package var code: String
    /// Key id that signed it.
    package var keyID: String
    /// When it was signed.
    package var issuedAt: Int64

    /// Makes a record (the id is assigned on insert).
    package init(
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

    /// A row of `SELECT * FROM certificate`. Through `FetchableRecord`, which reads each row
    /// in place and finds columns by a table of names; a copied `Row` finds each column by
    /// comparing lower-cased names one by one, which was a fifth of a report over a million
    /// certificates.
    package init(row: Row) {
        self.init(
            id: row["id"], number: row["number"], licenseID: row["license_id"], licenseSerial: row["license_serial"],
            citizenID: row["citizen_id"], name: row["name"], category: row["category"], level: row["level"],
            region: row["region"], socialSecurityCard: row["ssc_card"], validFrom: row["valid_from"], validUntil: row["valid_until"],
            statusIndex: row["status_index"], state: CertificateState(rawValue: row["state"]) ?? .revoked,
            code: row["code"], keyID: row["kid"], issuedAt: row["issued_at"]
        )
    }
}
