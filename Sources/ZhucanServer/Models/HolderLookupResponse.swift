/// The answer of `GET /v1/holders/by-ssc/{cardNumber}`: the certificate's status and the
/// holder's entitlements, with the name and certificate number masked.
struct HolderLookupResponse: Encodable, Sendable {
    struct Certificate: Encodable, Sendable {
        /// GB/T 36904 e-license identifier.
        let licenseId: String
        /// The certificate number with its ID part masked.
        let number: String
        /// `active`, `suspended`, `revoked` or `superseded`.
        let state: String
        let category: Int
        let level: Int
        let region: String
        let validFrom: String
        let validUntil: String
    }

    struct Holder: Encodable, Sendable {
        /// Masked (王*明).
        let name: String
    }

    struct Entitlement: Encodable, Sendable {
        let id: String
        let name: String
        let entitled: Bool
        let failedClause: String?
    }

    let found: Bool
    let certificate: Certificate
    let holder: Holder
    /// Every service of the current catalogue, for an active certificate; empty otherwise.
    let entitlements: [Entitlement]
    let catalogueVersion: String?
    let requestId: String
}
