import ZhucanCBOR
import ZhucanEnvelope
import ZhucanStatusList

/// A service code (助残服务码): lets the holder claim one catalogue service.
///
/// ```
/// claims = {
///   1 (iss) => tstr, 6 (iat) => int, 4 (exp) => int,
///   7 (cti) => bstr .size 16,      ; nonce; a one-time code is redeemed by this id
///   65535 (status) => { "status_list": { "idx": uint, "uri": tstr } },
///   -65537 (content) => {
///     "ref" => tstr,               ; the certificate's e-license identifier
///     "svc" => [+ tstr],           ; catalogue service ids
///     ? "cv" => tstr,              ; catalogue version the code was minted under
///     ? "one" => true,             ; one-time: redeemable once
///     ? "fx" => { * tstr => int / tstr / bool },  ; only the facts the service's rule reads:
///                                  ; "holder.category", "holder.level", "holder.region",
///                                  ; "holder.sex", "holder.birthDate" (for holder.age;
///                                  ; with holder.sex, for holder.workingAge),
///                                  ; "holder.renewalDue", "household.<fact>"
///     ? "ag" => agent,             ; shown by an agent's device (CodeAgent)
///   }
/// }
/// ```
package struct ServiceCode: Sendable, Hashable {
    /// The certificate's e-license identifier.
    package var certificateReference: String
    /// The services this code is for.
    package var services: [String]
    /// The catalogue version.
    package var catalogueVersion: String?
    /// Whether the code can be redeemed only once.
    package var isOneTime: Bool
    /// The holder facts the service's eligibility rule reads, and nothing more (minimal
    /// disclosure), so an offline verifier can evaluate the rule.
    package var facts: [String: CBOR]
    /// The certificate's status.
    package var status: StatusReference
    /// Issuer USCC.
    package var issuerCode: String
    /// Signing time.
    package var issuedAt: Int64
    /// Expiry.
    package var expiresAt: Int64
    /// Nonce and redemption id.
    package var nonce: [UInt8]

    /// The agent who shows it, when minted on an agent's device.
    package var agent: CodeAgent?

    /// Makes a code.
    package init(
        certificateReference: String, services: [String], catalogueVersion: String?, isOneTime: Bool,
        facts: [String: CBOR] = [:], status: StatusReference, issuerCode: String, issuedAt: Int64, expiresAt: Int64, nonce: [UInt8],
        agent: CodeAgent? = nil
    ) {
        self.agent = agent
        self.certificateReference = certificateReference
        self.services = services
        self.catalogueVersion = catalogueVersion
        self.isOneTime = isOneTime
        self.facts = facts
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
        content.set("svc", .array(services.map { .text($0) }))
        content.set("cv", catalogueVersion.map { .text($0) })
        content.set("one", isOneTime ? .bool(true) : nil)
        content.set("fx", Self.factsMap(facts))
        content.set("ag", agent?.cbor)
        var claims = CWTClaims(issuer: issuerCode, expiration: expiresAt, issuedAt: issuedAt, cwtID: nonce)
        claims.otherClaims = [CBOR.Pair(key: CBOR(ClaimKey.content), value: content.cbor), status.claim]
        return claims
    }

    /// The claims in the compact format (Docs/format.md §15; `CompactLayout` for the common
    /// keys): 3 services, 4 catalogue version, 5 one-time, 7 facts. `nil` when the certificate
    /// reference or the status URI cannot be written compactly.
    package var compactClaims: CWTClaims? {
        CompactLayout.claims(
            issuedAt: issuedAt, expiresAt: expiresAt, nonce: nonce, status: status,
            certificateReference: CompactLayout.reference(certificateReference), agent: agent
        ) { content in
            content.set(Self.compactServices, CBOR.array(services.map { .text($0) }))
            content.set(Self.compactCatalogueVersion, catalogueVersion.map { CBOR.text($0) })
            content.set(Self.compactOneTime, isOneTime ? CBOR.bool(true) : nil)
            content.set(Self.compactFacts, Self.factsMap(facts))
        }
    }

    private static let compactServices: Int64 = 3
    private static let compactCatalogueVersion: Int64 = 4
    private static let compactOneTime: Int64 = 5
    private static let compactFacts: Int64 = 7

    /// Reads a compact code from verified claims, with the trust-list entry of its signer.
    /// - Throws: `CredentialError`; `.unusableList` when the entry lacks `ltc` or `slb`.
    package init(compact claims: CWTClaims, signer: TrustList.Entry) throws(CredentialError) {
        let common = try CompactLayout.read(claims, signer: signer)
        services = try Self.services(common.content.value(Self.compactServices), key: Self.compactServices)
        catalogueVersion = try common.content.optionalText(Self.compactCatalogueVersion)
        isOneTime = common.content.bool(Self.compactOneTime)
        facts = try Self.facts(common.content.value(Self.compactFacts), key: Self.compactFacts)
        certificateReference = common.certificateReference
        status = common.status
        issuerCode = common.issuerCode
        issuedAt = common.issuedAt
        expiresAt = common.expiresAt
        nonce = common.nonce
        agent = common.agent
    }

    private static func factsMap(_ facts: [String: CBOR]) -> CBOR? {
        facts.isEmpty ? nil : .map(facts.sorted { $0.key < $1.key }.map { CBOR.Pair(key: .text($0.key), value: $0.value) })
    }

    private static func services(_ value: CBOR?, key: some ContentMapKey) throws(CredentialError) -> [String] {
        guard let services = value?.array?.compactMap(\.text), !services.isEmpty else {
            throw CredentialError(.malformedContent, "\(key.quoted) must be a non-empty array of service ids")
        }
        return services
    }

    private static func facts(_ value: CBOR?, key: some ContentMapKey) throws(CredentialError) -> [String: CBOR] {
        guard let value else { return [:] }
        guard let pairs = value.pairs else { throw CredentialError(.malformedContent, "\(key.quoted) must be a map") }
        var facts: [String: CBOR] = [:]
        for pair in pairs {
            guard let name = pair.key.text else { throw CredentialError(.malformedContent, "\(key.quoted) keys must be text") }
            facts[name] = pair.value
        }
        return facts
    }

    /// Reads a code from verified claims.
    package init(claims: CWTClaims) throws(CredentialError) {
        let content = try ContentMap(claims[claim: ClaimKey.content])
        certificateReference = try content.text("ref")
        services = try Self.services(content.value("svc"), key: "svc")
        catalogueVersion = try content.optionalText("cv")
        isOneTime = content.bool("one")
        facts = try Self.facts(content.value("fx"), key: "fx")
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
}
