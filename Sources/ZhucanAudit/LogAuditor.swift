import Foundation
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanSigning
import ZhucanStatusList
import ZhucanTransparency

/// Audits a transparency log from its entries and checkpoints alone, without the issuer's
/// database: the auditor's side of `Docs/audit.md`.
///
/// Feed every entry in index order to `add(_:)`, then call `finish()`. The auditor
///
/// 1. recomputes every leaf hash from the entry's data and the tree's root at every
///    checkpoint's size (RFC 9162 §2.1.1), in O(log n) memory;
/// 2. checks each checkpoint's signature with the log key (C2SP signed note) and its root,
///    and that the log extends every checkpoint the auditor trusts (its own from an earlier
///    audit, and those verification nodes hold: a split view shows there);
/// 3. re-verifies every signed object (certificate, trust list, status list, catalogue)
///    against the trust list in force at its place in the log, and each trust list against
///    the trust anchor;
/// 4. checks each certificate's life story (`CertificateHistory`) and that time never runs
///    backwards by more than `LogAuditor.allowedClockStep` (back-dating).
/// 5. checks that every status list says what the life stories logged before it say, index
///    by index, that no two certificates share an index, and that every change the log
///    records was published in a later list (`ExpectedStatusLists`).
///
/// Problems are values, not errors: an audit always runs to the end and lists all of them,
/// each with the first index it concerns.
package struct LogAuditor {
    /// What the auditor brings: keys it trusts, and the checkpoint it saw last time.
    package struct Configuration: Sendable {
        /// Root public keys the trust lists must be signed by; empty: the root keys the log
        /// itself records (reported as a note).
        package var trustAnchors: [PublicKey]
        /// The log's checkpoint key; `nil`: the log key the log itself records (a note).
        package var logKey: NoteVerifier?
        /// Checkpoints the auditor trusts (signed note text), each named by where it came
        /// from: its own from an earlier audit, and those verification nodes hold
        /// (`heldByNode`). The log must extend every one: a node's checkpoint of another tree
        /// at its size is a split view, a log shown to the nodes that is not the one audited.
        /// A node's checkpoint past the log audited (an export older than the node's last
        /// fetch) is a note: the log cannot yet be held against it.
        package var trustedCheckpoints: [(source: String, note: String, heldByNode: Bool)]

        /// Makes a configuration.
        package init(
            trustAnchors: [PublicKey] = [], logKey: NoteVerifier? = nil, trustedCheckpoints: [(source: String, note: String, heldByNode: Bool)] = []
        ) {
            self.trustAnchors = trustAnchors
            self.logKey = logKey
            self.trustedCheckpoints = trustedCheckpoints
        }
    }

    /// How far an entry's time may lie before an earlier entry's (clock steps, the second a
    /// key rotation spans) before it counts as back-dated.
    package static let allowedClockStep: Int64 = 300

    private let configuration: Configuration
    /// The source's checkpoints, parsed but not yet verified, with their note text.
    private var checkpoints: [(note: String, checkpoint: Checkpoint)] = []
    private var trusted: [(source: String, note: String, checkpoint: Checkpoint, heldByNode: Bool)] = []
    /// Sizes whose root the audit needs, and the roots recomputed when the log reached them.
    private var wantedSizes: Set<UInt64> = []
    private var roots: [UInt64: [UInt8]] = [:]

    private var accumulator = MerkleRootAccumulator()
    private var problems: [LogAuditProblem] = []
    private var notes: [String] = []
    private var entriesRead: UInt64 = 0
    /// The index the next entry should have: kept apart from the tree's size, so that one
    /// missing or swapped entry is one problem, not one for every entry after it.
    private var nextIndex: UInt64 = 0
    /// What the source says it holds (an export's header), checked at the end.
    private let declared: (origin: String, entries: UInt64)?
    /// The latest entry time so far.
    private var latestTime: Int64?

    // What the log has said so far.
    private var rootKeys: [PublicKey] = []
    private var logKeys: [(index: UInt64, key: PublicKey)] = []
    private var trustList: [TrustList.Entry]?
    private var trustListSequence: Int64?
    /// Issuer keys the log added, by key id, with the entry that retired each (if any).
    private var issuerKeys: [String: UInt64?] = [:]
    /// The entry that revoked each revoked issuer key.
    private var revokedIssuerKeys: [String: UInt64] = [:]
    private var history = CertificateHistory()
    /// Devices the log enrolled, by device id: whether each was revoked since.
    private var devices: [String: Bool] = [:]
    /// The publication number of the last status list logged.
    private var statusListSequence: Int64?
    /// The catalogue editions the log has published, numbered from 1.
    private var catalogueEditions: Int64 = 0
    private var expectedStatus = ExpectedStatusLists()
    /// Entries whose checks wait for the next `flush`, in log order.
    private var pending: [(index: UInt64, record: LogRecord)] = []
    /// Entries checked together (in parallel) at most.
    static let chunkSize = 2_048

    /// Starts an audit.
    /// - Parameters:
    ///   - configuration: the auditor's keys and trusted checkpoint.
    ///   - checkpoints: the source's signed checkpoints (at least its latest), any order.
    ///   - declared: the origin and number of entries the source says it holds (an export
    ///     file's header): entries cut from the end, which no checkpoint may cover, are then
    ///     missed all the same.
    package init(configuration: Configuration, checkpoints: [String], declared: (origin: String, entries: UInt64)? = nil) {
        self.configuration = configuration
        self.declared = declared
        for note in checkpoints {
            if let parsed = parse(note, what: "checkpoint") { self.checkpoints.append((note, parsed)) }
        }
        self.checkpoints.sort { $0.checkpoint.size < $1.checkpoint.size }
        for (source, note, heldByNode) in configuration.trustedCheckpoints {
            if let parsed = parse(note, what: "trusted checkpoint \(source)") { trusted.append((source, note, parsed, heldByNode)) }
        }
        wantedSizes = Set(self.checkpoints.map(\.checkpoint.size) + trusted.map(\.checkpoint.size))
        if wantedSizes.contains(0) { roots[0] = MerkleTree.emptyRootHash }
        if self.checkpoints.isEmpty { problem(nil, "no_checkpoint", "the log offers no signed checkpoint") }
    }

    /// Checks the next entry; entries must come in index order.
    package mutating func add(_ entry: LogEntry) {
        entriesRead += 1
        let expected = nextIndex
        if entry.index < expected {
            problem(entry.index, "entry_out_of_order", "entry \(entry.index) comes after entry \(expected - 1)")
            return
        }
        if entry.index > expected {
            problem(expected, "entry_missing", "entries \(expected)..<\(entry.index) are missing")
        }
        // (An index of UInt64.max is hostile; the next one is then out of order.)
        nextIndex = entry.index < .max ? entry.index + 1 : .max
        let leafHash = MerkleTree.leafHash(entry.data)
        if let stored = entry.leafHash {
            if stored != leafHash {
                problem(entry.index, "leaf_mismatch", "the entry's data does not hash to the tree's leaf: it was changed after it was logged")
            }
        } else {
            problem(entry.index, "not_in_tree", "the entry is not in the log's tree: it was written outside the log")
        }
        accumulator.append(leafHash: leafHash)
        if wantedSizes.contains(accumulator.size) { roots[accumulator.size] = accumulator.rootHash }

        let record: LogRecord
        do {
            record = try LogRecord(encoded: entry.data)
        } catch {
            problem(entry.index, "malformed_record", "\(error)")
            return
        }
        if let latestTime, record.at < latestTime.subtractingReportingOverflow(Self.allowedClockStep).partialValue {
            problem(entry.index, "backdated", "\(record.event.rawValue) at \(Timestamp.iso(record.at)) is logged after an entry of \(Timestamp.iso(latestTime))")
        }
        latestTime = max(latestTime ?? record.at, record.at)
        switch record.event {
        case .keyAdded, .keyRetired, .keyRevoked, .trustListPublished, .statusListPublished, .statusRestored, .lostStatusesRevoked,
            .deviceEnrolled, .deviceRevoked, .personalDataExported:
            // Key and list entries change what later entries are checked against, and a status
            // list is compared with every life story before it: everything before them first.
            // Device entries are checked at once.
            flush()
            check(record, at: entry.index)
        default:
            pending.append((entry.index, record))
            if pending.count >= Self.chunkSize { flush() }
        }
    }

    /// The tree size of the latest checkpoint the source gave, `nil` when it gave none that
    /// could be read: over HTTP, how many entries to read, since the audit is of the log that
    /// checkpoint signed.
    package var latestCheckpointSize: UInt64? { checkpoints.last?.checkpoint.size }

    /// Counts an entry of the source that cannot be read (an export line that is not JSON, or
    /// whose data or leaf hash is not base64; an entry of a service's page likewise): a
    /// problem, and the audit goes on, so that one bad entry does not hide every other
    /// finding. The entry it held is then missing.
    /// - Parameters:
    ///   - description: where it is and what is wrong with it.
    ///   - index: the index the source gave it, when it gave one (else the next expected).
    package mutating func addUnreadable(_ description: String, index: UInt64? = nil) {
        entriesRead += 1
        problem(index ?? nextIndex, "malformed_record", description)
    }

    /// Records that a service's answer cannot be read as a page of entries at all (not the
    /// documented JSON), or holds an entry outside the range asked for: `malformed_page`, named
    /// at the index the audit had reached. The reader stops there, since no later page could
    /// be trusted to mean what it says; the entries it did not reach are then missing.
    package mutating func addMalformedPage(_ description: String) {
        problem(nextIndex, "malformed_page", description)
    }

    /// Records stored entries that the log's tree does not cover and that the source did not
    /// hand over, because they lie beyond the checkpoint audited (a service counting more
    /// entries than its tree holds): written outside the log (`not_in_tree`), as an entry
    /// without its leaf hash would be.
    package mutating func addEntriesOutsideTree(_ range: Range<UInt64>) {
        problem(range.lowerBound, "not_in_tree",
                "the source stores entries \(range.lowerBound)..<\(range.upperBound) that its tree does not cover: they were written outside the log")
    }

    /// Adds a fact worth reading to the report's notes (not a problem).
    package mutating func addNote(_ note: String) {
        notes.append(note)
    }

    /// Ends the audit: checks the checkpoints against the recomputed tree.
    package mutating func finish() -> LogAuditReport {
        flush()
        for fault in history.unfinished() { problem(nil, "life_story", fault) }
        for behind in expectedStatus.unpublishedChanges() {
            problem(behind.entry, "status_list_behind",
                    "\(behind.change), and no status list of \(behind.uri) published since says so: verifiers still see the list from before (the issuer publishes it with `zhucan status-list publish`, after `zhucan keys rotate` if it has no active issuer key)")
        }
        let size = accumulator.size
        let verifiers = logVerifiers()
        for (note, checkpoint) in checkpoints {
            verify(note, checkpoint, verifiers: verifiers, what: "checkpoint of size \(checkpoint.size)")
        }
        if let latest = checkpoints.last?.checkpoint, size > latest.size {
            problem(latest.size, "unsigned_entries", "entries \(latest.size)..<\(size) are not covered by a signed checkpoint")
        }
        if let declared {
            if entriesRead != declared.entries {
                problem(nil, "entries_mismatch", "the source declares \(declared.entries) entries and holds \(entriesRead): entries were cut from it or added")
            }
            if let origin = checkpoints.last?.checkpoint.origin, origin != declared.origin {
                problem(nil, "origin_mismatch", "the source declares the log \(declared.origin), its checkpoints are of \(origin)")
            }
        }
        for (source, note, checkpoint, heldByNode) in trusted {
            if heldByNode, checkpoint.size > size {
                notes.append("the node \(source) holds a checkpoint of \(checkpoint.size) entries, past the \(size) audited: audit a newer export, or the service itself, to hold the log against it")
                continue
            }
            verify(note, checkpoint, verifiers: verifiers, what: "trusted checkpoint \(source) of size \(checkpoint.size)")
            if let latest = checkpoints.last?.checkpoint {
                if latest.size < checkpoint.size {
                    problem(latest.size, "log_shrank", "the latest checkpoint (size \(latest.size)) is smaller than the trusted one \(source) (size \(checkpoint.size))")
                }
            }
        }
        var report = LogAuditReport(
            entriesChecked: entriesRead, checkpointSize: checkpoints.last?.checkpoint.size,
            checkpointRoot: checkpoints.last.map { Data($0.checkpoint.rootHash).base64EncodedString() },
            checkpointNote: checkpoints.last?.note, problems: problems, notes: notes
        )
        report.problems.sort { ($0.index ?? .max) < ($1.index ?? .max) }
        return report
    }

    // MARK: Checkpoints

    private mutating func parse(_ note: String, what: String) -> Checkpoint? {
        do {
            return try Checkpoint(text: SignedNote(parsing: note).textBytes)
        } catch {
            problem(nil, "malformed_checkpoint", "the \(what) cannot be read: \(error.reason)")
            return nil
        }
    }

    private mutating func logVerifiers() -> [NoteVerifier] {
        if let key = configuration.logKey { return [key] }
        guard let origin = checkpoints.last?.checkpoint.origin ?? trusted.first?.checkpoint.origin else { return [] }
        guard let recorded = logKeys.last else {
            problem(nil, "no_log_key", "no log key was given and the log records none")
            return []
        }
        notes.append("log key taken from the log itself (entry \(recorded.index)); pin it with --log-key to detect a replaced key")
        return logKeys.compactMap { try? NoteVerifier(keyName: origin, publicKey: $0.key) }
    }

    /// The log's origin: the pinned key's name (C2SP tlog-checkpoint: the origin is the key
    /// name), else the latest checkpoint's. Every checkpoint, the trusted one included, must
    /// be of it: a checkpoint of another log signed by the same key proves nothing of this one.
    private var origin: String? {
        configuration.logKey?.keyName ?? checkpoints.last?.checkpoint.origin ?? trusted.first?.checkpoint.origin
    }

    private mutating func verify(_ note: String, _ checkpoint: Checkpoint, verifiers: [NoteVerifier], what: String) {
        do {
            _ = try Checkpoint.open(Array(note.utf8), verifiers: verifiers)
        } catch {
            problem(nil, "checkpoint_signature", "the \(what) is not signed by the log key: \(error.reason)")
        }
        if let origin, checkpoint.origin != origin {
            problem(nil, "origin_mismatch", "the \(what) is of \(checkpoint.origin), not of the log \(origin)")
        }
        guard checkpoint.size <= accumulator.size, let root = roots[checkpoint.size] else {
            problem(accumulator.size, "checkpoint_beyond_log", "the \(what) covers more entries than the log holds (\(accumulator.size))")
            return
        }
        if root != checkpoint.rootHash {
            problem(checkpoint.size - 1, "root_mismatch",
                    "the log's first \(checkpoint.size) entries do not have the root of the \(what): history before it was rewritten")
        }
    }

    // MARK: Records

    private mutating func check(_ record: LogRecord, at index: UInt64) {
        switch record.event {
        case .keyAdded:
            guard let spki = record.subjectPublicKeyInfo, let key = try? PublicKey(subjectPublicKeyInfo: spki) else {
                problem(index, "malformed_record", "a key-added entry without a usable public key")
                return
            }
            if record.keyID != key.keyID.hex { problem(index, "malformed_record", "the key id \(record.keyID ?? "-") is not the key's") }
            switch record.keyRole {
            case "root": rootKeys.append(key)
            case "log": logKeys.append((index, key))
            case "issuer": issuerKeys[key.keyID.hex] = .some(nil)
            default: problem(index, "malformed_record", "unknown key role \(record.keyRole ?? "-")")
            }
        case .keyRetired:
            if record.keyRole == "issuer", let id = record.keyID {
                guard issuerKeys[id] != nil else { return problem(index, "life_story", "issuer key \(id) is retired, but the log never added it") }
                issuerKeys[id] = .some(index)
            }
        case .keyRevoked:
            guard record.keyRole == "issuer", let id = record.keyID else {
                return problem(index, "malformed_record", "a key-revoked entry must name an issuer key")
            }
            guard let retired = issuerKeys[id] else { return problem(index, "life_story", "issuer key \(id) is revoked, but the log never added it") }
            guard retired != nil else { return problem(index, "life_story", "issuer key \(id) is revoked while active, never retired") }
            revokedIssuerKeys[id] = index
        case .deviceEnrolled, .deviceRevoked:
            // A holder's device carries no signed object; it must name its certificate and device.
            guard let licenseID = record.licenseID, let device = record.keyID else {
                return problem(index, "malformed_record", "a \(record.event.rawValue) entry must name its certificate and device")
            }
            // A device shows the codes of a certificate the log issued; it is enrolled once, and
            // revoked once, after it was enrolled. (A certificate revoked or superseded since
            // its link was made may still get its device: the page then says so.)
            if record.event == .deviceEnrolled {
                if history.state(of: licenseID) == nil {
                    problem(index, "life_story", "device \(device) is enrolled for certificate \(licenseID), which the log never issued")
                }
                if devices[device] != nil {
                    problem(index, "life_story", "device \(device) is enrolled a second time")
                }
                devices[device] = false
            } else {
                switch devices[device] {
                case nil: problem(index, "life_story", "device \(device) is revoked, but the log never enrolled it")
                case true: problem(index, "life_story", "device \(device) is revoked a second time")
                case false: devices[device] = true
                }
            }
        case .personalDataExported:
            // Who took which list of people out, for what, is the point of the entry.
            if record.actor == nil || record.reason == nil || record.rowCount == nil {
                problem(index, "malformed_record", "a personal-data-exported entry must name who exported, the purpose and the number of rows")
            }
        case .trustListPublished:
            checkTrustList(record, at: index)
        case .statusListPublished:
            let check = SignedObjectCheck(record, trustList: trustList)
            for found in check.problems { problem(index, found.code, found.message) }
            // Publication numbers (`seq`) order lists of one second at every node: each list
            // carries its entry's number, and a number is never given twice.
            if let sequence = record.sequence {
                if let signed = check.statusListSequence, signed != sequence {
                    problem(index, "malformed_record", "the entry says status list \(sequence), the list carries seq \(signed)")
                }
                if let last = statusListSequence, sequence <= last {
                    problem(index, "status_list_mismatch", "status list \(sequence) follows status list \(last)")
                }
                statusListSequence = max(statusListSequence ?? sequence, sequence)
            }
            if let (uri, list) = check.statusList {
                expectedStatus.published(uri, list)
                for difference in expectedStatus.differences(uri: uri, published: list) {
                    problem(index, "status_list_mismatch", "status list \(record.sequence ?? 0) (\(uri)): \(difference)")
                }
            }
        case .statusRestored:
            let check = SignedObjectCheck(record, trustList: trustList)
            for found in check.problems { problem(index, found.code, found.message) }
            if let (uri, list) = check.statusList {
                // Not a problem, but what an auditor must know: every later list keeps these
                // statuses of certificates the log does not hold.
                let taken = expectedStatus.restore(uri: uri, from: list)
                notes.append("entry #\(index): status-restored: \(taken) statuses of certificates the log does not hold, from a status list of \(uri) (a registry restored from a backup, `zhucan restore-check`; reason: \(record.reason ?? "-"))")
            }
        case .lostStatusesRevoked:
            guard let uri = record.statusListURI, let from = record.indexFrom, let below = record.indexBelow, from <= below,
                below <= Int64(StatusList.defaultMaxEntries)
            else {
                return problem(index, "malformed_record", "a lost-statuses-revoked entry must name its status list (uri) and the indexes it revokes (from, below) within a list's size")
            }
            // Only a list the log knows: a lost certificate's index is past every logged one.
            guard let held = expectedStatus.revoke(uri: uri, Int(from)..<Int(below), at: index) else {
                return problem(index, "lost_statuses_unknown_list", "revokes indexes of \(uri), which no logged certificate or list names")
            }
            if !held.isEmpty {
                problem(index, "life_story", "lost-statuses-revoked revokes indexes of \(uri) that logged certificates hold: \(held.prefix(5).map(String.init).joined(separator: ", "))\(held.count > 5 ? ", …" : "")")
            }
            notes.append("entry #\(index): lost-statuses-revoked: indexes \(from)–\(below - 1) of \(uri) are revoked from here on (a registry restored from a backup, `zhucan restore-check --revoke-lost`; reason: \(record.reason ?? "-"))")
        case .cataloguePublished, .issued, .superseded, .suspended, .reinstated, .revoked:
            // Checked in chunks, in parallel (`flush`).
            break
        }
    }

    private mutating func checkTrustList(_ record: LogRecord, at index: UInt64) {
        guard let text = record.object else { return problem(index, "malformed_record", "a trust-list entry without the list") }
        var anchors = configuration.trustAnchors
        if anchors.isEmpty {
            anchors = rootKeys
            if !notes.contains(where: { $0.hasPrefix("trust anchor") }) {
                notes.append("trust anchor taken from the log itself; pin it with --trust-anchor")
            }
        }
        let result = SignedObjectVerifier(keys: SignedObjectVerifier.anchors(anchors), policies: [.validAt(record.at, skew: 0)]).verify(text)
        guard result.isValid else {
            return problem(index, "bad_signature", "trust list \(record.sequence ?? 0): \(result.reason.rawValue) — \(result.detail)")
        }
        guard result.type == .trustList, let claims = result.claims, let list = try? TrustList(claims: claims) else {
            return problem(index, "malformed_object", "trust list \(record.sequence ?? 0) is not a trust list")
        }
        if list.sequence != record.sequence {
            problem(index, "malformed_record", "the entry says sequence \(record.sequence ?? 0), the list \(list.sequence)")
        }
        if let last = trustListSequence, list.sequence <= last {
            problem(index, "trust_list_mismatch", "trust list \(list.sequence) follows trust list \(last)")
        }
        trustListSequence = list.sequence
        // The keys a trust list names are the keys the log added: a key added in secret, or a
        // retired key made active again, would sign what no key event accounts for.
        for entry in list.entries {
            let id = entry.key.keyID.hex
            guard let retired = issuerKeys[id] else {
                problem(index, "trust_list_mismatch", "trust list \(list.sequence) names issuer key \(id), which the log never added")
                continue
            }
            if let retired, entry.state == .active {
                problem(index, "trust_list_mismatch", "trust list \(list.sequence) names issuer key \(id) active, retired at entry \(retired)")
            }
            // A revoked key made trusted again would make good everything a thief signed with it.
            if let revoked = revokedIssuerKeys[id], entry.state != .revoked {
                problem(index, "trust_list_mismatch", "trust list \(list.sequence) names issuer key \(id) \(entry.state.rawValue), revoked at entry \(revoked)")
            }
        }
        trustList = list.entries
    }

    /// Checks the pending entries: their signed objects in parallel under the trust list in
    /// force (constant within a chunk: a trust list or key entry flushes the chunk first), then
    /// everything that depends on order (life stories), in log order.
    private mutating func flush() {
        guard !pending.isEmpty else { return }
        let items = pending
        pending.removeAll(keepingCapacity: true)
        let trust = trustList
        let checks = SignedObjectCheck.parallel(items.map(\.record), trustList: trust)
        for (item, check) in zip(items, checks) {
            for found in check.problems { problem(item.index, found.code, found.message) }
            let record = item.record
            switch record.event {
            case .issued:
                guard let certificate = check.certificate, let licenseID = record.licenseID else { continue }
                if certificate.licenseID != licenseID {
                    problem(item.index, "malformed_record", "the entry names \(licenseID), the certificate \(certificate.licenseID)")
                }
                if certificate.issuedAt.subtractingReportingOverflow(record.at).partialValue.magnitude > Self.allowedClockStep.magnitude {
                    problem(item.index, "backdated", "certificate \(licenseID) says it was signed at \(Timestamp.iso(certificate.issuedAt)), logged at \(Timestamp.iso(record.at))")
                }
                if let fault = history.issue(licenseID, person: certificate.person, supersedes: record.otherLicenseID) {
                    problem(item.index, "life_story", fault)
                }
                if let fault = expectedStatus.assign(certificate.status, to: licenseID) { problem(item.index, "life_story", fault) }
            case .superseded, .suspended, .reinstated, .revoked:
                guard let licenseID = record.licenseID else { continue }
                if let fault = history.change(licenseID, to: record.event.rawValue, by: record.otherLicenseID) {
                    problem(item.index, "life_story", fault)
                }
                if let state = history.state(of: licenseID) { expectedStatus.update(licenseID, to: state, at: item.index) }
            case .cataloguePublished:
                // Editions are numbered 1, 2, … in the order published, each signed with its
                // number; one signed again (`keys revoke`, with a reason) keeps a number the log
                // has published. Verifiers hold editions by number: two under one number, or
                // a gap, leave some verifier with another edition than the log says.
                guard let sequence = record.sequence else {
                    problem(item.index, "malformed_record", "a catalogue entry without its edition number")
                    continue
                }
                if let signed = check.catalogueSequence, signed != sequence {
                    problem(item.index, "malformed_record", "the entry says catalogue edition \(sequence), the edition carries seq \(signed)")
                }
                if record.reason == nil {
                    if sequence != catalogueEditions + 1 {
                        problem(item.index, "catalogue_mismatch", "catalogue edition \(sequence) is published after edition \(catalogueEditions)")
                    }
                    catalogueEditions = max(catalogueEditions, sequence)
                } else if sequence > catalogueEditions {
                    problem(item.index, "catalogue_mismatch", "catalogue edition \(sequence) is signed again, but the log never published it")
                }
            default:
                break
            }
        }
    }

    private mutating func problem(_ index: UInt64?, _ code: String, _ message: String) {
        problems.append(LogAuditProblem(index: index, code: code, message: message))
    }
}
