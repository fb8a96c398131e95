import ZhucanCBOR
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanStatusList

/// The compact format's content layout (Docs/format.md §15), shared by identity and service
/// codes: integer keys in the content map, and the certificate named by numbers that the
/// verifier expands with the signer's trust-list entry.
///
/// ```
/// claims = {
///   4 (exp) => int, 6 (iat) => int, 7 (cti) => bstr .size 8,   ; no iss: the signer's entry has it
///   -65537 (content) => {
///     1 => [list: uint, idx: uint],    ; status: list number and index (the URI is `slb` + number)
///     2 => uint,                       ; the certificate: serial × 1000 + version (`ltc` and the
///                                      ; issuer rebuild the e-licence identifier)
///     ? 6 => [tstr, uint],             ; agent: masked name, relation 1 guardian 2 family 3 caseworker
///     * int => any                     ; the object's own keys
///   }
/// }
/// ```
enum CompactLayout {
    static let status: Int64 = 1
    static let reference: Int64 = 2
    static let agent: Int64 = 6

    /// A Zhucan serial: the China date of first issuance and a 6-digit counter.
    private static let serialDigits = 14
    /// The serials of `serialDigits` digits, as numbers.
    private static let serialRange: ClosedRange<UInt64> = 10_000_000_000_000...99_999_999_999_999

    /// The status reference as `[list number, index]`, if the URI ends in the list number.
    static func status(_ reference: StatusReference) -> CBOR? {
        guard let number = listNumber(reference.uri) else { return nil }
        return .array([.unsigned(number), .unsigned(UInt64(reference.index))])
    }

    /// The list number a status list URI ends in (`…/status-lists/1` → 1), if it does.
    static func listNumber(_ uri: String) -> UInt64? {
        guard let slash = uri.lastIndex(of: "/"), let number = UInt64(uri[uri.index(after: slash)...]),
            String(number) == uri[uri.index(after: slash)...]
        else { return nil }
        return number
    }

    /// The URI of a status list without its number, to publish in the trust list (`slb`).
    static func statusListBase(_ uri: String) -> String? {
        guard listNumber(uri) != nil, let slash = uri.lastIndex(of: "/") else { return nil }
        return String(uri[...slash])
    }

    /// The certificate reference as one number, if its serial is a Zhucan serial.
    static func reference(_ licenseID: String) -> CBOR? {
        ELicenseIdentifier(validating: licenseID).flatMap(reference)
    }

    /// The certificate reference of an identifier already parsed.
    static func reference(_ identifier: ELicenseIdentifier) -> CBOR? {
        guard identifier.serial.count == serialDigits, let serial = UInt64(identifier.serial) else { return nil }
        return .unsigned(serial * 1000 + UInt64(identifier.version))
    }

    /// The agent as `[masked name, relation number]`.
    static func agent(_ agent: CodeAgent?) -> CBOR? {
        agent.map { .array([.text($0.maskedName), .unsigned(UInt64(relationNumbers.firstIndex(of: $0.relation)! + 1))]) }
    }

    private static let relationNumbers: [CodeAgent.Relation] = [.guardian, .family, .caseworker]

    /// The registered claims and the content map, with the status, reference (`reference(_:)`)
    /// and agent set; `nil` when the status or the reference cannot be written compactly.
    static func claims(
        issuedAt: Int64, expiresAt: Int64, nonce: [UInt8], status: StatusReference, certificateReference: CBOR?,
        agent: CodeAgent?, content fill: (inout ContentMap) -> Void
    ) -> CWTClaims? {
        guard let status = Self.status(status), let reference = certificateReference else { return nil }
        var content = ContentMap()
        content.set(Self.status, status)
        content.set(Self.reference, reference)
        fill(&content)
        content.set(Self.agent, Self.agent(agent))
        var claims = CWTClaims(expiration: expiresAt, issuedAt: issuedAt, cwtID: nonce)
        claims.otherClaims = [CBOR.Pair(key: CBOR(ClaimKey.content), value: content.cbor)]
        return claims
    }

    /// What every compact code carries, read with the signer's trust-list entry.
    struct Common {
        var content: ContentMap
        var status: StatusReference
        var certificateReference: String
        var issuerCode: String
        var issuedAt: Int64
        var expiresAt: Int64
        var nonce: [UInt8]
        var agent: CodeAgent?
    }

    /// Reads the common part of a compact code.
    /// - Throws: `CredentialError.malformedContent` / `.invalidValue` for the code, or
    ///   `.unusableList` when the trust list's entry lacks `ltc` or `slb`.
    static func read(_ claims: CWTClaims, signer: TrustList.Entry) throws(CredentialError) -> Common {
        let content = try ContentMap(claims[claim: ClaimKey.content])
        guard let pair = content.value(status)?.array, pair.count == 2, let number = pair[0].uint, let rawIndex = pair[1].uint,
            let index = Int(exactly: rawIndex)
        else { throw CredentialError(.malformedContent, "key 1 (status) must be [list number, index], two unsigned integers") }
        guard let base = signer.statusListBase, let typeCode = signer.licenseTypeCode else {
            throw CredentialError(.unusableList, "the trust list does not give issuer \(signer.issuerCode)'s status list URI and e-licence type code (slb, ltc), which a compact code needs: publish a new trust list")
        }
        let value = try content.uint(reference)
        // The type code and issuer were validated with the trust list (`TrustList`).
        guard serialRange.contains(value / 1000),
            let licenseID = ELicenseIdentifier.text(typeCode: typeCode, issuer: signer.issuerCode, serial: String(value / 1000), version: Int(value % 1000))
        else { throw CredentialError(.invalidValue, "key 2 (certificate) \(value) is not serial × 1000 + version of a 14-digit serial") }
        let agent: CodeAgent?
        if let item = content.value(Self.agent) {
            guard let parts = item.array, parts.count == 2, let name = parts[0].text, let number = parts[1].uint,
                (1...UInt64(relationNumbers.count)).contains(number), (1...64).contains(name.count)
            else { throw CredentialError(.malformedContent, "key 6 (agent) must be [masked name, relation 1–3]") }
            agent = CodeAgent(maskedName: name, relation: relationNumbers[Int(number) - 1])
        } else {
            agent = nil
        }
        guard let issuedAt = claims.issuedAt, let expiresAt = claims.expiration, let nonce = claims.cwtID else {
            throw CredentialError(.malformedContent, "iat, exp and cti are required")
        }
        // The index was read as unsigned, so the reference is always valid.
        guard let status = try? StatusReference(index: index, uri: base + String(number)) else {
            throw CredentialError(.malformedContent, "key 1 (status): index \(index) out of range")
        }
        return Common(
            content: content, status: status, certificateReference: licenseID, issuerCode: signer.issuerCode,
            issuedAt: issuedAt, expiresAt: expiresAt, nonce: nonce, agent: agent
        )
    }
}
