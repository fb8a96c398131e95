import Foundation
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanRegistry
import ZhucanSigning
import ZhucanStatusList
import ZhucanTransparency

extension Workspace {
    /// How the reasons of restore-check's own status changes begin (`Registry.ownChange`).
    static let restoreCheckReasonPrefix = "restore-check:"

    /// What a registry restored from a backup lost, read from the newest status list and
    /// checkpoint the verifiers hold (`zhucan restore-check`), and what was done about it.
    package struct RestoreCheck: Sendable {
        /// A certificate here whose status the given list says otherwise.
        package struct Change: Sendable, Hashable {
            /// Its number, masked, and its status index (which tells apart two numbers that
            /// mask alike).
            package let number: String
            package let statusIndex: Int64
            package let from: CertificateState
            package let to: CertificateState
        }

        /// The given list, and what it must be newer than: the registry's own last change
        /// before the first check of this restore (`Registry.ownChange`), and a list an earlier
        /// check of it was given.
        package var list = Registry.StatusListOrder(issuedAt: 0, sequence: 0)
        package var registryList: Registry.StatusListOrder?
        package var alreadyGiven: Registry.StatusListOrder?
        /// Whether the given list is one this registry published (before the backup, or since
        /// the restore): it holds nothing the restore lost, and is never taken as given.
        package var isOwnList = false
        /// Whether the given list is newer than both: only then is it read.
        package var listIsNewer = false
        /// An issuer key whose state the given trust list has otherwise.
        package struct KeyChange: Sendable, Hashable {
            package let keyID: String
            /// Its state here (`active`, `retired`); nil for a key the registry lost (rotated in
            /// after the backup).
            package let from: String?
            /// `revoked`; for a lost key the list does not revoke, `active` when its private key
            /// is still in `keys/` (only the registry was restored) and the list has it active,
            /// else `retired`: what it signed still verifies, and nothing here signs with it.
            package let to: String
        }

        /// The trust list given, as (iat, seq), when one was.
        package var trustList: Registry.StatusListOrder?
        /// Whether the given trust list is one this registry published: it holds nothing lost.
        package var trustListIsOwn = false
        /// Issuer keys revoked after the backup, and keys the registry lost.
        package var keyChanges: [KeyChange] = []
        /// Whether no issuer key is active once the key changes are made (the active one
        /// revoked and no lost one taken back, or none since an earlier check): nothing signs
        /// here until `zhucan keys rotate`, which publishes the status list.
        package var noActiveKey = false
        /// Statuses of certificates here that the restore undid.
        package var changes: [Change] = []
        /// Statuses of certificates the registry does not hold (issued after the backup).
        package var carried = 0
        /// The log's size in the given checkpoint, here, and as the restore left it (before the
        /// first check of the restore logged anything).
        package var checkpointSize: UInt64?
        package var logSize: UInt64 = 0
        package var restoredLogSize: UInt64 = 0
        /// Whether anything was changed (`apply`).
        package var applied = false
        /// With `applied`, the first status index and serial counter new certificates take.
        package var nextStatusIndex: Int64?
        package var nextSerial: Int64?
        /// With `applied` and `revokeLost`, the status indexes revoked as lost, if any were
        /// past the registry's.
        package var revokedLost: Range<Int64>?
        /// Whether an earlier check of the same restore revoked the statuses it lost.
        package var lostRevoked = false

        /// Log entries the restore lost, by the checkpoint given: each certificate issued after
        /// the backup made one at least.
        package var lostLogEntries: Int64 {
            checkpointSize.map { max(Int64($0) - Int64(restoredLogSize), 0) } ?? 0
        }

        /// Of those, the entries the log has not grown back by since the restore (with each
        /// check's own): new numbers skip as many more. A check run again skips what the checks
        /// before it left, not the whole loss again.
        package var unskippedLogEntries: Int64 {
            checkpointSize.map { max(Int64($0) - Int64(logSize), 0) } ?? 0
        }
    }

