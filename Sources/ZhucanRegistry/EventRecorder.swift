import GRDB
import ZhucanTransparency

/// Records events inside one write transaction, and appends to the transparency log those the
/// log records (every certificate event; not household facts or imports). An entry's leaf
/// joins the Merkle tree when the transaction's body ends (`Registry.extendLog`).
///
/// Events are written several to a statement (`BoundInsert.rowsPerStatement`): a batch
/// records one per certificate, and a statement per row cost more to start and finish than
/// to insert.
struct EventRecorder {
    /// One event to record.
    struct Event {
        let certificateID: Int64?
        let kind: String
        let reason: String?
        let at: Int64
        /// The log entry recording it, when the log records it.
        let log: LogRecord?
    }

    private let db: Database
    private var insertEvents = BoundInsert.Cache(
        table: "event", columns: "certificate_id, kind, reason, at", values: "(?, ?, ?, ?)")
    private var insertLogEntries = BoundInsert.Cache(
        table: "log_entry", columns: "idx, event_id, kind, license_id, data", values: "(?, ?, ?, ?, ?)")

    init(_ db: Database) {
        self.db = db
    }

    /// Records an event, and `log` as the log's next entry when the event is one it records.
    mutating func record(certificateID: Int64?, kind: String, reason: String?, at time: Int64, log: LogRecord?) throws {
        try record([Event(certificateID: certificateID, kind: kind, reason: reason, at: time, log: log)])
    }

    /// Records `events` in order, and their log records as the log's next entries, in order.
    mutating func record(_ events: some Collection<Event>) throws {
        var eventIDs: [Int64] = []
        eventIDs.reserveCapacity(events.count)
        for group in BoundInsert.groups(of: events) {
            let ids = try insertEvents.run(db, rows: group.count) { row in
                for event in group {
                    row.bind(event.certificateID); row.bind(event.kind); row.bind(event.reason); row.bind(event.at)
                }
            }
            eventIDs += ids
        }
        let logged = zip(eventIDs, events).compactMap { id, event in event.log.map { (eventID: id, record: $0) } }
        guard !logged.isEmpty else { return }
        // The log's indexes are dense from 0 (RFC 9162 leaf indexes), and this transaction is
        // the only writer.
        var next = try Int64(Registry.logEntryCount(db))
        for group in BoundInsert.groups(of: logged) {
            _ = try insertLogEntries.run(db, rows: group.count) { row in
                for (offset, entry) in group.enumerated() {
                    row.bind(next + Int64(offset)); row.bind(entry.eventID); row.bind(entry.record.event.rawValue)
                    row.bind(entry.record.licenseID); row.bind(entry.record.encoded)
                }
            }
            next += Int64(group.count)
        }
    }
}
