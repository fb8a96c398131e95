import ZhucanCatalogue
import ZhucanCBOR
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanRegistry
import ZhucanSigning
import ZhucanStatusList

extension Workspace {
    /// Mints an identity code for the holder of a live, active certificate.
    /// - Parameters:
    ///   - seconds: lifetime; `nil` for the configured default.
    ///   - showCategory: whether the holder chose to show category and level.
    /// - Throws: `IssuerError.notFound`, or `.notAllowed` for a suspended, revoked or superseded certificate.
    ///   - format: `.compact` (the default) unless the trust list cannot yet expand compact
    ///     codes (`compactCodesReady`), when the code is minted `.standard`.
    package func identityCode(
        certificateNumber: String, seconds: Int?, showCategory: Bool, agent: CodeAgent? = nil, format: CodeFormat = .compact, now: Int64
    ) throws -> String {
        let expiresAt = now + Int64(try Self.lifetime(seconds, default: configuration.identityCodeSeconds))
        let stored = try activeCertificate(number: certificateNumber, now: now, until: expiresAt)
        let name = try Self.wrap { try PersonName(stored.name) }
        let code = IdentityCode(
            certificateReference: stored.licenseID, maskedName: name.masked,
            disclosed: showCategory
                ? (DisabilityCategory(rawValue: stored.category) ?? .multiple, DisabilityLevel(rawValue: stored.level) ?? .one)
                : nil,
            status: try Self.wrap { try StatusReference(index: Int(stored.statusIndex), uri: configuration.statusListURI) },
            issuerCode: configuration.issuerCode, issuedAt: now, expiresAt: expiresAt,
            nonce: Self.randomBytes(format == .compact ? CodeFormat.compactNonceLength : 16),
            agent: agent
        )
        return try seal(code.claims, compact: format == .compact ? code.compactClaims : nil, type: .identityCode, now: now)
    }

    /// Mints a service code for one catalogue service, under the edition in force today.
    /// - Throws: as `identityCode`; `.invalidInput` for an empty service id or one the edition
    ///   lacks; `.notFound` when editions are published and none is in force today.
    package func serviceCode(
        certificateNumber: String, service: String, seconds: Int?, oneTime: Bool, catalogueVersion: String? = nil, agent: CodeAgent? = nil,
        now: Int64,
        format: CodeFormat = .compact
    ) throws -> String {
        let service = service.trimmingCharacters(in: .whitespaces)
        guard Catalogue.isServiceID(service) else {
            throw IssuerError(.invalidInput, "事项编号须为目录中的编号（a–z、0–9 和 -，最多 48 个字符） / the service must be a catalogue service id (a–z, 0–9 and '-', at most 48 characters)")
        }
        let expiresAt = now + Int64(try Self.lifetime(seconds, default: configuration.serviceCodeSeconds))
        let stored = try activeCertificate(number: certificateNumber, now: now, until: expiresAt)
        var version = catalogueVersion, isOneTime = oneTime
        var facts: [String: CBOR] = [:]
        // The edition in force on the code's date (Docs/catalogue.md §7), so that publishing next
        // year's edition ahead of time changes nothing today. With editions published but none
        // in force (next year's not published in time), the code is refused: every verifier
        // would answer status_unknown to one naming an edition out of force. With none
        // published, the code names none.
        let editions = try catalogues().map(\.catalogue)
        let catalogue = editions.isEmpty ? nil : try Self.catalogue(inForceOn: ChinaTime.date(of: now), among: editions)
        if let catalogue {
            guard let entry = catalogue.service(service) else {
                throw IssuerError(.invalidInput, "目录 \(catalogue.version) 中没有事项 \"\(service)\" / catalogue \(catalogue.version) has no service \"\(service)\"")
            }
            version = catalogue.version
            isOneTime = oneTime || entry.isOneTime
            facts = Self.disclosedFacts(try holderFacts(stored), for: entry.variablesUsed, on: ChinaTime.date(of: now))
        }
        let code = ServiceCode(
            certificateReference: stored.licenseID, services: [service], catalogueVersion: version, isOneTime: isOneTime,
            facts: facts,
            status: try Self.wrap { try StatusReference(index: Int(stored.statusIndex), uri: configuration.statusListURI) },
            issuerCode: configuration.issuerCode, issuedAt: now, expiresAt: expiresAt,
            nonce: Self.randomBytes(format == .compact ? CodeFormat.compactNonceLength : 16),
            agent: agent
        )
        return try seal(code.claims, compact: format == .compact ? code.compactClaims : nil, type: .serviceCode, now: now)
    }

