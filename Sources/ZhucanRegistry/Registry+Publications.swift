import Foundation
import GRDB
import ZhucanServiceStore
import ZhucanTransparency

extension Registry {
    /// Kinds of published object.
    package enum PublicationKind: String, Sendable {
        case trustList = "trust-list"
        case statusList = "status-list"
        case catalogue

        /// The transparency-log event of publishing this kind.
        var logEvent: LogRecord.Event {
            switch self {
            case .trustList: .trustListPublished
            case .statusList: .statusListPublished
            case .catalogue: .cataloguePublished
            }
        }
    }

    /// A published, signed object.
    package struct Publication: Sendable, Hashable {
        /// Its kind.
        package let kind: PublicationKind
        /// Sequence number within its kind, from 1.
        package let sequence: Int64
        /// The envelope text.
        package let text: String
        /// Signing time.
        package let issuedAt: Int64
        /// Expiry.
        package let expiresAt: Int64
        /// The log entry that records this text; nil for a row written behind the application.
        package var logIndex: UInt64? = nil
    }

    /// The sequence number the next publication of `kind` will get.
    package func nextSequence(of kind: PublicationKind) throws -> Int64 {
        try read { db in
            let highest = try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM publication WHERE kind = ?", arguments: [kind.rawValue]) ?? 0
            // Past the numbers of the lists a restore lost (`carryOver`, `restoreKeys`): a number
            // never names two lists.
            let counter: String? = switch kind {
            case .statusList: "status_list_sequence_floor"
            case .trustList: "trust_list_sequence_floor"
            case .catalogue: nil
            }
            let floor = try counter.flatMap { try Int64.fetchOne(db, sql: "SELECT next FROM counter WHERE name = ?", arguments: [$0]) } ?? 0
            return max(highest, floor) + 1
        }
    }

    /// Stores a publication and its event.
    @discardableResult
    package func publish(_ kind: PublicationKind, sequence: Int64, text: String, issuedAt: Int64, expiresAt: Int64) throws -> Publication {
        try write { db in
            try db.execute(
                sql: "INSERT INTO publication (kind, sequence, text, issued_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [kind.rawValue, sequence, text, issuedAt, expiresAt]
            )
            try Self.recordEvent(
                db, certificateID: nil, kind: "\(kind.rawValue)-published", reason: "sequence \(sequence)", at: issuedAt,
                log: LogRecord(event: kind.logEvent, at: issuedAt, object: text, sequence: sequence)
            )
            let logIndex = try Self.noteLogIndex(db, kind: kind, sequence: sequence)
            return Publication(kind: kind, sequence: sequence, text: text, issuedAt: issuedAt, expiresAt: expiresAt, logIndex: logIndex)
        }
    }

