import ZhucanCBOR
import ZhucanEnvelope
import ZhucanSigning
import ZhucanStatusList

/// A verifier's lists with every signature checked once: the trust list under the trust
/// anchors, each status list under the issuer keys of that trust list. A service verifying
/// thousands of codes a second keeps one of these per publication instead of re-verifying
/// the lists for every code; only the checks that depend on the validation time (expiry,
/// a list signed in the future) are left for each verification.
public struct VerifiedLists: Sendable {
    /// What a list came to: its content, or why it cannot be used.
    enum Outcome<Value: Sendable>: Sendable {
        case usable(Value)
        case unusable(String)
    }

    /// A trust list whose signature and content are good.
    struct TrustedList: Sendable {
        let list: TrustList
        /// Its `iat`, checked against each validation time (with skew).
        let issuedAt: Int64?
    }

    /// A status list whose signature and content are good.
    struct CheckedStatusList: Sendable {
        let list: CertificateStatusList
        let expiration: Int64?
    }

    /// The lists as given.
    public let lists: CredentialVerifier.Lists
    let trustList: Outcome<TrustedList>
    /// By the status list's `sub` (its URI), in the order given; the first per URI counts.
    let statusLists: [(uri: String, outcome: Outcome<CheckedStatusList>)]

    /// Checks the signatures of `lists`.
    public init(_ lists: CredentialVerifier.Lists, limits: EnvelopeLayers.Limits = .init()) {
        self.lists = lists
        trustList = Self.checkTrustList(lists, limits: limits)
        guard case .usable(let trusted) = trustList else {
            statusLists = []
            return
        }
        var statusLists: [(uri: String, outcome: Outcome<CheckedStatusList>)] = []
        for bytes in lists.statusLists {
            guard let cose = try? CoseSign1(decoding: bytes, limits: limits.cbor),
                cose.type == ObjectType.statusList.rawValue,
                let payload = try? CBORDecoder.decode(cose.payload, limits: limits.cbor),
                let claims = try? CWTClaims(payload), let uri = claims.subject
            else { continue }
            statusLists.append((uri, Self.checkStatusList(cose, claims: claims, uri: uri, issuerKeys: trusted.list.entries)))
        }
        self.statusLists = statusLists
    }

    private static func checkTrustList(_ lists: CredentialVerifier.Lists, limits: EnvelopeLayers.Limits) -> Outcome<TrustedList> {
        guard let text = lists.trustList else { return .unusable("no trust list") }
        // The signature does not depend on the time: verify at the list's own signing time,
        // and leave its expiry and a future iat to each verification.
        let layers = EnvelopeLayers(reading: text, limits: limits)
        let issuedAt = layers.claims?.issuedAt
        let configuration = EnvelopeVerifier.Configuration(validationTime: issuedAt ?? 0, skew: 0, limits: limits)
        let envelope = EnvelopeVerifier(keys: lists.trustAnchors, configuration: configuration).verify(layers)
        guard envelope.isValid || envelope.reason == .expired, let claims = layers.claims,
            layers.cose?.type == ObjectType.trustList.rawValue
        else {
            return .unusable("the trust list does not verify under the trust anchor: \(envelope.reason.rawValue) (\(envelope.detail))")
        }
        guard let list = try? TrustList(claims: claims) else { return .unusable("the trust list's content is malformed") }
        return .usable(TrustedList(list: list, issuedAt: issuedAt))
    }

    private static func checkStatusList(
        _ cose: CoseSign1, claims: CWTClaims, uri: String, issuerKeys: [TrustList.Entry]
    ) -> Outcome<CheckedStatusList> {
        guard let entry = issuerKeys.first(where: { cose.keyID.map($0.key.isNamed(by:)) ?? false && cose.isValidSignature(with: $0.key) }),
            entry.maySign(at: claims.issuedAt ?? 0)
        else { return .unusable("the status list for \(uri) is not signed by a trusted issuer key") }
        guard let token = try? StatusListToken(claims: claims), let list = try? CertificateStatusList(token.statusList) else {
            return .unusable("the status list for \(uri) is malformed")
        }
        return .usable(CheckedStatusList(list: list, expiration: token.expiration))
    }
}
