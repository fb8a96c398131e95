import Foundation
import Logging
import PostgresNIO
import ZhucanServiceStore

/// The verification service's store on PostgreSQL, shared by any number of service
/// instances: API keys, redemptions, and verification, redemption and lookup events.
///
/// It behaves as the workspace registry's store does (the same `ServiceStoreTests` run on
/// both). Every change is one statement or one transaction, and a committed event is durable
/// before the answer is sent: every connection asks for `synchronous_commit = on`, and the
/// store refuses to start on sessions that commit otherwise.
/// Exactly-one redemption rests on the primary key of `redemption`, which PostgreSQL checks
/// across all connections and instances.
///
/// Errors are `RegistryError`s. Their messages carry PostgreSQL's message, never the
/// statement's values.
package final class PostgresServiceStore: ServiceStore {
    let client: PostgresClient
    let logger: Logger
    /// The longest a call may take (``answering(_:_:)``); `nil` for none, as a report over a
    /// large table wants.
    let deadline: Duration?

    /// The deadline of a service answering requests: far beyond any query of the service, well
    /// within a client's patience.
    package static let serviceDeadline = Duration.seconds(5)

    private init(client: PostgresClient, logger: Logger, deadline: Duration?) {
        self.client = client
        self.logger = logger
        self.deadline = deadline
    }

    /// Runs `body` with a store on the database at `url`: its connection pool runs while
    /// `body` does, and the schema's pending migrations are applied before `body` starts.
    /// - Throws: `RegistryError.storage` when the database cannot be reached or migrated,
    ///   and whatever `body` throws.
    /// - Parameter deadline: the longest one call may take (a service's is
    ///   ``serviceDeadline``); `nil` for none.
    package static func withStore<T>(
        url: PostgresDatabaseURL, logger: Logger, deadline: Duration? = nil, _ body: (PostgresServiceStore) async throws -> T
    ) async throws -> T {
        if url.encryptsWithoutChecking {
            logger.warning("sslmode=require encrypts without checking the database's certificate, as libpq does: give sslmode=verify-full (with sslrootcert=FILE for a private CA) to check it")
        }
        let client = PostgresClient(configuration: url.clientConfiguration(statementTimeout: deadline), backgroundLogger: logger)
        let store = PostgresServiceStore(client: client, logger: logger, deadline: deadline)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await store.storing("cannot prepare the database at \(url)") {
                let connection = try await PostgresConnection.connect(
                    configuration: url.connectionConfiguration(), id: 0, logger: logger
                )
                do {
                    try await PostgresSchema.migrate(connection, logger: logger)
                    try await connection.close()
                } catch {
                    try? await connection.close()
                    throw error
                }
            }
            try await store.checkCommitsAreDurable(url)
            return try await body(store)
        }
    }

    // MARK: API keys

    package func createAPIKey(name: String, scopes: Set<APIKey.Scope>, at time: Int64) async throws -> (key: APIKey, token: String) {
        let (name, scopeList) = try APIKey.checked(name: name, scopes: scopes)
        for _ in 0..<APIKey.idAttempts {
            let token = APIKeyToken.generate()
            let secretHash = Data(token.secretHash)
            let inserted = try await answering("cannot create the API key") { [self] in
                try await client.query("""
                    INSERT INTO api_key (id, name, scopes, secret_hash, created_at)
                    VALUES (\(token.id), \(name), \(scopeList), \(secretHash), \(time))
                    ON CONFLICT (id) DO NOTHING RETURNING id
                    """, logger: logger).collect().count == 1
            }
            if inserted {
                return (APIKey(id: token.id, name: name, scopes: scopes, createdAt: time, revokedAt: nil), token.text)
            }
        }
        throw APIKey.noFreeID
    }

    package func probe() async throws {
        try await answering("PostgreSQL does not answer") { [self] in
            for try await _ in try await client.query("SELECT 1", logger: logger) {}
        }
    }

    package func apiKeys() async throws -> [APIKey] {
        try await answering("cannot list the API keys") { [self] in
            var keys: [APIKey] = []
            let rows = try await client.query(
                "SELECT id, name, scopes, created_at, revoked_at FROM api_key ORDER BY created_at, id", logger: logger
            )
            for try await (id, name, scopes, createdAt, revokedAt) in rows.decode((String, String, String, Int64, Int64?).self) {
                keys.append(APIKey(id: id, name: name, scopes: APIKey.scopes(stored: scopes), createdAt: createdAt, revokedAt: revokedAt))
            }
            return keys
        }
    }

    package func revokeAPIKey(id: String, at time: Int64) async throws {
        let outcome = try await answering("cannot revoke the API key") { [self] in
            try await client.withTransaction(logger: logger) { connection -> RegistryError? in
                let revoked = try await connection.query(
                    "UPDATE api_key SET revoked_at = \(time) WHERE id = \(id) AND revoked_at IS NULL RETURNING id", logger: logger
                ).collect()
                guard revoked.isEmpty else { return nil }
                let exists = try await connection.query("SELECT 1 FROM api_key WHERE id = \(id)", logger: logger).collect()
                return exists.isEmpty
                    ? RegistryError(.notFound, "no API key \(id)")
                    : RegistryError(.invalidTransition, "API key \(id) is already revoked")
            }
        }
        if let outcome { throw outcome }
    }

    package func authenticate(token text: String) async throws -> APIKey? {
        guard let token = APIKeyToken(text) else { return nil }
        return try await answering("cannot check the API key") { [self] in
            let rows = try await client.query(
                "SELECT id, name, scopes, secret_hash, created_at, revoked_at FROM api_key WHERE id = \(token.id)", logger: logger
            )
            for try await (id, name, scopes, secretHash, createdAt, revokedAt) in rows.decode(
                (String, String, String, Data, Int64, Int64?).self
            ) where token.matches(Array(secretHash)) {
                return APIKey(id: id, name: name, scopes: APIKey.scopes(stored: scopes), createdAt: createdAt, revokedAt: revokedAt)
            }
            return nil
        }
    }

    // MARK: Events

    package func recordVerification(_ event: VerificationEvent) async throws {
        try await answering("cannot record the verification") { [self] in
            try await client.query(Self.insertion(of: event), logger: logger)
        }
    }

    package func recordVerifications(_ events: [VerificationEvent]) async throws {
        guard !events.isEmpty else { return }
        try await answering("cannot record the verifications") { [self] in
            try await client.withTransaction(logger: logger) { connection in
                for event in events { try await connection.query(Self.insertion(of: event), logger: logger) }
            }
        }
    }

    package func redeem(
        tokenID: String, licenseID: String, service: String, recording event: VerificationEvent, refusedReason: String
    ) async throws -> Bool {
        try await answering("cannot record the redemption") { [self] in
            try await client.withTransaction(logger: logger) { connection in
                let redeemed = try await connection.query("""
                    INSERT INTO redemption (token_id, license_id, service, at, verifier)
                    VALUES (\(tokenID), \(licenseID), \(service), \(event.at), \(event.apiKey))
                    ON CONFLICT (token_id) DO NOTHING RETURNING token_id
                    """, logger: logger).collect().count == 1
                var recorded = event
                if !redeemed { recorded.reason = refusedReason }
                try await connection.query(Self.insertion(of: recorded), logger: logger)
                return redeemed
            }
        }
    }

    package func redemptionsByService(before end: Int64) async throws -> [String: Set<String>] {
        try await answering("cannot read the redemptions") { [self] in
            var served: [String: Set<String>] = [:]
            let rows = try await client.query("SELECT DISTINCT service, license_id FROM redemption WHERE at < \(end)", logger: logger)
            for try await (service, licenseID) in rows.decode((String, String).self) {
                served[service, default: []].insert(licenseID)
            }
            return served
        }
    }

    private static func insertion(of event: VerificationEvent) -> PostgresQuery {
        """
        INSERT INTO verification_event (at, api_key, route, service, reason, license_id)
        VALUES (\(event.at), \(event.apiKey), \(event.route.rawValue), \(event.service), \(event.reason), \(event.licenseID))
        """
    }

    package func verificationEvents(limit: Int) async throws -> [VerificationEvent] {
        try await answering("cannot list the verification events") { [self] in
            var events: [VerificationEvent] = []
            let rows = try await client.query("""
                SELECT at, api_key, route, service, reason, license_id FROM
                    (SELECT * FROM verification_event ORDER BY id DESC LIMIT \(Int64(limit))) AS recent
                ORDER BY id
                """, logger: logger)
            for try await (at, apiKey, route, service, reason, licenseID) in rows.decode(
                (Int64, String?, String, String?, String, String?).self
            ) {
                events.append(VerificationEvent(
                    at: at, apiKey: apiKey, route: VerificationEvent.Route(rawValue: route) ?? .verify,
                    service: service, reason: reason, licenseID: licenseID
                ))
            }
            return events
        }
    }

    package func recordLookup(_ event: LookupEvent) async throws {
        try await answering("cannot record the lookup") { [self] in
            try await client.query("""
                INSERT INTO lookup_event (at, api_key, card_hash, purpose, found, license_id)
                VALUES (\(event.at), \(event.apiKey), \(event.maskedCard), \(event.purpose), \(event.found), \(event.licenseID))
                """, logger: logger)
        }
    }

    package func lookupEvents(limit: Int, licenseIDs: [String]?) async throws -> [LookupEvent] {
        try await answering("cannot list the lookups") { [self] in
            var events: [LookupEvent] = []
            let rows = try await client.query("""
                SELECT at, api_key, card_hash, purpose, found, license_id FROM
                    (SELECT * FROM lookup_event WHERE \(licenseIDs == nil) OR license_id = ANY(\(licenseIDs ?? []))
                     ORDER BY id DESC LIMIT \(Int64(limit))) AS recent
                ORDER BY id
                """, logger: logger)
            for try await (at, apiKey, card, purpose, found, license) in rows.decode((Int64, String?, String, String, Bool, String?).self) {
                // Recorded before lookups kept the certificate found: found, licence id unknown.
                events.append(LookupEvent(at: at, apiKey: apiKey, maskedCard: card, purpose: purpose, licenseID: found ? license ?? "?" : nil))
            }
            return events
        }
    }

    package func listFloors() async throws -> [String: ListFloor] {
        try await answering("cannot read the list floors") { [self] in
            var floors: [String: ListFloor] = [:]
            let rows = try await client.query("SELECT list, issued_at, sequence FROM list_floor", logger: logger)
            for try await (list, issuedAt, sequence) in rows.decode((String, Int64, Int64).self) {
                floors[list] = ListFloor(issuedAt: issuedAt, sequence: sequence)
            }
            return floors
        }
    }

    package func raiseListFloor(_ list: String, to floor: ListFloor) async throws {
        try await answering("cannot raise the list floor") { [self] in
            try await client.query("""
                INSERT INTO list_floor (list, issued_at, sequence) VALUES (\(list), \(floor.issuedAt), \(floor.sequence))
                ON CONFLICT (list) DO UPDATE SET issued_at = excluded.issued_at, sequence = excluded.sequence
                WHERE (excluded.issued_at, excluded.sequence) > (list_floor.issued_at, list_floor.sequence)
                """, logger: logger)
        }
    }

    package func serviceStatistics(since: Int64) async throws -> [ServiceDayStatistics] {
        try await answering("cannot compute the statistics") { [self] in
            var days: [ServiceDayStatistics] = []
            // China Standard Time has no daylight saving: a fixed +8 h shift gives the local day.
            let rows = try await client.query("""
                SELECT to_char(to_timestamp(at + 28800) AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, COALESCE(service, '') AS svc,
                    COUNT(*) FILTER (WHERE route = 'verify'),
                    COUNT(*) FILTER (WHERE route = 'verify' AND reason = 'valid'),
                    COUNT(*) FILTER (WHERE route = 'redeem' AND reason = 'valid'),
                    COUNT(*) FILTER (WHERE route = 'redeem' AND reason <> 'valid')
                FROM verification_event WHERE at >= \(since)
                GROUP BY day, svc ORDER BY day, COALESCE(service, '') COLLATE "C"  -- bytewise, as SQLite: the database's collation may skip hyphens
                """, logger: logger)
            for try await (day, service, verifications, valid, redemptions, refused) in rows.decode(
                (String, String, Int64, Int64, Int64, Int64).self
            ) {
                days.append(ServiceDayStatistics(
                    date: day, service: service, verifications: Int(verifications), validVerifications: Int(valid),
                    redemptions: Int(redemptions), refusedRedemptions: Int(refused)
                ))
            }
            return days
        }
    }

    /// Refuses sessions whose commits return before they are on disk
    /// (https://www.postgresql.org/docs/current/runtime-config-wal.html#GUC-SYNCHRONOUS-COMMIT):
    /// an answered redemption could then be lost in a crash, and its code used again.
    private func checkCommitsAreDurable(_ url: PostgresDatabaseURL) async throws {
        let setting = try await storing("cannot read the settings of the database at \(url)") { () async throws -> String? in
            for try await value in try await client.query("SHOW synchronous_commit", logger: logger).decode(String.self) {
                return value
            }
            return nil
        }
        guard let setting, setting != "off" else {
            throw RegistryError(
                .storage,
                "the database at \(url) commits without waiting for the disk (synchronous_commit = \(setting ?? "unknown")): an answered redemption could be lost in a crash"
            )
        }
    }

    // MARK: Errors

    /// Runs `body`, turning PostgreSQL's errors into `RegistryError.storage` with `context`
    /// and the server's message (the statement and its values stay out of it).
    @discardableResult
    /// Runs `body` as ``storing(_:_:)`` does, within ``deadline`` when there is one: past it
    /// the call fails as `unavailable` (a service answers 503). A database that stops answering
    /// (a network partition that sends no reset, a stopped server) had held requests for ever,
    /// and every verification behind the one event writer with them.
    ///
    /// PostgresNIO does not cancel a statement already sent; PostgreSQL aborts it itself, and
    /// rolls its transaction back, at the same deadline (`statement_timeout`, set on every
    /// connection of such a store). Only a server that stopped entirely may still commit it
    /// when it resumes: a redemption answered 503 is then `already_redeemed` when asked again,
    /// never used twice.
    func answering<T: Sendable>(_ context: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        guard let deadline else { return try await storing(context, body) }
        return try await Deadline.run(within: deadline, failure: RegistryError(.unavailable, "\(context): PostgreSQL did not answer within \(deadline)")) {
            try await self.storing(context, body)
        }
    }

    func storing<T>(_ context: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as RegistryError {
            throw error
        } catch let error as PostgresTransactionError {
            if let refusal = error.closureError as? RegistryError { throw refusal }
            throw Self.failure(context, error.closureError ?? error.commitError ?? error.beginError ?? error)
        } catch {
            throw Self.failure(context, error)
        }
    }

    /// A storage failure; `unavailable` for a statement PostgreSQL cancelled at its
    /// `statement_timeout` (SQLSTATE 57014, query_canceled).
    private static func failure(_ context: String, _ error: any Error) -> RegistryError {
        let cancelled = (error as? PSQLError)?.serverInfo?[.sqlState] == "57014"
        return RegistryError(cancelled ? .unavailable : .storage, "\(context): \(message(error))")
    }

    private static func message(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] { return message }
        if let underlying = error.underlying { return "\(error.code): \(underlying)" }
        return "\(error.code)"
    }
}
