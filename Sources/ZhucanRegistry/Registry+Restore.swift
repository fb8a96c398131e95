import GRDB
import ZhucanTransparency

extension Registry {
    /// What `carryOver(statuses:skipping:)` did.
    package struct CarriedOver: Sendable, Hashable {
        /// Statuses recorded for status indexes no certificate here holds.
        package var statuses = 0
        /// The first status index and e-license serial counter a new certificate now takes.
        package var nextStatusIndex: Int64 = 0
        package var nextSerial: Int64 = 0
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
    /// since) so that every list published from now on keeps them; and moves the next status
    /// index and e-license serial past every number certificates issued after the backup may
    /// have used: past the highest index in `statuses`, and `lost` numbers further (the log
    /// entries the restore lost, of which each certificate issued made at least one). Numbers
    /// skipped are never handed out: a gap is harmless, a number given twice is not.
    ///
    /// The log gets a `status-restored` entry carrying `list` (the status list they come from,
    /// as signed), from which an auditor takes the same statuses.
    package func carryOver(
        statuses: [(index: Int64, state: CertificateState)], from list: String, skipping lost: Int64, reason: String, at time: Int64
    ) throws -> CarriedOver {
        try write { db in
            var carried = CarriedOver()
            if !statuses.isEmpty {
                try Self.recordEvent(
                    db, certificateID: nil, kind: "status-restored", reason: reason, at: time,
                    log: LogRecord(event: .statusRestored, at: time, object: list, reason: reason)
                )
            }
            for (index, state) in statuses {
                try db.execute(
                    sql: "INSERT INTO restored_status (status_index, state) VALUES (?, ?) ON CONFLICT (status_index) DO UPDATE SET state = excluded.state",
                    arguments: [index, state == .suspended ? "suspended" : "revoked"]
                )
                carried.statuses += 1
            }
            let lost = max(lost, 0)
            let next = try Int64.fetchOne(db, sql: "SELECT next FROM counter WHERE name = 'status_index'") ?? 0
            let nextIndex = max(next + lost, (statuses.map(\.index).max() ?? -1) + 1)
            try db.execute(sql: "UPDATE counter SET next = MAX(next, ?) WHERE name IN ('status_index', 'status_index_floor')", arguments: [nextIndex])
            let used = try Int64.fetchOne(db, sql: "SELECT next FROM counter WHERE name = 'license_serial_used'") ?? 0
            try db.execute(sql: "UPDATE counter SET next = MAX(next, ?) WHERE name = 'license_serial_used'", arguments: [used + lost])
            try db.execute(sql: "UPDATE counter SET next = MAX(next, ?) WHERE name = 'license_serial'", arguments: [used + lost + 1])
            carried.nextStatusIndex = try Int64.fetchOne(db, sql: "SELECT next FROM counter WHERE name = 'status_index'") ?? 0
            carried.nextSerial = try Int64.fetchOne(db, sql: "SELECT next FROM counter WHERE name = 'license_serial'") ?? 0
            return carried
        }
    }
}
