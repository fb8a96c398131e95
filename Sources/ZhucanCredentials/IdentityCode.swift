import ZhucanCBOR
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanStatusList

/// An identity code (残疾人身份码): what a counter needs and nothing more.
///
/// ```
/// claims = {
///   1 (iss) => tstr, 6 (iat) => int, 4 (exp) => int,   ; minutes of validity
///   7 (cti) => bstr .size 16,                          ; nonce
///   65535 (status) => { "status_list": { "idx": uint, "uri": tstr } },
///   -65537 (content) => {
///     "ref" => tstr,       ; the certificate's e-license identifier (not the ID number)
///     "nm"  => tstr,       ; masked holder name, e.g. 王*明
///     ? "cat" => uint,     ; category, only if the holder chose to show it
///     ? "lvl" => uint,     ; level, only with "cat"
///     ? "ag" => agent,     ; shown by an agent's device (CodeAgent)
///   }
/// }
/// ```
package struct IdentityCode: Sendable, Hashable {
    /// The certificate's e-license identifier.
    package var certificateReference: String
    /// The masked holder name.
    package var maskedName: String
    /// Category and level, only when the holder chose to show them.
    package var disclosed: (category: DisabilityCategory, level: DisabilityLevel)?
    /// The certificate's status.
    package var status: StatusReference
    /// Issuer USCC.
    package var issuerCode: String
    /// Signing time and expiry.
    package var issuedAt: Int64
    /// Expiry.
    package var expiresAt: Int64
    /// Nonce.
    package var nonce: [UInt8]
    /// The agent who shows it, when minted on an agent's device.
    package var agent: CodeAgent?

    /// Makes a code.
    package init(
        certificateReference: String, maskedName: String, disclosed: (category: DisabilityCategory, level: DisabilityLevel)?,
        status: StatusReference, issuerCode: String, issuedAt: Int64, expiresAt: Int64, nonce: [UInt8], agent: CodeAgent? = nil
    ) {
        self.agent = agent
        self.certificateReference = certificateReference
        self.maskedName = maskedName
        self.disclosed = disclosed
        self.status = status
        self.issuerCode = issuerCode
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.nonce = nonce
    }

    /// The CWT claims.
    package var claims: CWTClaims {
        var content = ContentMap()
        content.set("ref", .text(certificateReference))
        content.set("nm", .text(maskedName))
        content.set("cat", disclosed.map { CBOR(Int64($0.category.rawValue)) })
        content.set("lvl", disclosed.map { CBOR(Int64($0.level.rawValue)) })
        content.set("ag", agent?.cbor)
        var claims = CWTClaims(issuer: issuerCode, expiration: expiresAt, issuedAt: issuedAt, cwtID: nonce)
        claims.otherClaims = [CBOR.Pair(key: CBOR(ClaimKey.content), value: content.cbor), status.claim]
        return claims
    }

    /// Reads a code from verified claims.
    package init(claims: CWTClaims) throws(CredentialError) {
        let content = try ContentMap(claims[claim: ClaimKey.content])
        certificateReference = try content.text("ref")
        maskedName = try content.text("nm")
        disclosed = try Self.disclosed(in: content, category: "cat", level: "lvl")
        agent = try CodeAgent.read(from: content)
        status = try StatusReference.required(in: claims)
        guard let issuer = claims.issuer, let issuedAt = claims.issuedAt, let expiresAt = claims.expiration, let nonce = claims.cwtID else {
            throw CredentialError(.malformedContent, "iss, iat, exp and cti are required")
        }
        issuerCode = issuer
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.nonce = nonce
    }

    /// The claims in the compact format (Docs/format.md §15; `CompactLayout` for the common
    /// keys): 3 masked name, 4 category, 5 level. `nil` when the certificate reference or the
    /// status URI cannot be written compactly.
    package var compactClaims: CWTClaims? {
        CompactLayout.claims(
            issuedAt: issuedAt, expiresAt: expiresAt, nonce: nonce, status: status,
            certificateReference: CompactLayout.reference(certificateReference), agent: agent
        ) { content in
            content.set(Self.compactName, CBOR.text(maskedName))
            content.set(Self.compactCategory, disclosed.map { CBOR(Int64($0.category.rawValue)) })
            content.set(Self.compactLevel, disclosed.map { CBOR(Int64($0.level.rawValue)) })
        }
    }

    private static let compactName: Int64 = 3
    private static let compactCategory: Int64 = 4
    private static let compactLevel: Int64 = 5

    /// Reads a compact code from verified claims, with the trust-list entry of its signer.
    /// - Throws: `CredentialError`; `.unusableList` when the entry lacks `ltc` or `slb`.
    package init(compact claims: CWTClaims, signer: TrustList.Entry) throws(CredentialError) {
        let common = try CompactLayout.read(claims, signer: signer)
        maskedName = try common.content.text(Self.compactName)
        guard (1...64).contains(maskedName.count) else { throw CredentialError(.invalidValue, "key 3 (masked name) must be 1–64 characters") }
        disclosed = try Self.disclosed(in: common.content, category: Self.compactCategory, level: Self.compactLevel)
        certificateReference = common.certificateReference
        status = common.status
        issuerCode = common.issuerCode
        issuedAt = common.issuedAt
        expiresAt = common.expiresAt
        nonce = common.nonce
        agent = common.agent
    }

    /// Category and level when the holder showed them: the category 1–7 with the level 1–4, or
    /// neither (a level without a category is ignored).
    private static func disclosed(
        in content: ContentMap, category categoryKey: some ContentMapKey, level levelKey: some ContentMapKey
    ) throws(CredentialError) -> (category: DisabilityCategory, level: DisabilityLevel)? {
        guard let rawCategory = try content.optionalInt(categoryKey) else { return nil }
        guard let category = DisabilityCategory(rawValue: Int(rawCategory)),
            let level = try content.optionalInt(levelKey).flatMap({ DisabilityLevel(rawValue: Int($0)) })
        else { throw CredentialError(.invalidValue, "\(categoryKey.quoted) must be 1–7 with \(levelKey.quoted) 1–4") }
        return (category, level)
    }

    package static func == (lhs: IdentityCode, rhs: IdentityCode) -> Bool {
        lhs.claims == rhs.claims
    }

    package func hash(into hasher: inout Hasher) { hasher.combine(nonce) }
}
