import Foundation
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanRegistry
import ZhucanSigning
import ZhucanStatusList

extension Workspace {
    /// A certificate ready to store: its registry record and what it supersedes.
    struct Prepared: Sendable {
        let record: StoredCertificate
        let supersedes: StoredCertificate?
    }

    /// Issues one certificate: validates, assigns a GB/T 36904 identifier and a status index,
    /// signs, and stores the record and its event in one transaction, then republishes the
    /// status list.
    ///
    /// A person with a live certificate of the same category and level gets
    /// `IssuerError.alreadyIssued`; a different category or level supersedes an active one.
    /// A suspended certificate is never superseded (`IssuerError.notAllowed`): the new one
    /// would be active, and so lift a suspension nobody lifted.
    package func issue(_ request: IssueRequest, now: Int64) throws -> IssuedCertificate {
        // Waits for another single issuance (milliseconds), not for a batch (hours).
        let lock = try IssuanceLock(workspace: directory, wait: .seconds(10), holder: "zhucan issue")
        defer { withExtendedLifetime(lock) {} }
        let now = lock.time(now)
        if let start = request.validFrom,
            let problem = CertificateTerm.problem(startingOn: start, bornOn: request.citizenID.birthDate, today: ChinaTime.date(of: now))
        {
            throw IssuerError(.invalidInput, "有效期起始 \(start) \(problem.zh) / valid-from \(start): \(problem.en)")
        }
        let live = try Self.wrap { try registry.liveCertificate(citizenID: request.citizenID.value) }
        do {
            try Self.checkIssuable(request, live: live)
            if let card = request.socialSecurityCard { try checkCardFree(card, for: request.citizenID.value) }
        } catch let refusal as IssuerError {
            throw try finishing(refusal, holding: lock, now: now)
        }
        let (key, entry) = try signingKey(at: now)
        guard let reservation = try Self.wrap({ try registry.reserve(1) }).first else {
            throw IssuerError(.internalFailure, "no status index reserved")
        }
        let prepared = try prepare(
            request, reservation: reservation, supersedes: live, key: key, compact: compactCodesReady(entry), now: now
        )
        try Self.wrap { _ = try registry.storeIssued([(prepared.record, prepared.supersedes?.id)]) }
        Failpoint.reach("certificate.stored")
        try publishStatusList(holding: lock, now: now)
        return Self.result(prepared)
    }

    static func checkIssuable(_ request: IssueRequest, live: StoredCertificate?) throws {
        guard let live else { return }
        guard live.category == request.category.rawValue, live.level == request.level.rawValue else {
            if live.state == .suspended { throw IssuerError(.notAllowed, Self.suspendedRefusal(live)) }
            if !request.name.isSame(as: live.name) { throw IssuerError(.invalidInput, Self.otherNameRefusal(live)) }
            return
        }
        let next: String
        if live.state == .active {
            let opens = (try? CivilDate(live.validUntil)).map { CertificateTerm.renewalOpens(termEndingOn: $0).description } ?? live.validUntil
            next = "to correct its name, region or card: `zhucan correct`; to renew it (from \(opens)): `zhucan renew`"
        } else {
            next = "it is suspended: reinstate it (`zhucan reinstate`) before correcting or renewing it"
        }
        throw IssuerError(
            .alreadyIssued,
            "this person already has \(live.state == .active ? "an active" : "a suspended") certificate \(Self.maskedNumber(live.number)) (category \(live.category), level \(live.level)); a new one is issued only for a category or level change. "
                + next.prefix(1).uppercased() + next.dropFirst()
        )
    }

    /// Builds and signs a certificate (no storage): compact (Docs/format.md §15) when `compact`
    /// (the trust list can expand it, `compactCodesReady`) and its reference allows it. Unless
    /// `carriesCardOver` is false, a request without a card keeps the card of the certificate
    /// it supersedes.
    func prepare(
        _ request: IssueRequest, reservation: Registry.Reservation, supersedes: StoredCertificate?, key: PrivateKey, compact: Bool,
        now: Int64, carriesCardOver: Bool = true
    ) throws -> Prepared {
        let today = ChinaTime.date(of: now)
        let validFrom = request.validFrom ?? today
        let validUntil = try Self.wrap { try CertificateTerm.lastDay(startingOn: validFrom) }
        // GB/T 36904: the serial is kept across re-issuances of one person's certificate and
        // the 3-digit version counts them.
        let serial: String
        let version: Int
        if let supersedes, let old = try? ELicenseIdentifier(supersedes.licenseID) {
            serial = old.serial
            version = old.version + 1
        } else {
            serial = Self.serial(date: today, counter: reservation.serialNumber)
            version = 1
        }
        let licenseID = try Self.wrap {
            try ELicenseIdentifier(typeCode: configuration.licenseTypeCode, issuer: issuerCode, serial: serial, version: version)
        }
        let number = try Self.wrap {
            try DisabilityCertificateNumber(citizenID: request.citizenID, category: request.category, level: request.level, reissue: nil)
        }
        // A re-issue keeps the card of the certificate it replaces unless given another: the
        // window finds the holder by it (证卡互通).
        let card = request.socialSecurityCard
            ?? (carriesCardOver ? supersedes?.socialSecurityCard.flatMap(SocialSecurityCardNumber.init(validating:)) : nil)
        let certificate = DisabilityCertificate(
            number: number, licenseID: licenseID, holderName: request.name, region: request.region,
            socialSecurityCard: card, validFrom: validFrom, validUntil: validUntil,
            issuerName: configuration.issuerName, issuerCode: issuerCode,
            status: try Self.wrap { try StatusReference(index: Int(reservation.statusIndex), uri: configuration.statusListURI) },
            issuedAt: now, tokenID: Self.randomBytes(compact ? CodeFormat.compactNonceLength : 16)
        )
        let code = try Self.seal(certificate.claims, compact: compact ? certificate.compactClaims : nil, type: .certificate, key: key)
        let record = StoredCertificate(
            number: number.value, licenseID: licenseID.value, licenseSerial: serial, citizenID: request.citizenID.value,
            name: request.name.unmaskedValue, category: request.category.rawValue, level: request.level.rawValue,
            region: request.region.value, socialSecurityCard: card?.value,
            validFrom: validFrom.description, validUntil: validUntil.description, statusIndex: reservation.statusIndex,
            code: code, keyID: key.publicKey.keyID.hex, issuedAt: now
        )
        return Prepared(record: record, supersedes: supersedes)
    }

