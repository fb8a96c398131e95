import ZhucanCBOR
import ZhucanCatalogue
import ZhucanCertLogic
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanSigning
import ZhucanStatusList

/// Verifies certificates and codes offline, as a bus, hospital or service window does:
/// against a trust anchor (the root public key), a trust list signed by it, and the status
/// lists signed by the issuer keys in that list.
///
/// Order of checks (the first failure is the answer):
/// 1. the trust list verifies under the anchor and is unexpired — else `status_unknown`;
/// 2. the code's envelope, key, algorithm, signature and time (`SignedObjectVerifier`), with
///    the prefix `ZC1:`, `ZC2:` or `ZC2Z:` and a certificate or code `typ`;
/// 3. the signing key was allowed to sign at the code's `iat` — else `key_not_valid_at_signing`;
/// 4. the content decodes — else `malformed_cbor`; it names the signing key's issuer (`iss`)
///    — else `unknown_key`;
/// 5. the newest status list at the code's status URI signed by a key of the code's issuer
///    verifies, is unexpired, and holds the index — else `status_unknown`; its value gives
///    `revoked` or `suspended`;
/// 6. a service code names the service asked about — else `wrong_service`;
/// 7. with a catalogue, the service's eligibility rule holds for the facts the code discloses,
///    at the validation date — else `not_entitled`, naming the first failing clause.
package struct CredentialVerifier: Sendable {
    /// The longest a code lives, iat to exp (Docs/format.md §6.3): what the issuer mints.
    package static let longestCodeLifetime: Int64 = 86_400

    /// The objects a holder shows: what `verify` accepts.
    private static let credentialTypes: Set<ObjectType> = [.certificate, .identityCode, .serviceCode]

    /// The lists a verifier holds.
    package struct Lists: Sendable {
        /// Root public keys (trust anchors).
        package var trustAnchors: [PublicKey]
        /// The trust list envelope text, if any.
        package var trustList: String?
        /// Status list tokens (binary COSE_Sign1) by any name; matched by their `sub`.
        package var statusLists: [[UInt8]]
        /// Catalogues, for service-code entitlement, each with the USCC of the issuer that
        /// published it: of the code's issuer's, the one with the code's version is used, else
        /// the last one.
        package var catalogues: [IssuerCatalogue]

        /// Makes the inputs.
        package init(trustAnchors: [PublicKey], trustList: String?, statusLists: [[UInt8]], catalogues: [IssuerCatalogue] = []) {
            self.trustAnchors = trustAnchors
            self.trustList = trustList
            self.statusLists = statusLists
            self.catalogues = catalogues
        }
    }

    /// The lists, their signatures checked.
    package let verified: VerifiedLists
    /// The clock and limits.
    package let configuration: EnvelopeVerifier.Configuration

    /// The lists.
    package var lists: Lists { verified.lists }

    /// Makes a verifier, checking the lists' signatures now.
    package init(lists: Lists, configuration: EnvelopeVerifier.Configuration) {
        self.init(verified: VerifiedLists(lists, limits: configuration.limits), configuration: configuration)
    }

    /// Makes a verifier over lists checked earlier (a service checks them once per publication).
    package init(verified: VerifiedLists, configuration: EnvelopeVerifier.Configuration) {
        self.verified = verified
        self.configuration = configuration
    }

    /// Verifies `text`; with `service`, also that a service code is for that service.
    package func verify(_ text: String, service: String? = nil) -> CredentialVerification {
        let time = configuration.validationTime
        var objectType: ObjectType?
        var keyID: KeyID?
        var credential: VerifiedCredential?
        var trustListExpiry: Int64?
        var statusListExpiry: Int64?
        var serviceCheck: CredentialVerification.ServiceCheck?
        func answer(_ reason: VerificationReason, _ detail: String) -> CredentialVerification {
            CredentialVerification(
                reason: reason, detail: detail, objectType: objectType, credential: credential, keyID: keyID,
                validationTime: time, trustListExpiresAt: trustListExpiry, statusListExpiresAt: statusListExpiry,
                service: serviceCheck
            )
        }

        // 1. The trust list.
        let trustList: TrustList
        switch loadTrustList() {
        case .failure(let reason):
            return answer(.statusUnknown, reason)
        case .success(let list):
            trustList = list
            trustListExpiry = list.expiresAt
        }

        // 2. The envelope, under every key the trust list names (key validity comes after).
        let layers = EnvelopeLayers(reading: text, limits: configuration.limits)
        if let prefix = layers.prefix, prefix == .dcc {
            return answer(.malformedPrefix, "only ZC1:, ZC2: and ZC2Z: codes are Zhucan credentials")
        }
        let cose = layers.cose
        objectType = cose.flatMap(ObjectType.init(of:))
        keyID = cose?.keyID
        let signed = SignedObjectVerifier(
            keys: trustList.entries,
            policies: [
                .type(Self.credentialTypes),
                .validAt(time, skew: configuration.skew),
                // 3. Key validity at signing time.
                .keyMaySignAtIssuance(fallback: time),
            ],
            limits: configuration.limits
        ).verify(layers)
        guard let claims = signed.claims, let entry = signed.signer else {
            return answer(signed.reason, signed.detail)
        }
        let signer = entry.key
        keyID = signer.keyID

        // 4. The content: the compact layout when `typ` is a Content-Format number (signed,
        // unlike the prefix), which reads the issuer from the signer's trust-list entry.
        let status: StatusReference
        let isCompact = cose?.contentFormat != nil
        do {
            switch objectType {
            case .certificate:
                let certificate = isCompact ? try DisabilityCertificate(compact: claims, signer: entry) : try DisabilityCertificate(claims: claims)
                credential = .certificate(certificate)
                status = certificate.status
            case .identityCode:
                let code = isCompact ? try IdentityCode(compact: claims, signer: entry) : try IdentityCode(claims: claims)
                credential = .identityCode(code)
                status = code.status
            default:
                let code = isCompact ? try ServiceCode(compact: claims, signer: entry) : try ServiceCode(claims: claims)
                credential = .serviceCode(code)
                status = code.status
            }
        } catch where error.code == .unusableList {
            return answer(.statusUnknown, error.reason)
        } catch {
            return answer(.malformedCBOR, "content: \(error.reason)")
        }
        // A version-1 object names its issuer (`iss`); only that issuer's keys speak for it
        // (Docs/format.md §8 step 4). Issuer A's key must not sign what shows as issuer B's.
        if let named = credential?.issuerCode, named != entry.issuerCode, (try? UnifiedSocialCreditCode(named))?.value != entry.issuerCode {
            return answer(.unknownKey, "the code names issuer \(named), but key \(signer.keyID.hex) is issuer \(entry.issuerCode)'s")
        }
        // A code lives 1–86,400 s (Docs/format.md §6.3). One that claims longer was not minted
        // by an issuer that keeps the rule: a key past its `until`, not revoked, could otherwise
        // sign codes dated into its validity that stay valid for years.
        let lifetime: (issuedAt: Int64, expiresAt: Int64)? = switch credential {
        case .identityCode(let code): (code.issuedAt, code.expiresAt)
        case .serviceCode(let code): (code.issuedAt, code.expiresAt)
        default: nil
        }
        if let lifetime {
            let (seconds, overflow) = lifetime.expiresAt.subtractingReportingOverflow(lifetime.issuedAt)
            guard !overflow, (1...Self.longestCodeLifetime).contains(seconds) else {
                return answer(.malformedCBOR, "content: a code lives 1–\(Self.longestCodeLifetime) s from iat to exp")
            }
        }

        // 5. Status.
        switch loadStatusList(uri: status.uri, issuerCode: entry.issuerCode) {
        case .failure(let reason):
            return answer(.statusUnknown, reason)
        case .success(let (list, expiry)):
            statusListExpiry = expiry
            guard status.index < list.count else {
                return answer(.statusUnknown, "index \(status.index) is beyond the status list's \(list.count) entries")
            }
            switch try? list[status.index] {
            case .valid?: break
            case .invalid?: return answer(.revoked, "the status list marks the certificate revoked")
            case .suspended?: return answer(.suspended, "the status list marks the certificate suspended")
            default: return answer(.statusUnknown, "the status list holds an undefined value for this certificate")
            }
        }

        // 6. Service.
        if let service {
            guard case .serviceCode(let code) = credential else {
                return answer(.wrongService, "a service was asked for, but this is not a service code")
            }
            // Exact strings (Docs/format.md §8 step 6): bytes, not Swift's canonical equivalence.
            guard code.services.contains(where: { $0.utf8.elementsEqual(service.utf8) }) else {
                return answer(.wrongService, "this service code is for \(code.services.joined(separator: ", ")), not \(service)")
            }
        }

        // 7. Entitlement, by the rule of the catalogue version the code names. Without that
        // version a verifier cannot say who is entitled (a node that has not fetched it, or was
        // kept from it): neither valid nor not entitled. A code that names none was minted by
        // an issuer without a catalogue.
        let judged: (code: ServiceCode, catalogue: Catalogue?)? = if case .serviceCode(let code) = credential {
            (code, catalogue(for: code, issuerCode: entry.issuerCode))
        } else {
            nil
        }
        if let judged, judged.catalogue == nil, let version = judged.code.catalogueVersion {
            if let other = lists.catalogues.last(where: { $0.catalogue.version.utf8.elementsEqual(version.utf8) }) {
                return answer(.statusUnknown, "catalogue \(version), which this service code names, is held only from issuer \(other.issuerCode), not from the code's issuer \(entry.issuerCode)")
            }
            return answer(.statusUnknown, "catalogue \(version), which this service code names, is not held")
        }
        if let code = judged?.code, let catalogue = judged?.catalogue {
            let id = service ?? code.services[0]
            guard let entry = catalogue.service(id) else {
                serviceCheck = .init(id: id, name: nil, catalogueVersion: catalogue.version, isEntitled: false, failedClause: nil)
                return answer(.notEntitled, "catalogue \(catalogue.version) has no service \(id)")
            }
            // Docs/catalogue.md §7: a catalogue version is used only while it is in force, and
            // for a code minted under it, to the end of the code's life: a code minted before
            // midnight at a changeover (the 2026 edition ends on 31 December, the 2027 one starts
            // on 1 January) is judged after it by the rule it was minted against, on the day it
            // was minted. A stale one cannot say who is entitled: neither valid nor not entitled.
            func inForce(_ day: CivilDate) -> CivilDate? { catalogue.isInForce(on: day) ? day : nil }
            let today = ChinaTime.date(of: time)
            guard let date = inForce(today) ?? inForce(ChinaTime.date(of: code.issuedAt)) else {
                let minted = ChinaTime.date(of: code.issuedAt)
                let days = minted == today ? "\(today)" : "\(today), nor on \(minted), when the code was minted"
                return answer(.statusUnknown, "catalogue \(catalogue.version) is not in force on \(days) (\(catalogue.validFrom) … \(catalogue.validUntil))")
            }
            let input = Self.ruleInput(code.facts, on: date)
            let holds = (try? CertLogic.evaluate(entry.rule, data: input)).map(CertLogic.isTruthy) ?? false
            let failing = holds ? nil : CertLogic.firstFailingClause(of: entry.rule, data: input)
            let clause = holds ? nil : failing.map { "\($0.path) \($0.clause.jsonString)" } ?? "$ \(entry.rule.jsonString)"
            serviceCheck = .init(
                id: id, name: entry.name.zh, catalogueVersion: catalogue.version, isEntitled: holds, failedClause: clause,
                failedReason: failing.flatMap { RuleClauseWords.describe($0.clause) }.map { "\($0.zh) / \($0.en)" }
            )
            guard holds else {
                return answer(.notEntitled, "not entitled to \(id) on \(date) (catalogue \(catalogue.version)): \(clause ?? "")")
            }
        }
        // The envelope's answer names the key and algorithm already.
        return answer(.valid, signed.detail + "; status valid")
    }

    /// The catalogue with the version the code names (Docs/catalogue.md: a verifier evaluates
    /// that version's rule, never another's); the newest one given for a code that names none.
    /// Only the code's issuer's catalogues count: another issuer's edition with the same
    /// version (Docs/format.md §8 step 7.1) says nothing of who this issuer's codes entitle.
    private func catalogue(for code: ServiceCode, issuerCode: String) -> Catalogue? {
        let own = lists.catalogues.lazy.filter { $0.issuerCode == issuerCode }.map(\.catalogue)
        guard let version = code.catalogueVersion else { return own.last }
        return own.last { $0.version.utf8.elementsEqual(version.utf8) }
    }

    /// The documented rule input from the facts a service code discloses, at `date`: the
    /// holder's age is computed from `holder.birthDate` on that date, and, with `holder.sex`
    /// beside it, whether they are of working age (`RetirementAge`).
    static func ruleInput(_ facts: [String: CBOR], on date: CivilDate) -> JSONValue {
        var holder: [String: JSONValue] = [:], household: [String: JSONValue] = [:]
        for (path, value) in facts {
            let json: JSONValue = value.int.map { .integer($0) } ?? value.bool.map { .bool($0) } ?? value.text.map { .string($0) } ?? .null
            if path == "holder.birthDate", let text = value.text, let birth = try? CivilDate(text) {
                holder["age"] = .integer(Int64(birth.age(on: date)))
                if let sex = facts["holder.sex"]?.text {
                    holder["workingAge"] = .bool(RetirementAge.isWorkingAge(bornOn: birth, sex: sex, on: date))
                }
            } else if path.hasPrefix("holder.") {
                holder[String(path.dropFirst("holder.".count))] = json
            } else if path.hasPrefix("household.") {
                household[String(path.dropFirst("household.".count))] = json
            }
        }
        return .object(["holder": .object(holder), "household": .object(household), "validationDate": .string(date.description)])
    }

    private enum Loaded<Value> {
        case success(Value)
        case failure(String)
    }

    /// The trust list, if its signature was good and it is in force at the validation time.
    private func loadTrustList() -> Loaded<TrustList> {
        switch verified.trustList {
        case .unusable(let reason):
            return .failure(reason)
        case .usable(let trusted):
            // Its iat gets the same skew as any code, so a verifier a little behind still
            // works; its expiry none: a stale list is never trusted.
            if let issuedAt = trusted.issuedAt, issuedAt > configuration.validationTime + configuration.skew {
                // Its signature is good; it is newer than the time asked (`--at` in an audit):
                // the list in force then is another.
                return .failure("""
                    the trust list was signed at \(Timestamp.iso(issuedAt)), after the time of the check \
                    (\(Timestamp.iso(configuration.validationTime))): check against the trust list in force then
                    """)
            }
            guard configuration.validationTime < trusted.list.expiresAt else {
                return .failure("the trust list expired at \(Timestamp.iso(trusted.list.expiresAt))")
            }
            return .success(trusted.list)
        }
    }

    /// The status list for `uri` signed by a key of `issuerCode`, the code's issuer, if its
    /// signature was good and it is unexpired. Of several such lists signed by the time of the
    /// check (with the skew a code gets) the latest (`iat`, then `seq`: `StatusListPublication`)
    /// counts, the first given on a tie, so an older copy given beside it cannot undo a
    /// revocation, and an unusable token cannot hide a good one. A list signed after the time
    /// of the check does not say what held then (`zhucan verify --at`). A list another issuer
    /// signed for the same URI never counts: an issuer speaks only for its own certificates
    /// (Docs/format.md §8 step 5).
    private func loadStatusList(uri: String, issuerCode: String) -> Loaded<(CertificateStatusList, Int64?)> {
        var newest: VerifiedLists.CheckedStatusList?
        var otherIssuer: String?
        var firstUnusable: String?
        var signedLater: Int64?
        // By bytes, as `StatusListToken.status(of:)` compares `sub` (the Token Status List draft:
        // equal): String's == would equate NFC and NFD spellings.
        for candidate in verified.statusLists where candidate.uri.utf8.elementsEqual(uri.utf8) {
            switch candidate.outcome {
            case .unusable(let reason):
                firstUnusable = firstUnusable ?? reason
            case .usable(let checked) where checked.signer.issuerCode != issuerCode:
                otherIssuer = otherIssuer ?? checked.signer.issuerCode
            case .usable(let checked) where checked.publication.issuedAt > configuration.validationTime + configuration.skew:
                signedLater = min(signedLater ?? .max, checked.publication.issuedAt)
            case .usable(let checked):
                if newest.map({ $0.publication < checked.publication }) ?? true { newest = checked }
            }
        }
        guard let newest else {
            if let signedLater {
                return .failure("""
                    the status list for \(uri) was signed at \(Timestamp.iso(signedLater)), after the time of the check \
                    (\(Timestamp.iso(configuration.validationTime))): check against the status list in force then
                    """)
            }
            if let otherIssuer {
                return .failure("the status list for \(uri) is signed by issuer \(otherIssuer), not by the code's issuer \(issuerCode)")
            }
            return .failure(firstUnusable ?? "no status list for \(uri)")
        }
        if let expiration = newest.expiration, configuration.validationTime >= expiration {
            return .failure("the status list expired at \(Timestamp.iso(expiration))")
        }
        return .success((newest.list, newest.expiration))
    }
}
