import Foundation
import ZhucanCatalogue
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanRegistry

extension Workspace {
    /// Validates a catalogue file (every field, unique ids, every rule, and its own rule
    /// tests), signs it with the issuer key, and makes it the current catalogue. Earlier
    /// versions stay stored and readable.
    ///
    /// It holds the issuance lock throughout: two publications of one version at once had both
    /// been published, under two edition numbers, and one signed while `keys revoke` re-signed
    /// the editions was left signed by the revoked key.
    /// - Throws: `IssuerError.invalidInput` with the catalogue's fault (its JSON path).
    @discardableResult
    package func publishCatalogue(_ data: Data, tests: Data, now: Int64) throws -> (Catalogue, Registry.Publication) {
        // Taken first, with the time read just before: the file's checks take a while, and a
        // key rotated in meanwhile would sign at a time before its start.
        let lock = try IssuanceLock(workspace: directory, wait: .seconds(10), holder: "zhucan catalogue publish")
        defer { withExtendedLifetime(lock) {} }
        let now = lock.time(now)
        let catalogue: Catalogue
        do {
            catalogue = try Catalogue(parsing: data)
            try catalogue.checkTests(tests)
        } catch {
            throw IssuerError(.invalidInput, error.reason)
        }
        // A published version is immutable: a change needs a new catalogueVersion.
        if try catalogues().contains(where: { $0.catalogue.version == catalogue.version }) {
            throw IssuerError(.invalidInput, "目录 \(catalogue.version) 已发布过，修改后的目录须使用新的 catalogueVersion / catalogue \(catalogue.version) is already published; give the changed catalogue a new catalogueVersion")
        }
        let key = try issuerKey()
        let sequence = try Self.wrap { try registry.nextSequence(of: .catalogue) }
        let claims = catalogue.claims(issuerCode: configuration.issuerCode, issuedAt: now, edition: sequence)
        let text = try Self.wrap { try EnvelopeSealer.seal(claims, type: ObjectType.catalogue.rawValue, key: key) }
        // Read back as every verifier and node will, within their limits: an edition they
        // refuse would stop them at the one before it for good (and `catalogues()` here).
        let readBack = EnvelopeLayers(reading: text)
        if let failure = readBack.failure {
            throw IssuerError(.invalidInput, """
                目录签名后过大 / the signed catalogue is refused by the limits every verifier applies (\(failure.detail)); \
                shorten its texts or split it: nothing was published
                """)
        }
        guard let readClaims = readBack.claims, (try? Catalogue(claims: readClaims)) != nil else {
            throw IssuerError(.internalFailure, "the signed catalogue does not read back; nothing was published")
        }
        let publication = try Self.wrap {
            try registry.publish(.catalogue, sequence: sequence, text: text, issuedAt: now, expiresAt: claims.expiration ?? now)
        }
        try signCheckpoint(now: now)
        return (catalogue, publication)
    }

    /// Every published catalogue, oldest first, read back from its signed form.
    package func catalogues() throws -> [(catalogue: Catalogue, publication: Registry.Publication)] {
        try Self.wrap { try registry.publications(.catalogue) }.map { publication in
            let layers = EnvelopeLayers(reading: publication.text)
            guard let claims = layers.claims else {
                throw IssuerError(.internalFailure, "stored catalogue \(publication.sequence) does not decode")
            }
            do {
                return (try Catalogue(claims: claims), publication)
            } catch {
                throw IssuerError(.internalFailure, "stored catalogue \(publication.sequence): \(error)")
            }
        }
    }

    /// The current (latest published) catalogue, if any.
    package func currentCatalogue() throws -> Catalogue? {
        try catalogues().last?.catalogue
    }

    /// The newest published catalogue in force on `date`.
    /// - Throws: `IssuerError.notFound` when none is published or none is in force.
    package func catalogueInForce(on date: CivilDate) throws -> Catalogue {
        try Self.catalogue(inForceOn: date, among: try catalogues().map(\.catalogue))
    }

    /// How far the published catalogue editions reach from `today` (China date). Service codes
    /// are refused on a day no edition covers (`serviceCode`), so the service warns ahead of
    /// that day (`ListRepublisher`).
    package func catalogueCoverage(from today: CivilDate) throws -> CatalogueCoverage {
        let editions = try catalogues().map(\.catalogue)
        guard !editions.isEmpty else { return .nonePublished }
        var lastDay: CivilDate?
        var day = today
        // Each step starts the day after the furthest end of the editions in force: a chain of
        // yearly editions is a step each.
        for _ in 0..<editions.count {
            guard let end = editions.filter({ $0.isInForce(on: day) }).compactMap({ try? CivilDate($0.validUntil) }).max() else { break }
            lastDay = end
            let next = end.adding(days: 1)
            guard next > end else { break }  // 9999-12-31
            day = next
        }
        return lastDay.map(CatalogueCoverage.through) ?? .noneInForce
    }

