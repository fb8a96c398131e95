import ZhucanCBOR
import ZhucanEnvelope
import ZhucanSigning
import ZhucanStatusList

/// A verifier's lists with every signature checked once: the trust list under the trust
/// anchors, each status list under the issuer keys of that trust list. A service verifying
/// thousands of codes a second keeps one of these per publication instead of re-verifying
/// the lists for every code; only the checks that depend on the validation time (expiry,
/// a list signed in the future) are left for each verification.
package struct VerifiedLists: Sendable {
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
        /// When it was signed (`iat`, then `seq`): of two lists for one URI, the later counts.
        let publication: StatusListPublication
        /// The trust-list entry of the key that signed it: it speaks only for that key's
        /// issuer's certificates (Docs/format.md §8 step 5).
        let signer: TrustList.Entry
    }

    /// The lists as given.
    package let lists: CredentialVerifier.Lists
    /// The ids of the services the catalogue editions list, of every issuer and edition: a
    /// client's service id outside them is none a code can be for.
    package let serviceIDs: Set<String>
    let trustList: Outcome<TrustedList>
    /// By the status list's `sub` (its URI), in the order given. Several may share a URI; the
    /// verifier takes the newest signed by the code's issuer (`CredentialVerifier`).
    let statusLists: [(uri: String, outcome: Outcome<CheckedStatusList>)]

    /// The issuer keys of the trust list, when it verified (whatever the time).
    package var issuerKeys: [TrustList.Entry]? {
        guard case .usable(let trusted) = trustList else { return nil }
        return trusted.list.entries
    }

    /// Why no status list held for `uri` can be used, or nil when one can: the trust list does
    /// not verify, or each list for it is signed by no key of the trust list allowed to sign
    /// then (a key since revoked, say) or is malformed. Its signature only: expiry and a future
    /// `iat` are each verification's.
    package func statusListProblem(uri: String) -> String? {
        if case .unusable(let reason) = trustList { return reason }
        var problem = "no status list for \(uri) is held"
        for candidate in statusLists where candidate.uri.utf8.elementsEqual(uri.utf8) {
            switch candidate.outcome {
            case .usable: return nil
            case .unusable(let reason): problem = reason
            }
        }
        return problem
    }

    /// Checks the signatures of `lists`.
    package init(_ lists: CredentialVerifier.Lists, limits: EnvelopeLayers.Limits = .init()) {
        self.lists = lists
        serviceIDs = Set(lists.catalogues.lazy.flatMap { $0.catalogue.services.lazy.map(\.id) })
        trustList = Self.checkTrustList(lists, limits: limits)
        guard case .usable(let trusted) = trustList else {
            statusLists = []
            return
        }
        var statusLists: [(uri: String, outcome: Outcome<CheckedStatusList>)] = []
        for bytes in lists.statusLists {
            let checked = Self.checkStatusList(bytes, issuerKeys: trusted.list.entries, limits: limits)
            if let uri = checked.uri { statusLists.append((uri, checked.outcome)) }
        }
        self.statusLists = statusLists
    }

    /// The trust list's signature and content. The signature does not depend on the time;
    /// its expiry and a future `iat` are left to each verification.
    private static func checkTrustList(_ lists: CredentialVerifier.Lists, limits: EnvelopeLayers.Limits) -> Outcome<TrustedList> {
        guard let text = lists.trustList else { return .unusable("no trust list") }
        let result = SignedObjectVerifier(keys: SignedObjectVerifier.anchors(lists.trustAnchors), policies: [.type([.trustList])], limits: limits)
            .verify(text)
        guard let claims = result.claims else {
            return .unusable("the trust list does not verify under the trust anchor: \(result.reason.rawValue) (\(result.detail))")
        }
        guard let list = try? TrustList(claims: claims) else { return .unusable("the trust list's content is malformed") }
        return .usable(TrustedList(list: list, issuedAt: claims.issuedAt))
    }

    /// A status list token's signature, under an issuer key allowed to sign at its `iat`, and
    /// content; its URI (`sub`) once the token is read, whether or not it verified.
    static func checkStatusList(
        _ bytes: [UInt8], issuerKeys: [TrustList.Entry], limits: EnvelopeLayers.Limits = .init()
    ) -> (uri: String?, outcome: Outcome<CheckedStatusList>) {
        let result = SignedObjectVerifier(keys: issuerKeys, policies: [.type([.statusList]), .keyMaySignAtIssuance(fallback: 0)], limits: limits)
            .verify(cose: bytes)
        let uri = result.layers.claims?.subject
        guard result.layers.cose?.type == ObjectType.statusList.rawValue, let uri else { return (nil, .unusable("not a status list token")) }
        guard result.isValid, let signer = result.signer else {
            return (uri, .unusable("the status list for \(uri) is not signed by a trusted issuer key"))
        }
        guard let claims = result.claims, let token = try? StatusListToken(claims: claims), let list = try? CertificateStatusList(token.statusList),
            let publication = try? StatusListPublication(claims: claims)
        else {
            return (uri, .unusable("the status list for \(uri) is malformed"))
        }
        return (uri, .usable(CheckedStatusList(list: list, expiration: token.expiration, publication: publication, signer: signer)))
    }
}
