import GRDB
import ZhucanTransparency

extension Registry {
    /// The first status index and e-license serial counter a new certificate takes after
    /// `carryOver`, and the status indexes it revoked as lost, if any.
    package struct NextNumbers: Sendable, Hashable {
        package var nextStatusIndex: Int64 = 0
        package var nextSerial: Int64 = 0
        package var revokedLost: Range<Int64>?
    }

    /// What the last `zhucan restore-check` recorded (`restore_check`), each list as (iat, seq).
    package struct RestoreCheckState: Sendable, Hashable {
        /// The registry's own last change before the check (`ownChange`).
        package var baseline: StatusListOrder
        /// The newest list given to a check.
        package var applied: StatusListOrder
        /// The registry's own newest event then (`ownChange`): while it still is, nothing but
        /// restore-checks has changed the registry since.
        package var eventMark: Int64
        /// The log's size before the first check of the restore: what the restore left. Each
        /// check appends entries of its own, which the restore did not keep. `nil` for a check
        /// recorded before it was kept.
        package var logSize: UInt64?
        /// Whether a check of the restore revoked the statuses of the certificates it lost
        /// (`--revoke-lost`).
        package var lostRevoked: Bool
        /// The size of the checkpoint the check was given, if any: a check given another is
        /// told of another loss (a second restore, from a backup taken after this check).
        package var checkpointSize: UInt64?

        package init(
            baseline: StatusListOrder, applied: StatusListOrder, eventMark: Int64, logSize: UInt64?, lostRevoked: Bool, checkpointSize: UInt64?
        ) {
            self.baseline = baseline
            self.applied = applied
            self.eventMark = eventMark
            self.logSize = logSize
            self.lostRevoked = lostRevoked
            self.checkpointSize = checkpointSize
        }
    }