    /// What a workspace without a published catalogue answers where one is needed.
    static var noCataloguePublished: IssuerError {
        IssuerError(.notFound, "本工作区尚未发布服务目录 / no catalogue is published in this workspace (zhucan catalogue publish)")
    }

    /// The newest of `editions` (oldest first) in force on `date`.
    /// - Throws: `IssuerError.notFound` when there is none, or none is in force.
    static func catalogue(inForceOn date: CivilDate, among editions: [Catalogue]) throws -> Catalogue {
        guard let newest = editions.last else { throw noCataloguePublished }
        guard let catalogue = editions.inForce(on: date) else {
            throw IssuerError(.notFound, "\(date) 没有生效的服务目录 / no published catalogue is in force on \(date) (newest: \(newest.version), \(newest.validFrom) … \(newest.validUntil))")
        }
        return catalogue
    }

    /// `today` checks the number's birth date; a report over many holders reads the clock once
    /// (it was a tenth of a coverage report at a million holders).
    func holderFacts(_ stored: StoredCertificate, household: [String: Bool]? = nil, today: CivilDate = .today()) throws -> HolderFacts {
        let number = try Self.wrap { try DisabilityCertificateNumber(stored.number, asOf: today) }
        let region = try Self.wrap { try RegionCode(stored.region) }
        let recorded = try household ?? Self.wrap { try registry.householdFacts(citizenID: stored.citizenID) }
        var facts: [HouseholdFact: Bool] = [:]
        for (key, value) in recorded {
            if let fact = HouseholdFact(rawValue: key) { facts[fact] = value }
        }
        return HolderFacts(certificateNumber: number, region: region, household: facts, validUntil: try? CivilDate(stored.validUntil))
    }

    /// Records household facts for the holder of certificate `number`.
    /// - Throws: `IssuerError.invalidInput` for a household set as both 低保 and 低保-edge
    ///   (`HouseholdFact.withExclusions`, which also sets the other of the two false).
    package func setHouseholdFacts(certificateNumber: String, facts: [HouseholdFact: Bool], now: Int64) throws {
        let number = try Self.wrap { try DisabilityCertificateNumber(certificateNumber.uppercased()) }
        guard let recorded = HouseholdFact.withExclusions(Dictionary(uniqueKeysWithValues: facts.map { ($0.key.rawValue, $0.value) })) else {
            throw IssuerError(.invalidInput, "低保和低保边缘不能同时为是 / a household is 低保 or 低保-edge, not both")
        }
        try Self.wrap { try registry.setHouseholdFacts(citizenID: number.citizenID.value, facts: recorded, at: now) }
    }

    /// Every service of the current catalogue, with whether the holder is entitled on `date`.
    package func entitlements(certificateNumber: String, on date: CivilDate) throws -> (Catalogue, [Entitlement]) {
        let catalogue = try catalogueInForce(on: date)
        return (catalogue, try entitlements(of: try storedCertificate(number: certificateNumber), on: date, in: catalogue))
    }

    /// Every service of `catalogue`, with whether the holder of `stored` is entitled on `date`.
    /// A benefit needs a certificate in force that day (active, and within its validity); a
    /// procedure on the certificate (renewal above all, for an expired one) follows its rule.
    package func entitlements(of stored: StoredCertificate, on date: CivilDate, in catalogue: Catalogue) throws -> [Entitlement] {
        let entitlements = catalogue.entitlements(for: try holderFacts(stored), on: date)
        guard !stored.isInForce(on: date) else { return entitlements }
        let reason = switch stored.validity(on: date) {
        case .notYetValid(let from): "证件自 \(from) 起有效 / the certificate is valid from \(from)"
        case .expired(let until): "证件有效期至 \(until)，已过期 / the certificate expired after \(until)"
        case .valid: "证件状态为 \(stored.state.rawValue) / the certificate is \(stored.state.rawValue)"
        }
        return entitlements.map { entitlement in
            guard entitlement.service.kind == .benefit else { return entitlement }
            return Entitlement(service: entitlement.service, isEntitled: false, failedClause: "certificate not in force on \(date)", failedReason: reason)
        }
    }
}