    /// After restoring the registry from a backup: compares it with the newest status list the
    /// verifiers hold (`statusList`, as a node caches it or `GET /v1/status-lists/1` serves it,
    /// binary or base64) and, when given, the newest log checkpoint (`checkpoint`, a node's
    /// `checkpoint.note`), both verified under this workspace's keys. With `apply`:
    /// - the statuses the restore undid (suspensions, revocations, reinstatements made after the
    ///   backup) are made again, each a logged event;
    /// - the statuses of certificates the registry lost (issued after the backup) are kept in
    ///   every status list from now on, so that a revoked one stays revoked;
    /// - new certificates take status indexes and serials past every number the lost ones may
    ///   have used (past the list's size and its highest marked index, then as many more as
    ///   the log lost entries), and new lists sequence numbers past the list's;
    /// - with `revokeLost`, the status indexes past every one a certificate here holds, up to
    ///   the next one, are revoked: the certificates issued after the backup, which the
    ///   registry lost and could never suspend or revoke, stop verifying, and their holders
    ///   must come back to be issued anew;
    /// - the status list is published again (with no active issuer key left, a log checkpoint
    ///   only: `zhucan keys rotate` publishes it).
    ///
    /// With `trustList`, the newest trust list the verifiers hold (a node's
    /// `lists/trust-list.zc1`), verified under the root key, issuer keys are made as it has them
    /// (`Registry.restoreKeys`), since a trust list published from the restored registry would
    /// otherwise undo them: a key revoked after the backup (a stolen one) is revoked again, the
    /// active one included; a key rotated in after the backup, which the registry lost, is
    /// kept as retired (revoked if the list says so), so that what it signed, the status list
    /// given among it, is read and judged as the verifiers judge it, or, when `keys/` still
    /// holds its private key and the list has it active, is the active key again. The trust
    /// list is then published again, and new ones take sequence numbers past the list's.
    ///
    /// Run it before anything else is issued or changed. Running it again changes nothing
    /// more than skipping more numbers (and with `revokeLost` revoking them), which is
    /// harmless.
    /// - Throws: `IssuerError.invalidInput` for a list or checkpoint that is not this
    ///   workspace's (unreadable, signed by a key it does not know, another list's URI, a trust
    ///   list not signed by its root key or of another issuer); `.workspace` for a key that must
    ///   sign and cannot be read (the root key offline, an encrypted key file).
    package func restoreCheck(
        statusList bytes: [UInt8], checkpoint: [UInt8]?, trustList trustListBytes: [UInt8]? = nil, apply: Bool, revokeLost: Bool = false, now: Int64
    ) throws -> RestoreCheck {
        let lock = try IssuanceLock(workspace: directory, wait: .seconds(10), holder: "zhucan restore-check")
        defer { withExtendedLifetime(lock) {} }
        let now = lock.time(now)
        var check = RestoreCheck()
        let heldKeys = try trustListBytes.map(heldTrustList)
        var lostKeys: [StoredKey] = []
        if let heldKeys {
            check.trustList = Registry.StatusListOrder(issuedAt: heldKeys.list.issuedAt, sequence: heldKeys.list.sequence)
            check.trustListIsOwn = try Self.wrap { try registry.hasPublished(.trustList, text: heldKeys.text) }
            let here = try Self.wrap { try registry.keys(role: .issuer) }
            for entry in heldKeys.list.entries where entry.issuerCode == configuration.issuerCode {
                let keyID = entry.key.keyID.hex
                if let stored = here.first(where: { $0.keyID == keyID }) {
                    // A revocation is final, whichever list says it; a retirement here undone by
                    // the restore is harmless (the key signed nothing the verifiers lack).
                    if entry.state == .revoked, stored.state != "revoked" {
                        check.keyChanges.append(RestoreCheck.KeyChange(keyID: keyID, from: stored.state, to: "revoked"))
                    }
                } else if entry.state == .active, let file = try privateKeyFile(of: entry.key) {
                    // Only the registry was restored: the key the verifiers know as active signs on.
                    check.keyChanges.append(RestoreCheck.KeyChange(keyID: keyID, from: nil, to: "active"))
                    lostKeys.append(StoredKey(
                        keyID: keyID, role: .issuer, algorithm: entry.key.algorithm.rawValue, subjectPublicKeyInfo: entry.key.subjectPublicKeyInfo,
                        privateKeyFile: file, validFrom: entry.validFrom, state: "active", createdAt: now
                    ))
                } else {
                    let state = entry.state == .revoked ? "revoked" : "retired"
                    check.keyChanges.append(RestoreCheck.KeyChange(keyID: keyID, from: nil, to: state))
                    // valid_until is exclusive: the key may have signed during this second.
                    lostKeys.append(StoredKey(
                        keyID: keyID, role: .issuer, algorithm: entry.key.algorithm.rawValue, subjectPublicKeyInfo: entry.key.subjectPublicKeyInfo,
                        privateKeyFile: nil, validFrom: entry.validFrom, validUntil: entry.validUntil ?? now + 1, state: state, createdAt: now
                    ))
                }
            }
        }
        let revoking = Set(check.keyChanges.filter { $0.from != nil }.map(\.keyID))
        let adopting = lostKeys.contains { $0.state == "active" }
        let active = try Self.wrap { try registry.keys(role: .issuer) }.filter { $0.state == "active" }
        check.noActiveKey = !adopting && active.allSatisfy { revoking.contains($0.keyID) }
        let held = try heldStatusList(bytes, alsoUnder: heldKeys?.list.entries ?? [])
        // Publication order, (iat, seq), as nodes order lists: two signed in the same second
        // are told apart by their sequence.
        check.list = Registry.StatusListOrder(issuedAt: held.token.issuedAt, sequence: held.sequence)
        let own = try Self.wrap { try registry.ownChange() }
        let previous = try Self.wrap { try registry.restoreCheckState() }
        // While nothing but restore-checks changed the registry since the last one, this is the
        // same restore: the registry's state to compare with is the one from before it.
        let sameRestore = previous.map { $0.eventMark == own.eventID } ?? false
        check.registryList = sameRestore ? previous?.baseline : own.order
        check.alreadyGiven = sameRestore ? previous?.applied : nil
        check.isOwnList = try Self.wrap { try registry.hasPublished(.statusList, text: held.text) }
        check.listIsNewer = !check.isOwnList && (check.registryList.map { check.list > $0 } ?? true)
        if let given = check.alreadyGiven, check.list <= given { check.listIsNewer = false }
        if let checkpoint {
            let key = try logVerifierKey()
            // As a node caches it, or as `zhucan audit checkpoint` prints it: up to the last
            // signature line (C2SP signed-note: "— " then the key name), without what follows.
            var note = checkpoint
            let lines = String(decoding: checkpoint, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            if let last = lines.lastIndex(where: { $0.hasPrefix("\u{2014} ") }) {
                note = Array((lines[...last].joined(separator: "\n") + "\n").utf8)
            }
            do {
                check.checkpointSize = try Checkpoint.open(note, verifiers: [key], origin: key.keyName).size
            } catch {
                throw IssuerError(.invalidInput, "the checkpoint given is not this workspace's log's: \(error)")
            }
        }
        check.logSize = try Self.wrap { try registry.logEntryCount() }
        // The size the restore left: a check run again with the same checkpoint counts from the
        // size before the first check of the restore, whose own entries the restore did not
        // keep. Another checkpoint tells of another loss (a second restore, from a backup taken
        // after a check, looks the same to the registry), counted from the log as it is.
        let sameLoss = sameRestore && check.checkpointSize != nil && previous?.checkpointSize == check.checkpointSize
        check.restoredLogSize = sameLoss ? previous?.logSize ?? check.logSize : check.logSize
        check.lostRevoked = sameLoss && previous?.lostRevoked == true

        var carried: [(index: Int64, state: CertificateState)] = []
        var changes: [(certificate: StoredCertificate, to: CertificateState)] = []
        if check.listIsNewer {
            // Every index the list marks, and every certificate here not active: where they differ,
            // the list, signed later by this issuer, is the truth the restore undid.
            var marked: [Int64: CertificateState] = [:]
            // Indexes revoked for good here already (an earlier check's) hold nothing to take.
            let revoked = try Self.wrap { try registry.revokedRanges() }.map { Int($0.lowerBound)..<Int($0.upperBound) }
            for (index, status) in held.list.inactiveEntries(passingOver: revoked) where !revoked.contains(where: { $0.contains(index) }) {
                switch status {
                case .invalid: marked[Int64(index)] = .revoked
                case .suspended: marked[Int64(index)] = .suspended
                case .valid, .applicationSpecific: break
                }
            }
            let notActive = try Self.wrap { try registry.inactiveStatusEntries() }
            let indexes = Array(Set(marked.keys).union(notActive.map(\.index))).sorted()
            let here = try Self.wrap { try registry.certificates(statusIndexes: indexes) }
            for index in indexes {
                let listed = marked[index]
                guard let certificate = here[index] else {
                    if let listed { carried.append((index, listed)) }
                    continue
                }
                switch (certificate.state, listed) {
                case (.active, .some(let state)): changes.append((certificate, state))
                case (.suspended, .revoked): changes.append((certificate, .revoked))
                case (.suspended, nil): changes.append((certificate, .active))
                default: break  // agreed, or final here (revoked, superseded)
                }
            }
            check.changes = changes.map { RestoreCheck.Change(number: Self.maskedNumber($0.certificate.number), statusIndex: $0.certificate.statusIndex, from: $0.certificate.state, to: $0.to) }
            check.carried = carried.count
        }
        guard apply else { return check }

        // Whatever must sign is read before anything changes: the root key for a new trust list,
        // the issuer key for the status list (only the registry restored, the active key's file
        // is gone since its rotation).
        if !check.keyChanges.isEmpty { _ = try rootKey() }
        if !check.noActiveKey, !adopting { _ = try issuerKey() }
        if let heldKeys {
            // Taking a lost key back retires the backup's active key when the list says it
            // retired, not now: between the two, the verifiers refuse what it signs.
            let listed = Dictionary(heldKeys.list.entries.map { ($0.key.keyID.hex, $0) }, uniquingKeysWith: { first, _ in first })
            let retiring = adopting ? active.filter { !revoking.contains($0.keyID) }.map { key in
                (keyID: key.keyID, until: min(listed[key.keyID].flatMap { $0.state == .retired ? $0.validUntil : nil } ?? now + 1, now + 1))
            } : []
            let keyReason = "\(Self.restoreCheckReasonPrefix) so in the trust list published \(Timestamp.iso(heldKeys.list.issuedAt))"
            try Self.wrap {
                try registry.restoreKeys(
                    adding: lostKeys, revoking: revoking.sorted(), retiring: retiring, sequence: heldKeys.list.sequence, reason: keyReason, at: now
                )
            }
            if !check.keyChanges.isEmpty {
                try publishTrustList(holding: lock, now: now)
                // A revoked key's file, and the one a key taken back retired, are only something
                // to steal now.
                let revoked = try Self.wrap { try registry.keys(role: .issuer) }.filter { revoking.contains($0.keyID) }
                // So is a lost key's file that keys/ holds, for a key kept retired or revoked.
                let lostFiles = lostKeys.filter { $0.state != "active" }.map { key in
                    var file = key
                    file.privateKeyFile = Self.keyFile(role: .issuer, keyID: key.keyID) + ".key.pem"
                    return file
                }
                removePrivateKeyFiles(of: revoked + active.filter { key in retiring.contains { $0.keyID == key.keyID } } + lostFiles)
                // An edition signed by a revoked key is refused by every verifier: signed again by
                // the active key, if one is left (else by `zhucan keys rotate`).
                if !check.noActiveKey {
                    for keyID in revoking.sorted() { try resignCatalogues(signedBy: keyID, now: now) }
                }
            }
        }

        let reason = "\(Self.restoreCheckReasonPrefix) so in the status list published \(Timestamp.iso(held.token.issuedAt))"
        // Invalid in a list is revoked or superseded: the registry cannot tell which.
        let invalidReason = "\(Self.restoreCheckReasonPrefix) revoked, or superseded by a version the registry lost, in the status list published \(Timestamp.iso(held.token.issuedAt))"
        for (certificate, state) in changes {
            let event = switch state {
            case .suspended: "suspended"
            case .active: "reinstated"
            default: "revoked"
            }
            try Self.wrap {
                try registry.changeState(certificateID: certificate.id, to: state, event: event, reason: state == .revoked ? invalidReason : reason, at: now)
            }
        }
        // The list's size bounds every index reserved when it was signed (it is sized from the
        // counter, reservations included: a batch killed after reserving logs nothing).
        let floors = try Self.wrap {
            try registry.carryOver(
                // Every list is a log entry: lists the restore lost number at most as many.
                statuses: check.listIsNewer ? carried : nil, from: held.text, sequence: held.sequence + check.unskippedLogEntries,
                floor: Int64(held.list.count),
                skipping: check.unskippedLogEntries,
                revokingLost: revokeLost
                    ? (configuration.statusListURI, "\(Self.restoreCheckReasonPrefix) certificates issued after the backup, which the registry lost, revoked")
                    : nil,
                reason: reason, at: now
            )
        }
        check.nextStatusIndex = floors.nextStatusIndex
        check.nextSerial = floors.nextSerial
        check.revokedLost = floors.revokedLost
        if check.noActiveKey {
            // What was logged is covered by a checkpoint all the same (the log key signs it).
            try signCheckpoint(now: now)
        } else {
            try publishStatusList(holding: lock, now: now)
        }
        let baseline = check.registryList ?? own.order
        let given = check.listIsNewer ? check.list : (check.alreadyGiven ?? baseline)
        try Self.wrap {
            try registry.recordRestoreCheck(Registry.RestoreCheckState(
                baseline: baseline, applied: given, eventMark: own.eventID, logSize: check.restoredLogSize, lostRevoked: check.lostRevoked || revokeLost,
                checkpointSize: check.checkpointSize
            ))
        }
        check.applied = true
        return check
    }

    /// The workspace's file of `key`'s private key, if `keys/` holds it (it was rotated in after
    /// the backup, and only the registry was restored).
    /// - Throws: `IssuerError.workspace` when the file is encrypted: a workspace reads its keys
    ///   without a passphrase, and the key would otherwise be kept as retired.
    private func privateKeyFile(of key: PublicKey) throws -> String? {
        let file = Self.keyFile(role: .issuer, keyID: key.keyID.hex) + ".key.pem"
        guard FileManager.default.fileExists(atPath: path(file)) else { return nil }
        do {
            let found = try privateKey(file: file)
            return found.publicKey.subjectPublicKeyInfo == key.subjectPublicKeyInfo ? file : nil
        } catch let error as SigningError where error.code == .passphraseRequired {
            throw IssuerError(.workspace, """
                \(file), the key the trust list given has active, is encrypted, and a workspace reads its keys without a \
                passphrase: decrypt it (`openssl pkcs8 -in \(file) -out DECRYPTED.pem`, then move it in place, mode 600) and \
                run the check again
                """)
        } catch {
            return nil
        }
    }

    /// Of two trust-list entries for one key, the stricter: revoked before retired before
    /// active, and of two retirements the earlier. A key revoked or retired here, or in the
    /// list given, stays so whichever list is older.
    private static func stricter(_ one: TrustList.Entry, _ other: TrustList.Entry) -> TrustList.Entry {
        func rank(_ entry: TrustList.Entry) -> Int {
            switch entry.state {
            case .active: 0
            case .retired: 1
            case .revoked: 2
            }
        }
        if rank(one) != rank(other) { return rank(one) > rank(other) ? one : other }
        return (one.validUntil ?? .max) <= (other.validUntil ?? .max) ? one : other
    }

    /// The trust list given, verified under this workspace's root key, as its issuer's list.
    private func heldTrustList(_ bytes: [UInt8]) throws -> (list: TrustList, text: String) {
        // Envelope text, as served and as a node caches it.
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let result = SignedObjectVerifier(keys: SignedObjectVerifier.anchors([try trustAnchor()]), policies: [.type([.trustList])]).verify(text)
        guard let claims = result.claims else {
            throw IssuerError(.invalidInput, "the trust list given does not verify under this workspace's root key (\(result.reason.rawValue): \(result.detail))")
        }
        guard let list = try? TrustList(claims: claims) else {
            throw IssuerError(.invalidInput, "the trust list given is not a trust list")
        }
        guard list.issuerCode == configuration.issuerCode else {
            throw IssuerError(.invalidInput, "the trust list given is \(list.issuerCode)'s, not this workspace's (\(configuration.issuerCode))")
        }
        return (list, text)
    }

    /// The status list given, verified under the newest trust list and the keys of the trust
    /// list given (`alsoUnder`), as this workspace's list.
    private func heldStatusList(
        _ bytes: [UInt8], alsoUnder given: [TrustList.Entry]
    ) throws -> (token: StatusListToken, sequence: Int64, list: CertificateStatusList, text: String) {
        // Binary, as served and cached, or base64 text, as the registry keeps it.
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let cose = Data(base64Encoded: text).map { [UInt8]($0) } ?? bytes
        guard let published = try Self.wrap({ try registry.latestPublication(.trustList) }),
            let trustList = EnvelopeLayers(reading: published.text).claims.flatMap({ try? TrustList(claims: $0) })
        else {
            throw IssuerError(.workspace, "the workspace has no trust list to check the status list with")
        }
        var byKey: [KeyID: TrustList.Entry] = [:]
        for entry in trustList.entries + given {
            byKey[entry.key.keyID] = byKey[entry.key.keyID].map { Self.stricter($0, entry) } ?? entry
        }
        let keys = Array(byKey.values)
        let result = SignedObjectVerifier(keys: keys, policies: [.type([.statusList]), .keyMaySignAtIssuance(fallback: 0)])
            .verify(cose: cose)
        guard let claims = result.claims else {
            let rotated = given.isEmpty && result.reason == .unknownKey
            throw IssuerError(.invalidInput, "the status list given does not verify under this workspace's trust list (\(result.reason.rawValue): \(result.detail))"
                + (rotated ? "; signed by a key the restored registry does not know (rotated after the backup?): give the trust list the verifiers hold too (--trust-list)" : ""))
        }
        do {
            let token = try StatusListToken(claims: claims)
            guard token.uri.utf8.elementsEqual(configuration.statusListURI.utf8) else {
                throw IssuerError(.invalidInput, "the status list given is \(token.uri), not this workspace's \(configuration.statusListURI)")
            }
            let sequence = (try? StatusListPublication(claims: claims))?.sequence ?? 0
            return (token, sequence, try CertificateStatusList(token.statusList), Data(cose).base64EncodedString())
        } catch let error as IssuerError {
            throw error
        } catch {
            throw IssuerError(.invalidInput, "the status list given is not a certificate status list: \(error)")
        }
    }
}