    /// Seals a code compactly when it can be (`compact` claims given and the trust list ready
    /// to expand them), else in envelope version 1.
    private func seal(_ claims: CWTClaims, compact: CWTClaims?, type: ObjectType, now: Int64) throws -> String {
        let (key, entry) = try signingKey(at: now)
        return try Self.seal(claims, compact: compactCodesReady(entry) ? compact : nil, type: type, key: key)
    }

    /// Seals `compact` claims in the compact format when given, else `claims` in version 1.
    static func seal(_ claims: @autoclosure () -> CWTClaims, compact: CWTClaims?, type: ObjectType, key: PrivateKey) throws -> String {
        if let compact, let contentFormat = type.contentFormat {
            return try wrap { try EnvelopeSealer.sealCompact(compact, contentFormat: contentFormat, key: key) }
        }
        return try wrap { try EnvelopeSealer.seal(claims(), type: type.rawValue, key: key) }
    }

    /// Whether the signing key's trust list `entry` gives verifiers what a compact code leaves
    /// out: the issuer's e-licence type code (`ltc`) and status list URI (`slb`). A workspace
    /// made before the compact format mints version 1 until its trust list is published again.
    package func compactCodesReady(_ entry: TrustList.Entry) -> Bool {
        entry.licenseTypeCode == configuration.licenseTypeCode
            && entry.statusListBase != nil && entry.statusListBase == TrustList.Entry.statusListBase(of: configuration.statusListURI)
    }

    /// The claims a service code for a rule reading `paths` carries (Docs/format.md §6.4): only
    /// the facts the rule reads. `holder.age` is disclosed as the birth date, and
    /// `holder.workingAge` as the birth date and sex, so that the verifier judges them on its
    /// own validation date; `holder.renewalDue` as judged on the minting day (a code lives
    /// minutes). In a fixed order, the order the holder's page names them in.
    static func disclosedKeys(for paths: Set<String>) -> [String] {
        var keys = Set<String>()
        for path in paths {
            switch path {
            case "holder.age": keys.insert("holder.birthDate")
            case "holder.workingAge": keys.formUnion(["holder.birthDate", "holder.sex"])
            case "holder.category", "holder.level", "holder.region", "holder.sex", "holder.renewalDue": keys.insert(path)
            default:
                if path.hasPrefix("household."), HouseholdFact(rawValue: String(path.dropFirst("household.".count))) != nil { keys.insert(path) }
            }
        }
        let holderOrder = ["holder.category", "holder.level", "holder.birthDate", "holder.sex", "holder.region", "holder.renewalDue"]
        let householdOrder = HouseholdFact.allCases.map { "household.\($0.rawValue)" }
        return (holderOrder + householdOrder).filter(keys.contains)
    }