    /// Replaces the signed text of a publication with the same content signed again (a
    /// catalogue whose key was revoked), logging the new text as a publication of that
    /// sequence. Verifiers that fetch the sequence from then on get the new text.
    /// - Throws: `RegistryError.notFound` when there is no such publication.
    package func republish(_ kind: PublicationKind, sequence: Int64, text: String, at time: Int64, reason: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE publication SET text = ? WHERE kind = ? AND sequence = ?", arguments: [text, kind.rawValue, sequence])
            guard db.changesCount == 1 else { throw RegistryError(.notFound, "no \(kind.rawValue) \(sequence)") }
            try Self.recordEvent(
                db, certificateID: nil, kind: "\(kind.rawValue)-published", reason: "sequence \(sequence) \(reason)", at: time,
                log: LogRecord(event: kind.logEvent, at: time, object: text, sequence: sequence, reason: reason)
            )
            try Self.noteLogIndex(db, kind: kind, sequence: sequence)
        }
    }

    /// The events that change a certificate's status, which a status list shows, as an SQL list.
    static let statusEventKinds = "'issued', 'superseded', 'suspended', 'reinstated', 'revoked'"

    /// Whether a certificate's status changed after the newest status list was published: what
    /// a command cut short leaves (the change stored, the list not yet signed). Both are read
    /// from the newest events back: the newest of each is near the end.
    package func statusListBehind() throws -> Bool {
        try read { db in
            let changed = try Int64.fetchOne(db, sql: """
                SELECT id FROM event WHERE kind IN (\(Self.statusEventKinds), 'status-restored', 'lost-statuses-revoked')
                ORDER BY id DESC LIMIT 1
                """) ?? 0
            let published = try Int64.fetchOne(db, sql: """
                SELECT id FROM event WHERE kind = ? ORDER BY id DESC LIMIT 1
                """, arguments: ["\(PublicationKind.statusList.rawValue)-published"]) ?? 0
            return changed > published
        }
    }

    /// The newest publication of `kind`; with `time`, the newest signed by then.
    package func latestPublication(_ kind: PublicationKind, signedBy time: Int64? = nil) throws -> Publication? {
        try read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM publication WHERE kind = ? AND issued_at <= ? ORDER BY sequence DESC LIMIT 1",
                arguments: [kind.rawValue, time ?? .max]
            ).map(Self.publication(row:))
        }
    }

    /// The newest `limit` publications of `kind`, newest first.
    package func latestPublications(_ kind: PublicationKind, limit: Int) throws -> [Publication] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM publication WHERE kind = ? ORDER BY sequence DESC LIMIT ?", arguments: [kind.rawValue, limit]
            ).map(Self.publication(row:))
        }
    }

    /// Keeps on the publication `kind` `sequence` the index of the log entry just appended in
    /// this transaction, which records it.
    @discardableResult
    private static func noteLogIndex(_ db: Database, kind: PublicationKind, sequence: Int64) throws -> UInt64 {
        let index = try logEntryCount(db) - 1
        try db.execute(
            sql: "UPDATE publication SET log_index = ? WHERE kind = ? AND sequence = ?", arguments: [Int64(index), kind.rawValue, sequence]
        )
        return index
    }

    /// The log entry (index and data) that records `publication`: the entry its row names,
    /// when that entry records the publication of exactly its text. `nil` when it does not, or
    /// the row names none: a publication written behind the application.
    package func logEntry(of publication: Publication) throws -> (index: UInt64, data: [UInt8])? {
        guard let index = publication.logIndex, let stored = Int64(exactly: index) else { return nil }
        let data = try read { db in
            try Data.fetchOne(db, sql: "SELECT data FROM log_entry WHERE idx = ?", arguments: [stored]).map { [UInt8]($0) }
        }
        guard let data, let record = try? LogRecord(encoded: data), record.event == publication.kind.logEvent, record.object == publication.text
        else { return nil }
        return (index, data)
    }

    /// When the newest publication of `kind` expires, without reading its text: what a
    /// readiness check and the metrics ask at every call.
    package func latestExpiry(_ kind: PublicationKind) throws -> Int64? {
        try read { db in
            try Int64.fetchOne(db, sql: "SELECT expires_at FROM publication WHERE kind = ? ORDER BY sequence DESC LIMIT 1", arguments: [kind.rawValue])
        }
    }

    /// Whether this registry published `text` as a `kind`.
    package func hasPublished(_ kind: PublicationKind, text: String) throws -> Bool {
        try read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM publication WHERE kind = ? AND text = ?)", arguments: [kind.rawValue, text]) ?? false
        }
    }

    /// Every publication of `kind`, oldest first.
    package func publications(_ kind: PublicationKind) throws -> [Publication] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM publication WHERE kind = ? ORDER BY sequence", arguments: [kind.rawValue])
                .map(Self.publication(row:))
        }
    }

    static func publication(row: Row) -> Publication {
        Publication(
            kind: PublicationKind(rawValue: row["kind"]) ?? .catalogue, sequence: row["sequence"], text: row["text"],
            issuedAt: row["issued_at"], expiresAt: row["expires_at"], logIndex: (row["log_index"] as Int64?).flatMap { UInt64(exactly: $0) }
        )
    }
}
