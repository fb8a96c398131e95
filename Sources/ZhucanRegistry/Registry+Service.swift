import Foundation
import GRDB
import ZhucanServiceStore

/// What the HTTP verification service keeps: API keys, verification and lookup events, and
/// the reads it answers from.
extension Registry {
    // MARK: API keys

    /// Makes a key and returns it with its token, which is shown once and never stored.
    /// - Throws: `RegistryError.invalidInput` for an empty or over-long name or no scope.
    package func createAPIKey(name: String, scopes: Set<APIKey.Scope>, at time: Int64) throws -> (key: APIKey, token: String) {
        let (name, scopeList) = try APIKey.checked(name: name, scopes: scopes)
        for _ in 0..<APIKey.idAttempts {
            let token = APIKeyToken.generate()
            let inserted = try write { db in
                try db.execute(
                    sql: "INSERT INTO api_key (id, name, scopes, secret_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
                    arguments: [token.id, name, scopeList, Data(token.secretHash), time]
                )
                return db.changesCount == 1
            }
            if inserted {
                return (APIKey(id: token.id, name: name, scopes: scopes, createdAt: time, revokedAt: nil), token.text)
            }
        }
        throw APIKey.noFreeID
    }

    /// Every API key, oldest first.
    package func apiKeys() throws -> [APIKey] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, scopes, created_at, revoked_at FROM api_key ORDER BY created_at, id")
                .map(Self.apiKey(row:))
        }
    }

    /// The key with this public id.
    package func apiKey(id: String) throws -> APIKey? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT id, name, scopes, created_at, revoked_at FROM api_key WHERE id = ?", arguments: [id])
                .map(Self.apiKey(row:))
        }
    }

    /// Revokes a key: from now on it is refused.
    /// - Throws: `RegistryError.notFound` for an unknown id, `.invalidTransition` if already revoked.
    package func revokeAPIKey(id: String, at time: Int64) throws {
        try write { db in
            try db.execute(sql: "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", arguments: [time, id])
            guard db.changesCount == 1 else {
                let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM api_key WHERE id = ?", arguments: [id]) ?? false
                throw exists
                    ? RegistryError(.invalidTransition, "API key \(id) is already revoked")
                    : RegistryError(.notFound, "no API key \(id)")
            }
        }
    }

    /// The key a token names, when its secret matches (compared in constant time); revoked
    /// keys are returned too, so that the caller can say why it refuses them.
    /// - Returns: `nil` for a malformed token, an unknown id or a wrong secret.
    package func authenticate(token text: String) throws -> APIKey? {
        guard let token = APIKeyToken(text) else { return nil }
        return try readStatement { db in
            // Every authenticated request asks: a cached statement, parsed once per connection.
            let statement = try db.cachedStatement(sql: "SELECT * FROM api_key WHERE id = ?")
            guard let row = try Row.fetchOne(statement, arguments: [token.id]) else { return nil }
            let stored: Data = row["secret_hash"]
            return token.matches(Array(stored)) ? Self.apiKey(row: row) : nil
        }
    }

    private static func apiKey(row: Row) -> APIKey {
        APIKey(
            id: row["id"], name: row["name"], scopes: APIKey.scopes(stored: row["scopes"]),
            createdAt: row["created_at"], revokedAt: row["revoked_at"]
        )
    }

    // MARK: Events

    /// Records one verification (or a redemption that did not get as far as the redemption
    /// table).
    package func recordVerification(_ event: VerificationEvent) throws {
        try write { db in try Self.insert(event, db) }
    }

    /// Records verifications in one transaction: one commit, one fsync, for all of them. The
    /// commit runs on GRDB's writer queue, so the caller's thread is free while it waits.
    package func recordVerifications(_ events: [VerificationEvent]) async throws {
        guard !events.isEmpty else { return }
        try await writeAsync { db in
            var insert = Self.insertVerificationEvents
            for group in BoundInsert.groups(of: events) {
                _ = try insert.run(db, rows: group.count) { row in
                    for event in group { Self.bind(event, to: &row) }
                }
            }
        }
    }

    /// Redeems a one-time code and records its event in one transaction: of many concurrent
    /// redemptions of one token exactly one returns `true` (the redemption table's primary
    /// key decides). The event gets `event.reason` on success and `refusedReason` otherwise.
    package func redeem(tokenID: String, licenseID: String, service: String, recording event: VerificationEvent, refusedReason: String) throws -> Bool {
        try write { db in
            try db.execute(
                sql: "INSERT INTO redemption (token_id, license_id, service, at, verifier) VALUES (?, ?, ?, ?, ?) ON CONFLICT (token_id) DO NOTHING",
                arguments: [tokenID, licenseID, service, event.at, event.apiKey]
            )
            let redeemed = db.changesCount == 1
            var recorded = event
            if !redeemed { recorded.reason = refusedReason }
            try Self.insert(recorded, db)
            return redeemed
        }
    }

    private static func insert(_ event: VerificationEvent, _ db: Database) throws {
        var insert = insertVerificationEvents
        _ = try insert.run(db, rows: 1) { row in bind(event, to: &row) }
    }

    /// Verification events, several to a statement: the service commits those of concurrent
    /// requests together (`VerificationEventWriter`).
    private static var insertVerificationEvents: BoundInsert.Cache {
        BoundInsert.Cache(table: "verification_event", columns: "at, api_key, route, service, reason, license_id", values: "(?, ?, ?, ?, ?, ?)")
    }

    private static func bind(_ event: VerificationEvent, to row: inout BoundInsert.Row) {
        row.bind(event.at); row.bind(event.apiKey); row.bind(event.route.rawValue); row.bind(event.service)
        row.bind(event.reason); row.bind(event.licenseID)
    }

    /// The most recent verification events, oldest first.
    package func verificationEvents(limit: Int = 1_000) throws -> [VerificationEvent] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM (SELECT * FROM verification_event ORDER BY id DESC LIMIT ?) ORDER BY id", arguments: [limit])
                .map { row in
                    VerificationEvent(
                        at: row["at"], apiKey: row["api_key"], route: VerificationEvent.Route(rawValue: row["route"]) ?? .verify,
                        service: row["service"], reason: row["reason"], licenseID: row["license_id"]
                    )
                }
        }
    }

    /// Records one social-security-card lookup.
    package func recordLookup(_ event: LookupEvent) throws {
        try write { db in
            try db.execute(
                sql: "INSERT INTO lookup_event (at, api_key, card_hash, purpose, found, license_id) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [event.at, event.apiKey, event.maskedCard, event.purpose, event.found ? 1 : 0, event.licenseID]
            )
        }
    }

    /// The most recent lookups, oldest first; with `licenseIDs`, only those that found one of
    /// those certificates.
    ///
    /// A lookup recorded before lookups kept the certificate found has none: it reads as found,
    /// with licence id `?`.
    package func lookupEvents(limit: Int = 1_000, licenseIDs: [String]? = nil) throws -> [LookupEvent] {
        try read { db in
            let filter = licenseIDs.map { "WHERE license_id IN (\(Array(repeating: "?", count: $0.count).joined(separator: ", ")))" } ?? ""
            var values: [(any DatabaseValueConvertible)?] = licenseIDs ?? []
            values.append(limit)
            return try Row.fetchAll(
                db,
                sql: "SELECT * FROM (SELECT * FROM lookup_event \(filter) ORDER BY id DESC LIMIT ?) ORDER BY id",
                arguments: StatementArguments(values)
            ).map { row in
                let found = (row["found"] as Int64) == 1
                return LookupEvent(at: row["at"], apiKey: row["api_key"], maskedCard: row["card_hash"], purpose: row["purpose"],
                                   licenseID: found ? (row["license_id"] as String?) ?? "?" : nil)
            }
        }
    }

    /// Verifications and redemptions per service per day (UTC+8), from `since` on, oldest
    /// day first.
    package func serviceStatistics(since: Int64 = 0) throws -> [ServiceDayStatistics] {
        try read { db in
            // China Standard Time has no daylight saving: a fixed +8 h shift gives the local day.
            try Row.fetchAll(db, sql: """
                SELECT date(at + 28800, 'unixepoch') AS day, COALESCE(service, '') AS svc,
                    SUM(route = 'verify') AS verifications,
                    SUM(route = 'verify' AND reason = 'valid') AS valid_verifications,
                    SUM(route = 'redeem' AND reason = 'valid') AS redemptions,
                    SUM(route = 'redeem' AND reason <> 'valid') AS refused_redemptions
                FROM verification_event WHERE at >= ?
                GROUP BY day, svc ORDER BY day, svc
                """, arguments: [since]).map { row in
                ServiceDayStatistics(
                    date: row["day"], service: row["svc"], verifications: row["verifications"],
                    validVerifications: row["valid_verifications"], redemptions: row["redemptions"],
                    refusedRedemptions: row["refused_redemptions"]
                )
            }
        }
    }

    // MARK: Reads

    /// The certificate of the holder of a social-security card: the live one if there is
    /// one, else the newest.
    package func certificate(socialSecurityCard card: String) throws -> StoredCertificate? {
        try read { db in
            try StoredCertificate.fetchOne(
                db,
                sql: "SELECT * FROM certificate WHERE ssc_card = ? ORDER BY state IN ('active', 'suspended') DESC, id DESC LIMIT 1",
                arguments: [card]
            )
        }
    }

    /// The live (active or suspended) certificates holding these social-security cards, by
    /// card (through `certificate_by_ssc`).
    package func liveCertificates(socialSecurityCards cards: [String]) throws -> [String: StoredCertificate] {
        try read { db in
            var found: [String: StoredCertificate] = [:]
            for start in stride(from: 0, to: cards.count, by: 500) {
                let chunk = Array(cards[start..<min(start + 500, cards.count)])
                let certificates = try StoredCertificate.fetchCursor(
                    db.cachedStatement(
                        sql: "SELECT * FROM certificate WHERE ssc_card IN (\(databaseQuestionMarks(count: chunk.count))) AND state IN ('active', 'suspended')"),
                    arguments: StatementArguments(chunk)
                )
                while let certificate = try certificates.next() {
                    if let card = certificate.socialSecurityCard { found[card] = certificate }
                }
            }
            return found
        }
    }

    /// The publication of `kind` with this sequence number.
    package func publication(_ kind: PublicationKind, sequence: Int64) throws -> Publication? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM publication WHERE kind = ? AND sequence = ?", arguments: [kind.rawValue, sequence])
                .map(Self.publication(row:))
        }
    }

    /// The newest sequence number of every kind of publication: a cheap way to see whether
    /// anything was published since.
    package func latestSequences() throws -> [PublicationKind: Int64] {
        try read { db in
            var sequences: [PublicationKind: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT kind, MAX(sequence) AS sequence FROM publication GROUP BY kind") {
                if let kind = PublicationKind(rawValue: row["kind"]) { sequences[kind] = row["sequence"] }
            }
            return sequences
        }
    }
}

