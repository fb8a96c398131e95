import Foundation
import ZhucanCBOR
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanStatusList

/// An electronic disability certificate (残疾人电子证照): the GB/T 36903 metadata of the
/// national e-license platform, carried as CWT claims.
///
/// ```
/// claims = {
///   1 (iss) => tstr,               ; 证照颁发机构代码: issuer USCC
///   5 (nbf) / 4 (exp) => int,      ; 有效期起始日期 / 有效期截止日期 (00:00 China time)
///   6 (iat) => int,                ; 证照颁发日期
///   7 (cti) => bstr .size 16,      ; random token id
///   65535 (status) => { "status_list": { "idx": uint, "uri": tstr } },
///   -65537 (content) => {
///     "no"  => tstr,   ; 证照编号: certificate number = ID number + category + level
///     "lid" => tstr,   ; 证照标识: GB/T 36904 e-license identifier
///     "nm"  => tstr,   ; 持证主体: holder name (clear; the holder's own certificate)
///     "rg"  => tstr,   ; household region, GB/T 2260
///     ? "ssc" => tstr, ; social-security card number (社会保障卡卡号)
///     "vf"  => tstr, "vu" => tstr,   ; validity dates, yyyy-MM-dd
///     "isn" => tstr,   ; 证照颁发机构: issuer name
///   }
/// }
/// ```
/// The holder's citizen ID (持证主体代码, type 111), sex, birth date, category and level are
/// all read from the certificate number, so they cannot disagree with it.
package struct DisabilityCertificate: Sendable, Hashable {
    /// 证照名称: the license name on the national platform.
    package static let licenseName = "中华人民共和国残疾人证"
    /// Validity: 10 years (残疾人证管理办法 Art. 19).
    package static let validityYears = CertificateTerm.years

    /// 证照编号.
    package var number: DisabilityCertificateNumber
    /// 证照标识.
    package var licenseID: ELicenseIdentifier
    /// 持证主体.
    package var holderName: PersonName
    /// Household region.
    package var region: RegionCode
    /// Social-security card number, when linked.
    package var socialSecurityCard: SocialSecurityCardNumber?
    /// First day of validity.
    package var validFrom: CivilDate
    /// Last day of validity.
    package var validUntil: CivilDate
    /// Issuer name and code.
    package var issuerName: String
    /// 证照颁发机构代码.
    package var issuerCode: UnifiedSocialCreditCode
    /// Where the certificate's status is published.
    package var status: StatusReference
    /// When it was signed (seconds since the epoch).
    package var issuedAt: Int64
    /// Random token id.
    package var tokenID: [UInt8]

    /// The holder's citizen ID number.
    package var citizenID: CitizenIDNumber { number.citizenID }
    /// The disability category.
    package var category: DisabilityCategory { number.category }
    /// The disability level.
    package var level: DisabilityLevel { number.level }

    /// Makes a certificate.
    package init(
        number: DisabilityCertificateNumber, licenseID: ELicenseIdentifier, holderName: PersonName,
        region: RegionCode, socialSecurityCard: SocialSecurityCardNumber?, validFrom: CivilDate, validUntil: CivilDate,
        issuerName: String, issuerCode: UnifiedSocialCreditCode, status: StatusReference, issuedAt: Int64, tokenID: [UInt8]
    ) {
        self.number = number
        self.licenseID = licenseID
        self.holderName = holderName
        self.region = region
        self.socialSecurityCard = socialSecurityCard
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.issuerName = issuerName
        self.issuerCode = issuerCode
        self.status = status
        self.issuedAt = issuedAt
        self.tokenID = tokenID
    }

    /// The CWT claims.
    package var claims: CWTClaims {
        var content = ContentMap()
        content.set("no", .text(number.value))
        content.set("lid", .text(licenseID.value))
        content.set("nm", .text(holderName.unmaskedValue))
        content.set("rg", .text(region.value))
        content.set("ssc", socialSecurityCard.map { .text($0.value) })
        content.set("vf", .text(validFrom.description))
        content.set("vu", .text(validUntil.description))
        content.set("isn", .text(issuerName))
        var claims = CWTClaims(
            issuer: issuerCode.value,
            expiration: ChinaTime.startOfDay(after: validUntil),
            notBefore: ChinaTime.startOfDay(validFrom),
            issuedAt: issuedAt,
            cwtID: tokenID
        )
        claims.otherClaims = [
            CBOR.Pair(key: CBOR(ClaimKey.content), value: content.cbor),
            status.claim,
        ]
        return claims
    }

    /// The claims in the compact format (Docs/format.md §15.5; `CompactLayout` for the common
    /// keys): 3 holder name, 4 certificate number, 5 region as a number, 7 social-security
    /// card; `nbf` and `exp` give the validity dates, and the issuer and its name come from the
    /// signer's trust-list entry. `nil` when the reference or the status URI cannot be compact.
    package var compactClaims: CWTClaims? {
        guard var claims = CompactLayout.claims(
            issuedAt: issuedAt, expiresAt: ChinaTime.startOfDay(after: validUntil), nonce: tokenID, status: status,
            certificateReference: CompactLayout.reference(licenseID), agent: nil, content: { content in
                content.set(Self.compactName, CBOR.text(holderName.unmaskedValue))
                content.set(Self.compactNumber, CBOR.text(number.value))
                content.set(Self.compactRegion, UInt64(region.value).map { CBOR.unsigned($0) })
                content.set(Self.compactCard, socialSecurityCard.map { CBOR.text($0.value) })
            }
        ) else { return nil }
        claims.notBefore = ChinaTime.startOfDay(validFrom)
        return claims
    }

    private static let compactName: Int64 = 3
    private static let compactNumber: Int64 = 4
    private static let compactRegion: Int64 = 5
    private static let compactCard: Int64 = 7

    /// Reads a compact certificate from verified claims, with the trust-list entry of its signer.
    /// - Throws: `CredentialError` naming the first missing or invalid field; `.unusableList`
    ///   when the entry lacks `ltc` or `slb`.
    package init(compact claims: CWTClaims, signer: TrustList.Entry) throws(CredentialError) {
        let common = try CompactLayout.read(claims, signer: signer)
        // Docs/format.md §15.5: a certificate is the holder's own; only codes name an agent.
        guard common.agent == nil else { throw CredentialError(.malformedContent, "key 6 (agent) is for codes; a certificate names none") }
        let content = common.content
        number = try content.validated(Self.compactNumber) { try DisabilityCertificateNumber($0) }
        holderName = try content.validated(Self.compactName) { try PersonName($0) }
        let regionNumber = try content.uint(Self.compactRegion)
        guard regionNumber < 1_000_000, let region = try? RegionCode(String(format: "%06llu", regionNumber)) else {
            throw CredentialError(.invalidValue, "key 5 (region) \(regionNumber) is not a GB/T 2260 region code")
        }
        self.region = region
        socialSecurityCard = try content.optionalText(Self.compactCard) == nil
            ? nil : content.validated(Self.compactCard) { try SocialSecurityCardNumber($0) }
        guard let notBefore = claims.notBefore else { throw CredentialError(.malformedContent, "nbf is required") }
        validFrom = ChinaTime.date(of: notBefore)
        validUntil = ChinaTime.date(of: max(common.expiresAt, .min + 1) - 1)
        // nbf and exp are whole China days (§6.2): 00:00 on the first day, 00:00 after the last.
        guard ChinaTime.startOfDay(validFrom) == notBefore, ChinaTime.startOfDay(after: validUntil) == common.expiresAt else {
            throw CredentialError(.invalidValue, "nbf and exp must be 00:00 China time (the first day, and the day after the last)")
        }
        guard let licenseID = try? ELicenseIdentifier(common.certificateReference), let issuer = try? UnifiedSocialCreditCode(common.issuerCode) else {
            throw CredentialError(.invalidValue, "the trust list's issuer \(common.issuerCode) is not a unified social credit code")
        }
        self.licenseID = licenseID
        issuerCode = issuer
        issuerName = signer.issuerName
        status = common.status
        issuedAt = common.issuedAt
        tokenID = common.nonce
    }

    /// Reads a certificate from verified claims.
    /// - Throws: `CredentialError` naming the first missing or invalid field.
    package init(claims: CWTClaims) throws(CredentialError) {
        let content = try ContentMap(claims[claim: ClaimKey.content])
        number = try content.validated("no") { try DisabilityCertificateNumber($0) }
        licenseID = try content.validated("lid") { try ELicenseIdentifier($0) }
        holderName = try content.validated("nm") { try PersonName($0) }
        region = try content.validated("rg") { try RegionCode($0) }
        socialSecurityCard = try content.optionalText("ssc") == nil ? nil : content.validated("ssc") { try SocialSecurityCardNumber($0) }
        validFrom = try content.validated("vf") { try CivilDate($0) }
        validUntil = try content.validated("vu") { try CivilDate($0) }
        issuerName = try content.text("isn")
        guard let issuer = claims.issuer, let code = try? UnifiedSocialCreditCode(issuer) else {
            throw CredentialError(.malformedContent, "iss must be the issuer's unified social credit code")
        }
        issuerCode = code
        status = try StatusReference.required(in: claims)
        guard let issuedAt = claims.issuedAt, let tokenID = claims.cwtID else {
            throw CredentialError(.malformedContent, "iat and cti are required")
        }
        self.issuedAt = issuedAt
        self.tokenID = tokenID
    }
}
