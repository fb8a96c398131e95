import ZhucanIdentifiers
import ZhucanRegistry

extension Workspace {
    /// Issues one live certificate again with `change` (`zhucan correct`, `zhucan renew`): a
    /// new version of the same certificate (the same number and e-license serial, version + 1,
    /// GB/T 36904), signed by the active key, that supersedes it. The old one is published as
    /// revoked; the holder's enrolled phone follows the new one (`Registry.latestReissue`). The
    /// term stays unless the change renews it.
    ///
    /// Under the issuance lock, as `issue` is, and in one transaction with its log entries.
    /// - Throws: `IssuerError.notFound` for a number the registry lacks; `.notAllowed` for a
    ///   certificate that is not active (a suspended one would be lifted), for a correction of an
    ///   expired one (it is renewed), and for a renewal before its window
    ///   (`CertificateTerm.renewalOpens`); `.invalidInput` for a change that changes nothing, a
    ///   card on another person's certificate, or a new term that cannot start on the day given
    ///   or would not end after the current one. A refusal publishes the status list first
    ///   when a run cut short left it behind (``finishing(_:holding:now:)``).
    package func reissueCertificate(number certificateNumber: String, with change: CertificateChange, now: Int64) throws -> IssuedCertificate {
        let number = try Self.certificateNumber(certificateNumber)
        let lock = try IssuanceLock(workspace: directory, wait: .seconds(10), holder: change.renews ? "zhucan renew" : "zhucan correct")
        defer { withExtendedLifetime(lock) {} }
        let now = lock.time(now)
        do {
            return try reissue(number: number, with: change, holding: lock, now: now)
        } catch let refusal as IssuerError {
            throw try finishing(refusal, holding: lock, now: now)
        }
    }

    /// `reissueCertificate` under its lock.
    private func reissue(number: String, with change: CertificateChange, holding lock: IssuanceLock, now: Int64) throws -> IssuedCertificate {
        let stored = try storedCertificate(number: number)
        let masked = Self.maskedNumber(number)
        switch stored.state {
        case .active:
            break
        case .suspended:
            throw IssuerError(.notAllowed, "证件 \(masked) 已暂停，请先恢复（zhucan reinstate）/ certificate \(masked) is suspended: "
                + "a new version would be active and lift the suspension; reinstate it (`zhucan reinstate`) first")
        case .superseded:
            throw IssuerError(.notAllowed, "证件 \(masked) 已被换发的证件取代 / certificate \(masked) was replaced after a category or level change: change the certificate that replaced it")
        case .revoked:
            throw IssuerError(.notAllowed, "证件 \(masked) 已注销 / certificate \(masked) is revoked: a revoked certificate is not issued again")
        }
        let today = ChinaTime.date(of: now)
        let citizenID = try Self.wrap { try CitizenIDNumber(stored.citizenID) }
        let validUntil = try Self.wrap { try CivilDate(stored.validUntil) }
        var validFrom = try Self.wrap { try CivilDate(stored.validFrom) }
        var changed: [String] = []
        if change.renews {
            let opens = CertificateTerm.renewalOpens(termEndingOn: validUntil)
            guard today >= opens else {
                throw IssuerError(.notAllowed, "证件 \(masked) 有效期至 \(validUntil)，自 \(opens) 起可换领 / certificate \(masked) is valid until \(validUntil): "
                    + "it may be renewed from \(opens), a year before its term ends; to correct its details meanwhile, `zhucan correct`")
            }
            let start = change.renewedFrom ?? today
            if let problem = CertificateTerm.problem(startingOn: start, bornOn: citizenID.birthDate, today: today) {
                throw IssuerError(.invalidInput, "有效期起始 \(start) \(problem.zh) / valid-from \(start): \(problem.en)")
            }
            guard start <= today else {
                throw IssuerError(.invalidInput, "换领的有效期起始不能晚于今天 / a renewed term starts no later than today (\(today)): the certificate it replaces stops at once")
            }
            // A renewal lengthens the term: a start far back would give a term that ends no
            // later than the old one, or today.
            let end = try Self.wrap { try CertificateTerm.lastDay(startingOn: start) }
            guard end > validUntil, end > today else {
                throw IssuerError(.invalidInput, "自 \(start) 起的新有效期至 \(end)，不长于原有效期（至 \(validUntil)）/ a term from \(start) would end on \(end), "
                    + "no later than the current one (\(validUntil)) or today: give a later --valid-from, or none for today")
            }
            validFrom = start
            changed.append("term")
        } else if validUntil < today {
            throw IssuerError(.notAllowed, "证件 \(masked) 已于 \(validUntil) 到期，请换领（zhucan renew）/ certificate \(masked) expired on \(validUntil): renew it (`zhucan renew`), with any corrections")
        }
        let name = try change.name ?? Self.wrap { try PersonName(stored.name) }
        if name.unmaskedValue != stored.name { changed.append("name") }
        let region = try change.region ?? Self.wrap { try RegionCode(stored.region) }
        if region.value != stored.region { changed.append("region") }
        var card: SocialSecurityCardNumber?
        switch change.card {
        case .keep:
            card = stored.socialSecurityCard.flatMap(SocialSecurityCardNumber.init(validating:))
        case .replace(let new):
            card = new
            if new.value != stored.socialSecurityCard { changed.append("card") }
        case .remove:
            card = nil
            if stored.socialSecurityCard != nil { changed.append("card") }
        }
        guard !changed.isEmpty else {
            throw IssuerError(.invalidInput, "证件 \(masked) 已是所给的内容，未作更改 / certificate \(masked) already says what was given: nothing to change")
        }
        if let card, card.value != stored.socialSecurityCard { try checkCardFree(card, for: stored.citizenID) }
        guard let category = DisabilityCategory(rawValue: stored.category), let level = DisabilityLevel(rawValue: stored.level) else {
            throw IssuerError(.internalFailure, "certificate \(masked) has no valid category and level")
        }
        let request = IssueRequest(
            name: name, citizenID: citizenID, category: category, level: level, region: region, socialSecurityCard: card, validFrom: validFrom
        )
        let (key, entry) = try signingKey(at: now)
        guard let reservation = try Self.wrap({ try registry.reserve(1) }).first else {
            throw IssuerError(.internalFailure, "no status index reserved")
        }
        let prepared = try prepare(
            request, reservation: reservation, supersedes: stored, key: key, compact: compactCodesReady(entry), now: now,
            carriesCardOver: false
        )
        // The log says what changed, never the values (the log is read by auditors).
        let reason = (change.renews ? "renewed" : "corrected") + ": " + changed.joined(separator: ", ")
        try Self.wrap { _ = try registry.storeIssued([(prepared.record, stored.id)], reason: reason) }
        Failpoint.reach("certificate.stored")
        try publishStatusList(holding: lock, now: now)
        return Self.result(prepared)
    }
}