extension Registry {
    /// A verification node's list floors (`ServiceStore.listFloors`), in its `node.sqlite`.
    package func listFloors() throws -> [String: ListFloor] {
        try read { db in
            var floors: [String: ListFloor] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT list, issued_at, sequence FROM list_floor") {
                floors[row["list"]] = ListFloor(issuedAt: row["issued_at"], sequence: row["sequence"])
            }
            return floors
        }
    }

    /// Raises a list's floor, never lowers it (`ServiceStore.raiseListFloor`).
    package func raiseListFloor(_ list: String, to floor: ListFloor) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO list_floor (list, issued_at, sequence) VALUES (?, ?, ?)
                    ON CONFLICT (list) DO UPDATE SET issued_at = excluded.issued_at, sequence = excluded.sequence
                    WHERE (excluded.issued_at, excluded.sequence) > (list_floor.issued_at, list_floor.sequence)
                    """,
                arguments: [list, floor.issuedAt, floor.sequence]
            )
        }
    }

    /// Reads once: the database file can be opened and read (`ServiceStore.probe`).
    package func probe() throws {
        try read { db in _ = try Int.fetchOne(db, sql: "SELECT 1") }
    }
}

/// The registry keeps the service's data in its own SQLite database.
extension Registry: ServiceStore {}
