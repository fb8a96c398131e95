import GRDB

extension Registry {
    /// Records (or replaces) household facts of a person, with one event.
    package func setHouseholdFacts(citizenID: String, facts: [String: Bool], at time: Int64) throws {
        try write { db in
            for (fact, value) in facts.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: """
                        INSERT INTO household_fact (citizen_id, fact, value, recorded_at, source, as_of) VALUES (?, ?, ?, ?, 'manual', NULL)
                        ON CONFLICT (citizen_id, fact) DO UPDATE SET value = excluded.value, recorded_at = excluded.recorded_at,
                            source = excluded.source, as_of = excluded.as_of
                        """,
                    arguments: [citizenID, fact, value ? 1 : 0, time]
                )
            }
            let live = try Int64.fetchOne(
                db, sql: "SELECT id FROM certificate WHERE citizen_id = ? AND state IN ('active', 'suspended')", arguments: [citizenID]
            )
            try Self.recordEvent(db, certificateID: live, kind: "household-facts", reason: facts.keys.sorted().joined(separator: ","), at: time, log: nil)
        }
    }

    /// The recorded household facts of a person.
    package func householdFacts(citizenID: String) throws -> [String: Bool] {
        try read { db in
            var facts: [String: Bool] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT fact, value FROM household_fact WHERE citizen_id = ?", arguments: [citizenID]) {
                facts[row["fact"]] = (row["value"] as Int64) == 1
            }
            return facts
        }
    }

    /// Every recorded household fact, by citizen ID.
    package func allHouseholdFacts() throws -> [String: [String: Bool]] {
        try read { db in
            var all: [String: [String: Bool]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT citizen_id, fact, value FROM household_fact") {
                all[row["citizen_id"], default: [:]][row["fact"]] = (row["value"] as Int64) == 1
            }
            return all
        }
    }

    /// Records a redemption; `false` if this token was already redeemed (atomically: of many
    /// concurrent redemptions of one token exactly one returns `true`).
    package func redeem(tokenID: String, licenseID: String, service: String, verifier: String?, at time: Int64) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "INSERT INTO redemption (token_id, license_id, service, at, verifier) VALUES (?, ?, ?, ?, ?) ON CONFLICT (token_id) DO NOTHING",
                arguments: [tokenID, licenseID, service, time, verifier]
            )
            return db.changesCount == 1
        }
    }

    /// The e-license identifiers that redeemed each service before `end` (seconds since the
    /// epoch), by service id.
    package func redemptionsByService(before end: Int64) throws -> [String: Set<String>] {
        try read { db in
            var served: [String: Set<String>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT service, license_id FROM redemption WHERE at < ?", arguments: [end]) {
                served[row["service"], default: []].insert(row["license_id"])
            }
            return served
        }
    }
}
