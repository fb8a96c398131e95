import Foundation
import GRDB
import GRDBSQLite
import ZhucanServiceStore

/// The issuer's registry: issued certificates and their life events, signing keys, and
/// published trust and status lists, in one SQLite database (WAL mode) through GRDB.
///
/// Every change that belongs together — a certificate and its issuance event, a state
/// change and its event — commits in one transaction, so a crash leaves either both or
/// neither. The schema is built by named, ordered migrations (`RegistrySchema`).
///
/// `Sendable`: GRDB's `DatabasePool` serialises writes and allows concurrent reads.
package final class Registry: Sendable {
    let pool: DatabasePool

    /// How long a connection waits for SQLite's locks before it reports the registry busy.
    static let busyTimeout: TimeInterval = 10

    /// Opens (creating if needed) the registry at `path` and applies pending migrations.
    /// - Throws: `RegistryError.storage` when the file cannot be opened or migrated.
    package init(path: String) throws {
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(Self.busyTimeout)
            configuration.prepareDatabase { db in
                try db.execute(sql: "PRAGMA foreign_keys = ON")
            }
            // Owner-only from the first byte: the registry holds names and ID numbers.
            try OwnerOnlyFile.prepare(URL(fileURLWithPath: path))
            pool = try DatabasePool(path: path, configuration: configuration)
            // WAL with FULL on the writer, the only connection that commits: the WAL is synced
            // at every commit, so a committed transaction survives a power loss, not only a
            // process crash (https://sqlite.org/pragma.html#pragma_synchronous). Set here, not
            // in `prepareDatabase`: the pool turns WAL on after that, and sets NORMAL with it.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            // The writer's page cache, from SQLite's 2 MiB default to at most 64 MiB (pages are
            // allocated as used). A batch inserts into an index keyed by citizen ID; it does so
            // in ID order (`Workspace.issueBatch`), but into a registry that already holds
            // people the new IDs fall between theirs, and at a million certificates that index
            // outgrows 2 MiB: every row read its index pages back from the file.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA cache_size = -65536") }
            try RegistrySchema.migrator.migrate(pool)
        } catch {
            throw RegistryError(.storage, "cannot open the registry at \(path): \(error)")
        }
    }

    /// Runs `body` in one write transaction.
    ///
    /// With `checkingForeignKeys: false`, SQLite does not check the transaction's foreign keys
    /// (`PRAGMA foreign_keys`, the connection's setting, restored afterwards). For a body that
    /// inserts the rows its references point to itself, by row ids it has just read back
    /// (`BoundInsert.Cache`): a statement inserting several rows into a table with an
    /// immediate foreign key must journal every page it changes, in case a later row breaks
    /// the key (https://sqlite.org/tempfiles.html#stmtjrnl), and that journal had cost a batch
    /// 2 µs of its 45 a row.
    func write<T>(checkingForeignKeys: Bool = true, _ body: (Database) throws -> T) throws -> T {
        do {
            guard !checkingForeignKeys else {
                return try pool.write { db in try Self.logging(db, body) }
            }
            return try pool.writeWithoutTransaction { db in
                // A no-op inside a transaction: set before it begins (https://sqlite.org/pragma.html#pragma_foreign_keys).
                try db.execute(sql: "PRAGMA foreign_keys = OFF")
                let result = Result {
                    var value: T?
                    try db.inTransaction {
                        value = try Self.logging(db, body)
                        return .commit
                    }
                    return value!
                }
                try db.execute(sql: "PRAGMA foreign_keys = ON")
                return try result.get()
            }
        } catch {
            throw Self.registryError(error)
        }
    }

    /// `write` without blocking the caller: `body` runs on GRDB's writer queue.
    func writeAsync<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write { db in try Self.logging(db, body) }
        } catch {
            throw Self.registryError(error)
        }
    }

    /// Runs a write transaction's `body`; the entries it logged join the Merkle tree before
    /// the transaction commits.
    private static func logging<T>(_ db: Database, _ body: (Database) throws -> T) throws -> T {
        let logEnd = try logEntryCount(db)
        let value = try body(db)
        try extendLog(db, from: logEnd)
        return value
    }

    /// A violated constraint in the user's terms, not SQLite's: another process won a race.
    static func constraintMeaning(_ message: String?) -> String {
        switch message ?? "" {
        case let text where text.contains("certificate_by_person"):
            "this person already has an active certificate (another process issued it at the same moment)"
        case let text where text.contains("certificate.number") || text.contains("certificate.license_id"):
            "a certificate with this number or e-license identifier already exists"
        case let text where text.contains("certificate.status_index"):
            "the status index is already taken (another process issued at the same moment); try again"
        case let text where text.contains("redemption"):
            "this one-time code was already redeemed"
        default:
            "the registry refused a change that conflicts with what another process stored first"
        }
    }

    /// A write's failure as a `RegistryError`: a violated constraint is a conflict.
    private static func registryError(_ error: any Error) -> RegistryError {
        if let error = error as? RegistryError { return error }
        if let error = error as? DatabaseError, error.resultCode == .SQLITE_CONSTRAINT {
            return RegistryError(.conflict, constraintMeaning(error.message))
        }
        return storageError(error)
    }

    /// A failure of SQLite itself, with its primary result code in SQLite's words as the cause
    /// (sqlite3_errstr: `database or disk is full`, `disk I/O error`), which quote nothing.
    package static func storageError(_ error: any Error) -> RegistryError {
        let cause = (error as? DatabaseError).map { String(cString: sqlite3_errstr($0.resultCode.primaryResultCode.rawValue)) }
        return RegistryError(.storage, "\(error)", cause: cause)
    }

    /// Stops commits from checkpointing the WAL themselves, for a process that runs a
    /// `WALCheckpointer` instead (the verification service). Until it does, the WAL grows.
    /// - Throws: `RegistryError.storage`.
    package func disableAutomaticCheckpoints() throws {
        try setAutomaticCheckpoints(pages: 0)
    }

    /// Commits checkpoint the WAL themselves once it holds more than `pages` pages (SQLite's
    /// default is 1,000); 0 turns that off.
    /// - Throws: `RegistryError.storage`.
    func setAutomaticCheckpoints(pages: Int) throws {
        do {
            // Per connection, and only the writer commits.
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_autocheckpoint = \(pages)") }
        } catch {
            throw Self.registryError(error)
        }
    }

    /// The WAL's size in pages past which commits checkpoint it; 0 when they do not.
    /// - Throws: `RegistryError.storage`.
    package func automaticCheckpointPages() throws -> Int {
        do {
            return try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? 0 }
        } catch {
            throw Self.registryError(error)
        }
    }

    /// Whether every commit syncs the WAL before it returns (`PRAGMA synchronous` FULL or
    /// EXTRA on the writer), so that a power loss loses no committed transaction.
    /// - Throws: `RegistryError.storage`.
    package func syncsEveryCommit() throws -> Bool {
        do {
            // 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA (https://sqlite.org/pragma.html#pragma_synchronous).
            return try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? 0 } >= 2
        } catch {
            throw Self.registryError(error)
        }
    }

    /// Runs `body` with a read-only connection, in one read transaction.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try reading { try pool.read(body) }
    }

    /// Hands `body` each element of the cursor `open` makes, one at a time, in one read
    /// transaction. The body's own error stops the read and is rethrown as it is, not as a
    /// storage error of the read; `body` must not use the registry.
    func forEach<Elements: Cursor>(_ open: (Database) throws -> Elements, _ body: (Elements.Element) throws -> Void) throws {
        var failure: (any Error)?
        try read { db in
            let elements = try open(db)
            while let element = try elements.next() {
                do { try body(element) } catch {
                    failure = error
                    return
                }
            }
        }
        if let failure { throw failure }
    }

    /// Runs `body`, which executes a single statement, with a read-only connection and no
    /// explicit transaction: SQLite runs each statement in its own read transaction, so one
    /// statement sees one committed state, and BEGIN and COMMIT around it cost more than the
    /// statement itself (the service authenticates every request this way).
    func readStatement<T>(_ body: (Database) throws -> T) throws -> T {
        try reading { try pool.unsafeRead(body) }
    }

    private func reading<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RegistryError {
            throw error
        } catch {
            throw Self.storageError(error)
        }
    }
}