    /// The facts a service code for a rule reading `paths` discloses (``disclosedKeys(for:)``),
    /// their values on `date`, the minting day.
    static func disclosedFacts(_ facts: HolderFacts, for paths: Set<String>, on date: CivilDate) -> [String: CBOR] {
        var disclosed: [String: CBOR] = [:]
        for key in disclosedKeys(for: paths) {
            switch key {
            case "holder.category": disclosed[key] = CBOR(Int64(facts.category))
            case "holder.level": disclosed[key] = CBOR(Int64(facts.level))
            case "holder.region": disclosed[key] = .text(facts.region)
            case "holder.sex": disclosed[key] = .text(facts.sex)
            case "holder.birthDate": disclosed[key] = .text(facts.birthDate.description)
            case "holder.renewalDue":
                if let due = facts.renewalDue(on: date) { disclosed[key] = .bool(due) }
            default:
                if let fact = HouseholdFact(rawValue: String(key.dropFirst("household.".count))), let value = facts.household[fact] {
                    disclosed[key] = .bool(value)
                }
            }
        }
        return disclosed
    }

    /// What a service code for `service` shows the verifier, in words, for the holder to read
    /// before showing it: the facts of ``disclosedKeys(for:)``, each household fact the rule
    /// reads among them, though a code carries one only when it is recorded. `nil` when the
    /// rule reads none.
    package static func disclosure(of service: CatalogueService) -> LocalizedText? {
        let words = disclosedKeys(for: service.variablesUsed).map { key -> LocalizedText in
            switch key {
            case "holder.category": LocalizedText(zh: "残疾类别", en: "disability category")
            case "holder.level": LocalizedText(zh: "残疾等级", en: "disability level")
            case "holder.birthDate": LocalizedText(zh: "出生日期", en: "date of birth")
            case "holder.sex": LocalizedText(zh: "性别", en: "sex")
            case "holder.region": LocalizedText(zh: "户籍地", en: "household region")
            case "holder.renewalDue": LocalizedText(zh: "证件是否临近到期", en: "whether the certificate is due for renewal")
            default:
                HouseholdFact(rawValue: String(key.dropFirst("household.".count)))
                    .map { LocalizedText(zh: "是否\($0.words.zh)", en: "whether \($0.words.en)") } ?? LocalizedText(zh: key, en: key)
            }
        }
        guard !words.isEmpty else { return nil }
        return LocalizedText(zh: words.map(\.zh).joined(separator: "、"), en: words.map(\.en).joined(separator: ", "))
    }

    /// The certificate with this number, which must exist, be active, and be in its validity
    /// from `now` to `until` (a code's expiry; China time, the last day to its end): a code
    /// carries no validity of its certificate, and the status list says nothing of expiry, so
    /// a code that outlived its certificate would verify as valid.
    func activeCertificate(number: String, now: Int64, until: Int64? = nil) throws -> StoredCertificate {
        let stored = try storedCertificate(number: number)
        let masked = Self.maskedNumber(stored.number)
        guard stored.state == .active else {
            throw IssuerError(.notAllowed, "残疾人证 \(masked) 当前状态为 \(stored.state.rawValue)，不出码 / certificate \(masked) is \(stored.state.rawValue); no code is issued for it")
        }
        switch stored.validity(on: ChinaTime.date(of: now)) {
        case .notYetValid(let from):
            throw IssuerError(.notAllowed, "残疾人证 \(masked) 自 \(from) 起有效，此前不出码 / certificate \(masked) is valid from \(from); no code is issued before then")
        case .expired(let last):
            throw IssuerError(.notAllowed, "残疾人证 \(masked) 有效期至 \(last)，已过期，请换证后再出码 / certificate \(masked) was valid until \(last); no code is issued until it is renewed")
        case .valid:
            if let endsAt = stored.endsAt, let until, until > endsAt {
                let last = stored.validUntil
                throw IssuerError(.notAllowed, "残疾人证 \(masked) 有效期至 \(last)，码不能比证件更久，请缩短有效期 / certificate \(masked) is valid until \(last), and a code may not outlive it: choose a shorter lifetime (ttl)")
            }
        }
        try checkAgainstItsCertificate(stored)
        return stored
    }

