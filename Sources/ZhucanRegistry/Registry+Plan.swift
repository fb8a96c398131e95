import GRDB
import ZhucanTransparency

extension Registry {
    /// One person's facts from an import.
    package struct FactRow: Sendable {
        package let citizenID: String
        package let facts: [String: Bool]

        package init(citizenID: String, facts: [String: Bool]) {
            self.citizenID = citizenID
            self.facts = facts
        }
    }

    /// Records the facts of many people at once, with their source and as-of date, and the
    /// entitlements that changed, in one transaction: all or nothing.
    ///
    /// - Parameters:
    ///   - gained: per person, the benefits newly judged entitled (recorded since `time`).
    ///   - lost: per person, the benefits no longer entitled.
    package func importHouseholdFacts(
        _ rows: [FactRow], source: String, asOf: String, gained: [String: [String]], lost: [String: [String]], at time: Int64
    ) throws {
        try write { db in
            let upsert = try BoundInsert(db, sql: """
                INSERT INTO household_fact (citizen_id, fact, value, recorded_at, source, as_of) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (citizen_id, fact) DO UPDATE SET value = excluded.value, recorded_at = excluded.recorded_at,
                    source = excluded.source, as_of = excluded.as_of
                """)
            // In key order (file order among rows of one person, the last winning as before):
            // a file lists people in no order, and a million rows written in that order took
            // most of an import's time.
            let ordered = rows.indices.sorted { (rows[$0].citizenID, $0) < (rows[$1].citizenID, $1) }
            for index in ordered {
                let row = rows[index]
                for (fact, value) in row.facts.sorted(by: { $0.key < $1.key }) {
                    try upsert.run { bound in
                        bound.bind(row.citizenID)
                        bound.bind(fact)
                        bound.bind(Int64(value ? 1 : 0))
                        bound.bind(time)
                        bound.bind(source)
                        bound.bind(asOf)
                    }
                }
            }
            try Self.applyEntitlementChanges(db, gained: gained, lost: lost, at: time)
            try Self.recordEvent(db, certificateID: nil, kind: "household-import", reason: "\(source) as of \(asOf): \(rows.count) people", at: time, log: nil)
        }
    }

    /// The source and as-of date of each recorded fact of a person.
    package func householdFactSources(citizenID: String) throws -> [String: (source: String?, asOf: String?)] {
        try read { db in
            var sources: [String: (source: String?, asOf: String?)] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT fact, source, as_of FROM household_fact WHERE citizen_id = ?", arguments: [citizenID]) {
                sources[row["fact"]] = (row["source"], row["as_of"])
            }
            return sources
        }
    }

    /// One delivery from an import.
    package struct DeliveryRow: Sendable {
        package let citizenID: String
        package let deliveredOn: String
        package let amountFen: Int64?

        package init(citizenID: String, deliveredOn: String, amountFen: Int64?) {
            self.citizenID = citizenID
            self.deliveredOn = deliveredOn
            self.amountFen = amountFen
        }
    }

    /// Records deliveries of `service` in one transaction; a person already recorded for the
    /// same service and day is left as it was (an import read twice records nothing twice).
    /// - Returns: how many rows were new.
    package func recordDeliveries(_ rows: [DeliveryRow], service: String, source: String, at time: Int64) throws -> Int {
        try write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO delivery (citizen_id, service, delivered_on, amount_fen, source, recorded_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (citizen_id, service, delivered_on) DO NOTHING
                """)
            var inserted = 0
            for row in rows {
                try insert.execute(arguments: [row.citizenID, service, row.deliveredOn, row.amountFen, source, time])
                inserted += db.changesCount
            }
            try Self.recordEvent(db, certificateID: nil, kind: "served-import", reason: "\(service) from \(source): \(inserted) of \(rows.count) new", at: time, log: nil)
            return inserted
        }
    }

    /// The citizen IDs with a delivery recorded on or before `lastDay` (`yyyy-MM-dd`), by service.
    package func deliveriesByService(through lastDay: String) throws -> [String: Set<String>] {
        try read { db in
            var served: [String: Set<String>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT service, citizen_id FROM delivery WHERE delivered_on <= ?", arguments: [lastDay]) {
                served[row["service"], default: []].insert(row["citizen_id"])
            }
            return served
        }
    }

    /// Replaces the roster of certified persons with `citizenIDs`, in one transaction.
    package func replaceRoster(_ citizenIDs: [String], source: String, asOf: String, at time: Int64) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM roster")
            let insert = try db.cachedStatement(sql: "INSERT INTO roster (citizen_id, source, as_of, recorded_at) VALUES (?, ?, ?, ?)")
            for id in citizenIDs {
                try insert.execute(arguments: [id, source, asOf, time])
            }
            try Self.recordEvent(db, certificateID: nil, kind: "roster-import", reason: "\(source) as of \(asOf): \(citizenIDs.count) people", at: time, log: nil)
        }
    }

    /// The roster: its citizen IDs, source and as-of date; `nil` when none was imported.
    package func roster() throws -> (citizenIDs: Set<String>, source: String, asOf: String)? {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT citizen_id, source, as_of FROM roster")
            guard let first = rows.first else { return nil }
            return (Set(rows.map { $0["citizen_id"] as String }), first["source"], first["as_of"])
        }
    }

    /// Hands `body` every recorded entitlement (citizen ID, service, since when), in the order
    /// of citizen ID, then service: a person's arrive together. Read in place, one row at a
    /// time; `body` must not use the registry.
    package func forEachEntitlement(_ body: (_ citizenID: String, _ service: String, _ since: Int64) throws -> Void) throws {
        try forEach({ try Row.fetchCursor($0, sql: "SELECT citizen_id, service, since FROM entitlement ORDER BY citizen_id, service") }) { row in
            try body(row[0], row[1], row[2])
        }
    }

    /// Records entitlements gained (since `time`) and removes those lost.
    package func recordEntitlementChanges(gained: [String: [String]], lost: [String: [String]], at time: Int64) throws {
        try write { db in try Self.applyEntitlementChanges(db, gained: gained, lost: lost, at: time) }
    }

    /// In key order, so that the table's pages fill one after another: a first discovery over
    /// a million holders records some fifteen million entitlements, which in a dictionary's
    /// order took 50 s.
    static func applyEntitlementChanges(_ db: Database, gained: [String: [String]], lost: [String: [String]], at time: Int64) throws {
        let insert = try BoundInsert(db, sql: "INSERT INTO entitlement (citizen_id, service, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
        for citizenID in gained.keys.sorted() {
            for service in gained[citizenID, default: []].sorted() {
                try insert.run { row in
                    row.bind(citizenID)
                    row.bind(service)
                    row.bind(time)
                }
            }
        }
        let delete = try db.cachedStatement(sql: "DELETE FROM entitlement WHERE citizen_id = ? AND service = ?")
        for citizenID in lost.keys.sorted() {
            for service in lost[citizenID, default: []].sorted() {
                try delete.execute(arguments: [citizenID, service])
            }
        }
    }

    /// Records that a list of people left the registry for the issuer's staff: an event, and
    /// an entry in the transparency log naming who, why and how many, never the people.
    package func recordExport(by actor: String, purpose: String, rows: Int, at time: Int64) throws {
        try write { db in
            try Self.recordEvent(
                db, certificateID: nil, kind: LogRecord.Event.personalDataExported.rawValue, reason: "\(actor): \(purpose) (\(rows) rows)", at: time,
                log: LogRecord(event: .personalDataExported, at: time, reason: purpose, actor: actor, rowCount: Int64(rows))
            )
        }
    }
}