    /// A status list's place in publication order: signing time, then sequence.
    package struct StatusListOrder: Sendable, Hashable, Comparable {
        package var issuedAt: Int64
        package var sequence: Int64

        package init(issuedAt: Int64, sequence: Int64) {
            self.issuedAt = issuedAt
            self.sequence = sequence
        }

        package static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.issuedAt, lhs.sequence) < (rhs.issuedAt, rhs.sequence)
        }
    }

    /// What the last restore-check recorded, if any.
    package func restoreCheckState() throws -> RestoreCheckState? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM restore_check WHERE id = 1").map {
                RestoreCheckState(
                    baseline: StatusListOrder(issuedAt: $0["baseline_iat"], sequence: $0["baseline_seq"]),
                    applied: StatusListOrder(issuedAt: $0["applied_iat"], sequence: $0["applied_seq"]),
                    eventMark: $0["event_mark"],
                    logSize: ($0["log_size"] as Int64?).map { UInt64($0) },
                    lostRevoked: $0["lost_revoked"],
                    checkpointSize: ($0["checkpoint_size"] as Int64?).map { UInt64($0) }
                )
            }
        }
    }

    /// Records what a restore-check did.
    package func recordRestoreCheck(_ state: RestoreCheckState) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO restore_check (id, baseline_iat, baseline_seq, applied_iat, applied_seq, event_mark, log_size, lost_revoked, checkpoint_size)
                VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET baseline_iat = excluded.baseline_iat, baseline_seq = excluded.baseline_seq,
                    applied_iat = excluded.applied_iat, applied_seq = excluded.applied_seq, event_mark = excluded.event_mark,
                    log_size = excluded.log_size, lost_revoked = excluded.lost_revoked, checkpoint_size = excluded.checkpoint_size
                """, arguments: [
                    state.baseline.issuedAt, state.baseline.sequence, state.applied.issuedAt, state.applied.sequence, state.eventMark,
                    state.logSize.map { Int64($0) }, state.lostRevoked, state.checkpointSize.map { Int64($0) },
                ])
        }
    }

    /// The registry's own last change to a certificate's status, not a restore-check's (whose
    /// reasons begin `restore-check:`, which `Workspace.change` keeps for them): its event's id,
    /// and in publication order the newest status list that could show it (signed in the
    /// same second or before). A list the verifiers hold is newer than the registry's state
    /// only if it is newer than this. Lists alone cannot tell: a list republished unchanged
    /// after the restore (`zhucan serve` does so half-way through a list's life) is newer than
    /// any the verifiers hold, and says nothing the registry did.
    package func ownChange() throws -> (eventID: Int64, order: StatusListOrder) {
        try read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT id, at FROM event
                WHERE kind IN (\(Self.statusEventKinds))
                    AND (reason IS NULL OR reason NOT LIKE 'restore-check:%')
                ORDER BY id DESC LIMIT 1
                """)
            let at: Int64 = row?["at"] ?? 0
            let sequence = try Int64.fetchOne(
                db, sql: "SELECT MAX(sequence) FROM publication WHERE kind = ? AND issued_at <= ?",
                arguments: [PublicationKind.statusList.rawValue, at]
            ) ?? 0
            return (row?["id"] ?? 0, StatusListOrder(issuedAt: at, sequence: sequence))
        }
    }

    /// The certificates holding these status indexes, by index (`status_index` is unique).
    package func certificates(statusIndexes: [Int64]) throws -> [Int64: StoredCertificate] {
        try read { db in
            var found: [Int64: StoredCertificate] = [:]
            for start in stride(from: 0, to: statusIndexes.count, by: 500) {
                let chunk = Array(statusIndexes[start..<min(start + 500, statusIndexes.count)])
                let rows = try StoredCertificate.fetchAll(
                    db, sql: "SELECT * FROM certificate WHERE status_index IN (\(databaseQuestionMarks(count: chunk.count)))",
                    arguments: StatementArguments(chunk)
                )
                for row in rows { found[row.statusIndex] = row }
            }
            return found
        }
    }

    /// After a restore from a backup, in one transaction: records `statuses` (of status indexes
    /// no certificate here holds: certificates issued after the backup, suspended or revoked
    /// since; `nil` for a list not newer than the registry) so that every list published from
    /// now on keeps them, in place of any an earlier check recorded; moves the next status
    /// index past itself, `floor` and the highest index in `statuses`, then `lost` numbers
    /// further (the log entries the restore lost, of which each certificate issued made at
    /// least one), the e-license serial with it (a serial is reserved with each index, so the
    /// serial counter never passes the index counter by more than one), and the next status
    /// list's sequence past `sequence`. Numbers skipped are never handed out: a gap is
    /// harmless, a number given twice is not.
    ///
    /// The log gets a `status-restored` entry carrying `list` (the status list they come from,
    /// as signed), from which an auditor takes the same statuses.
    ///
    /// With `revokingLost` (the status list's URI, and the reason to log), the indexes from
    /// just past the highest a certificate here holds up to the next status index are revoked
    /// in every list from now on (`revoked_range`), and the log gets a `lost-statuses-revoked`
    /// entry saying so: the certificates issued after the backup, which the registry lost and
    /// could never suspend or revoke, stop verifying. The indexes are all below the
    /// reservations' floor (`status_index_floor`), so none is handed out again.
    package func carryOver(
        statuses: [(index: Int64, state: CertificateState)]?, from list: String, sequence: Int64, floor: Int64, skipping lost: Int64,
        revokingLost: (uri: String, reason: String)? = nil, reason: String, at time: Int64
    ) throws -> NextNumbers {
        try write { db in
            // A newer list replaces what an older one carried (it may show one reinstated), but
            // a revocation is final.
            if let statuses {
                try db.execute(sql: "DELETE FROM restored_status WHERE state <> 'revoked'")
                try Self.recordEvent(
                    db, certificateID: nil, kind: "status-restored", reason: reason, at: time,
                    log: LogRecord(event: .statusRestored, at: time, object: list, reason: reason)
                )
            }
            // Suspensions one row each; revocations, final, as ranges (a run of them can be a
            // list's capacity: a list published after an earlier --revoke-lost), past those
            // revoked already.
            let revokedBefore = try Self.revokedRanges(db)
            var revokedRun: Range<Int64>?
            for (index, state) in (statuses ?? []).sorted(by: { $0.index < $1.index }) {
                if state == .suspended {
                    try db.execute(
                        sql: """
                            INSERT INTO restored_status (status_index, state) VALUES (?, 'suspended')
                            ON CONFLICT (status_index) DO UPDATE SET state = CASE WHEN state = 'revoked' THEN 'revoked' ELSE excluded.state END
                            """,
                        arguments: [index]
                    )
                    continue
                }
                guard !revokedBefore.contains(where: { $0.contains(index) }) else { continue }
                if let run = revokedRun, run.upperBound == index {
                    revokedRun = run.lowerBound..<index + 1
                } else {
                    if let run = revokedRun { try Self.insertRevoked(db, run) }
                    revokedRun = index..<index + 1
                }
            }
            if let run = revokedRun { try Self.insertRevoked(db, run) }
            let lost = max(lost, 0)
            let next = try Int64.fetchOne(db, sql: "SELECT next FROM counter WHERE name = 'status_index'") ?? 0
            let nextIndex = max(next, floor, ((statuses ?? []).map(\.index).max() ?? -1) + 1) + lost
            try db.execute(sql: "UPDATE counter SET next = MAX(next, ?) WHERE name = 'status_list_sequence_floor'", arguments: [sequence])
            try db.execute(sql: "UPDATE counter SET next = MAX(next, ?) WHERE name IN ('status_index', 'status_index_floor')", arguments: [nextIndex])
            // Kept as used, so that a batch's first step (`reclaimReservations`) does not hand
            // them back.
            try db.execute(sql: "UPDATE counter SET next = MAX(next, ?) WHERE name = 'license_serial_used'", arguments: [nextIndex])
            try db.execute(sql: "UPDATE counter SET next = MAX(next, ?) WHERE name = 'license_serial'", arguments: [nextIndex + 1])
            var numbers = NextNumbers(
                nextStatusIndex: try Int64.fetchOne(db, sql: "SELECT next FROM counter WHERE name = 'status_index'") ?? 0,
                nextSerial: try Int64.fetchOne(db, sql: "SELECT next FROM counter WHERE name = 'license_serial'") ?? 0
            )
            if let (uri, lostReason) = revokingLost {
                // Every index a certificate here holds is below `from`: a reservation is never
                // reclaimed below the highest held index (`reclaimReservations`), so the lost
                // certificates, issued after the backup, hold indexes from there on.
                let from = (try Int64.fetchOne(db, sql: "SELECT MAX(status_index) FROM certificate")).map { $0 + 1 } ?? 0
                let below = numbers.nextStatusIndex
                // Only what no range revokes already (an earlier check, a carried run): a
                // check run again revokes only the numbers it skipped further.
                let fresh = Self.uncovered(from..<max(from, below), by: try Self.revokedRanges(db))
                for part in fresh {
                    try Self.insertRevoked(db, part)
                    try Self.recordEvent(
                        db, certificateID: nil, kind: "lost-statuses-revoked", reason: lostReason, at: time,
                        log: LogRecord(event: .lostStatusesRevoked, at: time, reason: lostReason, statusListURI: uri, indexFrom: part.lowerBound, indexBelow: part.upperBound)
                    )
                }
                if let first = fresh.first, let last = fresh.last { numbers.revokedLost = first.lowerBound..<last.upperBound }
            }
            return numbers
        }
    }

    /// The status indexes revoked for good that no certificate here holds, as sorted ranges:
    /// those `restore-check --revoke-lost` revoked, and runs of revocations it carried.
    package func revokedRanges() throws -> [Range<Int64>] {
        try read { db in try Self.revokedRanges(db) }
    }

    private static func revokedRanges(_ db: Database) throws -> [Range<Int64>] {
        try Row.fetchAll(db, sql: "SELECT from_index, below FROM revoked_range ORDER BY from_index").map { ($0["from_index"] as Int64)..<($0["below"] as Int64) }
    }

    private static func insertRevoked(_ db: Database, _ range: Range<Int64>) throws {
        try db.execute(sql: "INSERT INTO revoked_range (from_index, below) VALUES (?, ?)", arguments: [range.lowerBound, range.upperBound])
    }

    /// The parts of `range` that none of `covered` (sorted) holds.
    static func uncovered(_ range: Range<Int64>, by covered: [Range<Int64>]) -> [Range<Int64>] {
        var parts: [Range<Int64>] = []
        var start = range.lowerBound
        for other in covered where other.upperBound > start && other.lowerBound < range.upperBound {
            if other.lowerBound > start { parts.append(start..<other.lowerBound) }
            start = max(start, other.upperBound)
        }
        if start < range.upperBound { parts.append(start..<range.upperBound) }
        return parts
    }
}