    /// Refuses a card on another person's live certificate: a window that reads the card
    /// would find one of them for the other.
    /// - Throws: `IssuerError.invalidInput` naming the card and that certificate, masked.
    func checkCardFree(_ card: SocialSecurityCardNumber, for citizenID: String) throws {
        guard let holder = try Self.wrap({ try registry.liveCertificates(socialSecurityCards: [card.value]) })[card.value],
            holder.citizenID != citizenID
        else { return }
        throw IssuerError(.invalidInput, "社保卡 \(card.masked) 已在他人的证件 \(Self.maskedNumber(holder.number)) 上 / social-security card \(card.masked) is on another person's certificate \(Self.maskedNumber(holder.number)): check the number")
    }

    /// Text a person types that the log keeps (a reason, who exported, for what, a source):
    /// trimmed, 1–200 characters (800 bytes), no control, format or separator character (a
    /// newline would forge a line of the terminal or of the log's readers, a bidi override
    /// reorder it), and no run of combining marks (one character piled high). What is written
    /// into a spreadsheet is neutralised there (`FreeText.neutralisingFormula`).
    /// - Throws: `IssuerError.invalidInput` naming `what` (Chinese, English).
    package static func loggedText(_ text: String, _ what: (zh: String, en: String)) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...200).contains(trimmed.count), trimmed.utf8.count <= 800, FreeText.firstControl(in: trimmed) == nil,
            !FreeText.hasCombiningMarkRun(trimmed)
        else {
            throw IssuerError(.invalidInput, "\(what.zh)须为 1–200 个字符，不含控制字符 / \(what.en) must be 1–200 characters, on one line, without control characters")
        }
        return trimmed
    }

    /// Why a certificate is not superseded by one in another name: a re-assessment (a new
    /// category or level) keeps the holder's name, and a row whose name is not the holder's
    /// is more likely a column sorted on its own than a change of name.
    static func otherNameRefusal(_ live: StoredCertificate) -> String {
        let number = Self.maskedNumber(live.number)
        return "姓名与此人的现有证件 \(number) 不同，未换发：类别或等级变更保留姓名；如已更名，请先 zhucan correct --name（证件到期换领时用 zhucan renew --name）/ "
            + "the name differs from this person's certificate \(number): not re-issued. A new category or level keeps the holder's name; if the name "
            + "changed, correct it first (`zhucan correct --name`, or `zhucan renew --name` for a certificate due for renewal), then issue; "
            + "otherwise check the row (a column sorted on its own?)"
    }

    /// Why a suspended certificate is not superseded, and what lets it be.
    static func suspendedRefusal(_ live: StoredCertificate) -> String {
        let number = Self.maskedNumber(live.number)
        return "证件 \(number) 已暂停，请先恢复（zhucan reinstate）或注销（zhucan revoke）再换发 / certificate \(number) is suspended: "
            + "a new certificate would be active and lift the suspension; reinstate it (`zhucan reinstate`) or revoke it (`zhucan revoke`) first"
    }

    static func result(_ prepared: Prepared) -> IssuedCertificate {
        IssuedCertificate(
            code: prepared.record.code, certificateNumber: prepared.record.number, licenseID: prepared.record.licenseID,
            statusIndex: prepared.record.statusIndex, superseded: prepared.supersedes?.number,
            validFrom: prepared.record.validFrom, validUntil: prepared.record.validUntil
        )
    }

    /// An e-license serial: the issuance date and a 6-digit counter (GB/T 36904 leaves the
    /// serial's form to the issuer; 0-9A-Z, here digits only).
    static func serial(date: CivilDate, counter: Int64) -> String {
        // Not String(format:): Foundation's formatter was a twentieth of a batch row.
        let digits = String(counter)
        return date.basicFormat + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// A certificate number with the ID part masked, for messages and logs.
    package static func maskedNumber(_ number: String) -> String {
        (try? DisabilityCertificateNumber(number))?.masked ?? "****"
    }

    /// `count` bytes from the system's CSPRNG, eight at a time: drawing them one by one cost
    /// a `getrandom` call per byte, a tenth of a batch row.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8]()
        bytes.reserveCapacity(count + 7)
        while bytes.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        return Array(bytes.prefix(count))
    }
}