    /// Checks that the registry's row says what the signed certificate it holds says. A code's
    /// facts (name, category and level, region, status index, validity) are read from the row:
    /// a row edited behind the application (a level raised, a name changed) would otherwise
    /// have codes signed with what no certificate says, which no log entry shows. Each row is
    /// read once per process and content (`checkedRows`).
    /// - Throws: `IssuerError.internalFailure` naming the fields that differ, or that the
    ///   certificate cannot be read.
    func checkAgainstItsCertificate(_ stored: StoredCertificate) throws {
        let fingerprint = Digest.sha256(Array([
            String(stored.id), stored.number, stored.licenseID, stored.name, String(stored.category), String(stored.level), stored.region,
            stored.validFrom, stored.validUntil, String(stored.statusIndex), stored.keyID, stored.code,
        ].joined(separator: "\u{0}").utf8))
        if checkedRows.withLock({ $0.contains(fingerprint) }) { return }
        let masked = Self.maskedNumber(stored.number)
        func refuse(_ what: String) -> IssuerError {
            IssuerError(.internalFailure, """
                登记库中残疾人证 \(masked) 的记录与其签名证件不符（\(what)），不出码：记录可能被绕过程序修改 / \
                the registry's row of certificate \(masked) does not say what its signed certificate says (\(what)): it may have been \
                edited behind the application, so no code is signed from it; zhucan audit signatures names every such row
                """)
        }
        guard let differing = Self.rowDifferences(stored, layers: EnvelopeLayers(reading: stored.code), keys: try issuerKeysAsSigned()) else {
            throw refuse("the certificate cannot be read")
        }
        guard differing.isEmpty else { throw refuse(differing.joined(separator: ", ")) }
        checkedRows.withLock { rows in
            if rows.count >= 65_536 { rows.removeAll(keepingCapacity: true) }
            rows.insert(fingerprint)
        }
    }

    /// What the row `stored` says otherwise than its signed certificate (`layers`): the fields
    /// a code is made of; `nil` when the certificate cannot be read. A compact certificate is
    /// read with its signer's entry among `keys` (`issuerKeysAsSigned`: the row names the key),
    /// and its licence id is not compared: it is built from the e-licence type code, which
    /// `config.json` may have changed since (`licenseTypeCode`), while the row keeps the one it
    /// was issued under. The social-security card is not compared either: it may be linked
    /// after issuance.
    static func rowDifferences(_ stored: StoredCertificate, layers: EnvelopeLayers, keys: [TrustList.Entry]) -> [String]? {
        guard let claims = layers.claims else { return nil }
        let isCompact = layers.cose?.contentFormat != nil
        let read = isCompact
            ? keys.first(where: { $0.key.keyID.hex == stored.keyID }).flatMap { try? DisabilityCertificate(compact: claims, signer: $0) }
            : try? DisabilityCertificate(claims: claims)
        guard let certificate = read else { return nil }
        var differing: [String] = []
        if !isCompact, certificate.licenseID.value != stored.licenseID { differing.append("licence id") }
        if certificate.number.value != stored.number || certificate.citizenID.value != stored.citizenID { differing.append("number") }
        if certificate.category.rawValue != stored.category || certificate.level.rawValue != stored.level { differing.append("category or level") }
        if certificate.holderName.unmaskedValue != stored.name { differing.append("name") }
        if certificate.region.value != stored.region { differing.append("region") }
        if certificate.validFrom.description != stored.validFrom || certificate.validUntil.description != stored.validUntil { differing.append("validity") }
        if certificate.status.index != Int(stored.statusIndex) { differing.append("status index") }
        return differing
    }

    static func lifetime(_ seconds: Int?, default value: Int) throws -> Int {
        let lifetime = seconds ?? value
        // A code is shown at a counter: more than a day is never needed and only helps a thief.
        guard (1...Int(CredentialVerifier.longestCodeLifetime)).contains(lifetime) else { throw IssuerError(.invalidInput, "有效期（ttl）须为 1–86400 秒 / the lifetime (ttl) must be 1–86400 seconds") }
        return lifetime
    }
}
