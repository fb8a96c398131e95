import Logging
import PostgresNIO

/// The service's tables in PostgreSQL, built by named, ordered migrations.
///
/// The names and the tables are those of the service's part of the registry's SQLite
/// schema (`RegistrySchema`), with PostgreSQL's types: `BIGINT` seconds since the epoch,
/// `BYTEA` for hashes, identity columns for event ids. The issuer's part (certificates,
/// keys, publications, the transparency log) stays in the workspace.
///
/// Applied names are kept in `zhucan_migration`. Instances starting together serialise on a
/// transaction-scoped advisory lock, so each migration runs exactly once.
enum PostgresSchema {
    /// A migration: its name and its statements, run in order.
    struct Migration {
        let name: String
        let statements: [String]
    }

    /// The advisory lock key migrations hold ("zhucan" in ASCII).
    static let lockKey: Int64 = 0x7A_68_75_63_61_6E

    static let migrations: [Migration] = [
        Migration(name: "2026-11-29-household-facts-and-redemptions", statements: [
            // Services delivered: one row per redeemed service code, by its cti. The primary
            // key is what lets exactly one of many concurrent redemptions succeed.
            """
            CREATE TABLE redemption (
                token_id TEXT PRIMARY KEY,
                license_id TEXT NOT NULL,
                service TEXT NOT NULL,
                at BIGINT NOT NULL,
                verifier TEXT
            )
            """,
            "CREATE INDEX redemption_by_service ON redemption(service, license_id)",
        ]),
        Migration(name: "2026-11-29-api-keys-and-verification-events", statements: [
            // Keys of the service's clients: only SHA-256 of the secret is kept.
            """
            CREATE TABLE api_key (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                scopes TEXT NOT NULL,
                secret_hash BYTEA NOT NULL,
                created_at BIGINT NOT NULL,
                revoked_at BIGINT
            )
            """,
            // One row per verification or redemption: no personal data beyond the certificate
            // reference.
            """
            CREATE TABLE verification_event (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at BIGINT NOT NULL,
                api_key TEXT,
                route TEXT NOT NULL,
                service TEXT,
                reason TEXT NOT NULL,
                license_id TEXT
            )
            """,
            "CREATE INDEX verification_event_by_time ON verification_event(at)",
            // One row per social-security-card lookup: who, when, which card (masked), why.
            """
            CREATE TABLE lookup_event (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at BIGINT NOT NULL,
                api_key TEXT,
                card_hash TEXT NOT NULL,
                purpose TEXT NOT NULL,
                found BOOLEAN NOT NULL
            )
            """,
            "CREATE INDEX lookup_event_by_time ON lookup_event(at)",
        ]),
        // The certificate a lookup found (`RegistrySchema`'s migration of the same name).
        Migration(name: "2026-12-05-lookup-license", statements: [
            "ALTER TABLE lookup_event ADD COLUMN license_id TEXT",
            "CREATE INDEX lookup_event_by_license ON lookup_event(license_id) WHERE license_id IS NOT NULL",
        ]),
        // The nodes' list floors (`RegistrySchema`'s migration of the same name): shared, so a
        // new node starts from what the others have taken.
        Migration(name: "2026-12-05-list-floor", statements: [
            "CREATE TABLE list_floor (list TEXT PRIMARY KEY, issued_at BIGINT NOT NULL, sequence BIGINT NOT NULL)",
        ]),
    ]

    /// Applies the migrations not yet applied, in one transaction (PostgreSQL's DDL is
    /// transactional: a failure leaves the schema as it was).
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS zhucan_migration (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                logger: logger
            )
            var applied: Set<String> = []
            for try await name in try await connection.query("SELECT name FROM zhucan_migration", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO zhucan_migration (name) VALUES (\(migration.name))", logger: logger)
                logger.info("applied migration", metadata: ["migration": "\(migration.name)"])
            }
        }
    }
}
