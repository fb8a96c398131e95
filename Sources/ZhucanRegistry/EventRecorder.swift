import GRDB
import ZhucanTransparency

/// Records events inside one write transaction, and appends to the transparency log those the
/// log records (every certificate event; not household facts or imports). Each of its two
/// INSERTs is prepared once, when first needed, however many events the transaction records:
/// a batch records one per certificate. An entry's leaf joins the Merkle tree when the
/// transaction's body ends (`Registry.extendLog`).
struct EventRecorder {
    private let db: Database
    private let insertEvent: BoundInsert
    private var insertLogEntry: BoundInsert?

    init(_ db: Database) throws {
        self.db = db
        insertEvent = try BoundInsert(db, sql: "INSERT INTO event (certificate_id, kind, reason, at) VALUES (?, ?, ?, ?)")
    }

    /// Records an event, and `log` as the log's next entry when the event is one it records.
    mutating func record(certificateID: Int64?, kind: String, reason: String?, at time: Int64, log: LogRecord?) throws {
        try insertEvent.run { row in
            row.bind(certificateID); row.bind(kind); row.bind(reason); row.bind(time)
        }
        guard let log else { return }
        let eventID = db.lastInsertedRowID
        let insertLogEntry = try insertLogEntry ?? BoundInsert(db, sql: """
            INSERT INTO log_entry (idx, event_id, kind, license_id, data)
            VALUES ((SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entry), ?, ?, ?, ?)
            """)
        self.insertLogEntry = insertLogEntry
        try insertLogEntry.run { row in
            row.bind(eventID); row.bind(log.event.rawValue); row.bind(log.licenseID); row.bind(log.encoded)
        }
    }
}
