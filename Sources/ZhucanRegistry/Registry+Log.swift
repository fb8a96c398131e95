import Foundation
import GRDB
import GRDBSQLite
import Synchronization
import ZhucanServiceStore
import ZhucanTransparency

extension Registry {
    /// The most entries one `logEntries(in:)` call returns.
    package static let maxEntriesPerRead: UInt64 = 10_000

    /// The number of leaves in the transparency log's tree.
    package func logSize() throws -> UInt64 {
        try read { db in try DatabaseMerkleHashStore(db: db).leafCount() }
    }

    /// The number of stored log entries: the tree's size, unless rows were added behind the
    /// registry's back.
    package func logEntryCount() throws -> UInt64 {
        try read { db in try Self.logEntryCount(db) }
    }

    /// The stored log entries with index in `range` (at most `maxEntriesPerRead`), in order,
    /// each with the leaf hash the tree holds for it. Entries are read as stored, so a missing
    /// row leaves a gap and a row outside the tree has no leaf hash: an auditor sees both.
    /// - Throws: `RegistryError.invalidInput` for a range that is too long.
    package func logEntries(in range: Range<UInt64>) throws -> [LogEntry] {
        guard UInt64(range.count) <= Self.maxEntriesPerRead else {
            throw RegistryError(.invalidInput, "at most \(Self.maxEntriesPerRead) entries per read")
        }
        return try read { db in try Self.logEntries(db, in: range) }
    }

    /// Every signed checkpoint, oldest first.
    package func logCheckpoints() throws -> [StoredCheckpoint] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM log_checkpoint ORDER BY size").map(Self.checkpoint(row:))
        }
    }

    /// Calls `body` with every stored entry below index `count`, in index order, in one read
    /// transaction (a consistent snapshot).
    package func exportLog(upTo count: UInt64, _ body: (LogEntry) throws -> Void) throws {
        try read { db in
            var start: UInt64 = 0
            while start < count {
                let end = min(count, start + Self.maxEntriesPerRead)
                for entry in try Self.logEntries(db, in: start..<end) { try body(entry) }
                start = end
            }
        }
    }

    private static func logEntries(_ db: Database, in range: Range<UInt64>) throws -> [LogEntry] {
        // Indexes are SQLite integers: past Int64.max there is nothing (Int64(_:) would trap).
        guard let lower = Int64(exactly: range.lowerBound) else { return [] }
        let upper = Int64(exactly: range.upperBound) ?? .max
        return try Row.fetchAll(
            db, sql: """
                SELECT e.idx, e.data, n.hash FROM log_entry e
                LEFT JOIN merkle_node n ON n.level = 0 AND n.idx = e.idx
                WHERE e.idx >= ? AND e.idx < ? ORDER BY e.idx
                """,
            arguments: [lower, upper]
        ).map {
            LogEntry(index: UInt64($0[0] as Int64), data: [UInt8]($0[1] as Data), leafHash: ($0[2] as Data?).map { [UInt8]($0) })
        }
    }

    /// The index of the leaf that records the issuance of the certificate `licenseID`.
    package func logIndex(ofIssued licenseID: String) throws -> UInt64? {
        try read { db in
            try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT idx FROM log_entry WHERE license_id = ? AND kind = 'issued' ORDER BY idx LIMIT 1"),
                arguments: [licenseID]
            ).map(UInt64.init)
        }
    }

    /// The index of the leaf that records the issuance of exactly `certificate` (its text), by
    /// its e-license identifier; `nil` when the entry records another certificate of that
    /// identifier, which the issuer key could sign but the log never saw.
    package func logIndex(ofIssued licenseID: String, certificate: String) throws -> UInt64? {
        let row = try read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT idx, data FROM log_entry WHERE license_id = ? AND kind = 'issued' ORDER BY idx LIMIT 1"),
                arguments: [licenseID]
            )
        }
        guard let row, let record = try? LogRecord(encoded: [UInt8](row["data"] as Data)), record.object == certificate else { return nil }
        return UInt64(row["idx"] as Int64)
    }

    /// The leaf hash at `index`.
    package func leafHash(at index: UInt64) throws -> [UInt8] {
        try readLog { log in try log.leafHash(at: index) }
    }

    /// The root hash of the log's first `size` leaves.
    package func logRoot(size: UInt64) throws -> [UInt8] {
        try readLog { log in try log.root(atSize: size) }
    }

    /// The RFC 9162 §2.1.3 inclusion proof of leaf `index` in the tree of `size` leaves.
    package func inclusionProof(index: UInt64, size: UInt64) throws -> [[UInt8]] {
        try readLog { log in try log.inclusionProof(index: index, size: size) }
    }

    /// The RFC 9162 §2.1.4 consistency proof from the tree of `from` leaves to that of `to`.
    package func consistencyProof(from: UInt64, to: UInt64) throws -> [[UInt8]] {
        try readLog { log in try log.consistencyProof(from: from, to: to) }
    }

    /// The newest signed checkpoint.
    package func latestCheckpoint() throws -> StoredCheckpoint? {
        try read { db in try Self.latestCheckpoint(db) }
    }

    /// Signs a checkpoint of the log as it is now, unless the newest stored one already covers
    /// it, and stores it.
    ///
    /// The log never signs two checkpoints that disagree: before signing, the tree's root at
    /// the last checkpoint's size is recomputed from the stored hashes and must equal the root
    /// that checkpoint signed, and the new leaves must hash to what their entries hold.
    /// - Returns: the newest checkpoint (new or the existing one).
    /// - Throws: `RegistryError.logInconsistent` when the stored log no longer extends the last
    ///   checkpoint; nothing is signed then.
    @discardableResult
    package func signCheckpoint(origin: String, signer: NoteSigner, now: Int64) throws -> StoredCheckpoint {
        try write { db in
            let log = MerkleLog(store: DatabaseMerkleHashStore(db: db))
            let size = try log.size
            let previous = try Self.latestCheckpoint(db)
            if let previous {
                guard previous.size <= size else {
                    throw RegistryError(.logInconsistent, "the log has \(size) leaves, fewer than the \(previous.size) of its last checkpoint")
                }
                guard try log.root(atSize: previous.size) == previous.rootHash else {
                    throw RegistryError(.logInconsistent, "the tree no longer has the root its checkpoint of size \(previous.size) signed")
                }
                if previous.size == size { return previous }
            }
            try Self.checkLeaves(db, log: log, from: previous?.size ?? 0, to: size)
            let root = try log.root(atSize: size)
            let note = try Checkpoint(origin: origin, size: size, rootHash: root).signed(by: [signer])
            let stored = StoredCheckpoint(size: size, rootHash: root, note: note.description, signedAt: now)
            try db.execute(
                sql: "INSERT INTO log_checkpoint (size, root, note, signed_at) VALUES (?, ?, ?, ?)",
                arguments: [Int64(size), Data(root), stored.note, now]
            )
            return stored
        }
    }

    // MARK: Inside write transactions

    /// The number of stored log entries (one past the highest index).
    static func logEntryCount(_ db: Database) throws -> UInt64 {
        UInt64(try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entry")) ?? 0)
    }

    /// Hashes the entries this transaction added (from index `start`) into the tree, in one
    /// append.
    ///
    /// Entries and their leaves commit together, so at the start of a transaction the tree
    /// covers every stored entry. Entries beyond the tree were written behind the registry's
    /// back; the log then refuses to grow (and so to sign) until an auditor has looked.
    static func extendLog(_ db: Database, from start: UInt64) throws {
        guard try logEntryCount(db) > start else { return }
        let log = MerkleLog(store: DatabaseMerkleHashStore(db: db))
        let size = try log.size
        guard size == start else {
            throw RegistryError(
                .logInconsistent,
                "the log holds entries \(size)..<\(start) that its tree does not cover: they were written outside Zhucan; run `zhucan audit log`"
            )
        }
        // Through SQLite's C API, each entry hashed where SQLite holds it: GRDB's rows, with two
        // copies of each entry, were 2.6% of a 100,000-row batch's CPU, mostly not hashing.
        let statement = try db.cachedStatement(sql: "SELECT idx, data FROM log_entry WHERE idx >= ? ORDER BY idx")
        let handle = statement.sqliteStatement
        sqlite3_bind_int64(handle, 1, Int64(bitPattern: size))
        defer { sqlite3_reset(handle) }
        var hashes = [[UInt8]]()
        while try Self.step(statement, db: db) {
            let expected = size + UInt64(hashes.count)
            guard UInt64(bitPattern: sqlite3_column_int64(handle, 0)) == expected else {
                throw RegistryError(.logInconsistent, "log entry \(expected) is missing")
            }
            hashes.append(MerkleTree.leafHash(Self.blob(handle, column: 1) ?? UnsafeRawBufferPointer(start: nil, count: 0)))
        }
        guard !hashes.isEmpty else { return }
        try log.append(leafHashes: hashes)
    }

    /// Checks that the entries `start..<end` are all stored and each hashes to its stored leaf.
    ///
    /// A batch's checkpoint covers all its rows: a million entries of some 450 bytes. They are
    /// read in one pass with their leaf hashes, and hashed a block at a time on every core
    /// (fetching them all and hashing on one core took 6 s of a million-row batch's 60).
    private static func checkLeaves(_ db: Database, log: MerkleLog<DatabaseMerkleHashStore>, from start: UInt64, to end: UInt64) throws {
        guard start < end else { return }
        guard try log.size >= end else {
            throw RegistryError(.logInconsistent, "the tree does not cover the log entries \(start)..<\(end)")
        }
        // Two scans in index order, merged here: the entries, and the tree's leaves. Through
        // SQLite's C API, a block at a time, each block hashed on the other cores while the
        // next is read. Through GRDB's rows, and with reading and hashing taking turns, this
        // was the last 0.2 s of a 100,000-row batch on one core. A join looking each leaf up
        // in the tree's index, and two arrays per entry, then made a checkpoint over 100,000
        // entries take 0.18–0.24 s of CPU; merged, in one buffer per block, 0.11–0.14 s.
        let entries = try db.makeStatement(sql: "SELECT idx, data FROM log_entry WHERE idx >= ? AND idx < ? ORDER BY idx")
        let leaves = try db.makeStatement(sql: "SELECT idx, hash FROM merkle_node WHERE level = 0 AND idx >= ? AND idx < ? ORDER BY idx")
        for statement in [entries, leaves] {
            sqlite3_bind_int64(statement.sqliteStatement, 1, Int64(bitPattern: start))
            sqlite3_bind_int64(statement.sqliteStatement, 2, Int64(bitPattern: end))
        }
        defer {
            sqlite3_reset(entries.sqliteStatement)
            sqlite3_reset(leaves.sqliteStatement)
        }
        let entry = entries.sqliteStatement, leaf = leaves.sqliteStatement
        var leafIndex: UInt64?
        func nextLeaf() throws {
            leafIndex = try step(leaves, db: db) ? UInt64(bitPattern: sqlite3_column_int64(leaf, 0)) : nil
        }
        try nextLeaf()
        var count: UInt64 = 0
        var block = LeafBlock(capacity: min(leafCheckBlock, Int(end - start)))
        var hashing: LeafCheck?
        defer { hashing?.wait() }
        while try step(entries, db: db) {
            let index = UInt64(bitPattern: sqlite3_column_int64(entry, 0))
            while let current = leafIndex, current < index { try nextLeaf() }
            block.append(index: index, data: blob(entry, column: 1), leafHash: leafIndex == index ? blob(leaf, column: 1) : nil)
            count += 1
            if block.count == leafCheckBlock {
                try hashing?.result()
                hashing = LeafCheck(block)
                block = LeafBlock(capacity: min(leafCheckBlock, Int(end - start - count)))
            }
        }
        try hashing?.result()
        hashing = nil
        try block.check()
        guard count == end - start else {
            throw RegistryError(.logInconsistent, "the log holds \(count) entries in \(start)..<\(end)")
        }
    }

    /// Steps `statement` through SQLite's C API: `true` at a row, `false` when done.
    /// - Throws: `DatabaseError` with SQLite's message.
    private static func step(_ statement: Statement, db: Database) throws -> Bool {
        switch sqlite3_step(statement.sqliteStatement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            // `Statement.sql` trims the text each time it is read: only here, not per row.
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
        }
    }

    /// The bytes of a blob column where SQLite holds them, valid until the next step; `nil`
    /// for NULL, empty for an empty blob.
    private static func blob(_ handle: OpaquePointer, column: Int32) -> UnsafeRawBufferPointer? {
        guard let bytes = sqlite3_column_blob(handle, column) else {
            return sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column)))
    }

    /// Log entries and the leaf hashes the tree holds for them, copied into one buffer.
    private struct LeafBlock: Sendable {
        private var bytes: [UInt8] = []
        private var entries: [(index: UInt64, data: Range<Int>, leafHash: Range<Int>?)] = []

        /// An empty block with room for `capacity` entries of a typical size.
        init(capacity: Int) {
            bytes.reserveCapacity(capacity * 512)
            entries.reserveCapacity(capacity)
        }

        var count: Int { entries.count }

        mutating func append(index: UInt64, data: UnsafeRawBufferPointer?, leafHash: UnsafeRawBufferPointer?) {
            func copy(_ source: UnsafeRawBufferPointer) -> Range<Int> {
                let start = bytes.count
                bytes.append(contentsOf: source)
                return start..<bytes.count
            }
            entries.append((index, copy(data ?? UnsafeRawBufferPointer(start: nil, count: 0)), leafHash.map(copy)))
        }

        /// Throws for the first entry whose data does not hash to its leaf hash.
        func check() throws {
            let workers = entries.count < 256 ? 1 : ProcessInfo.processInfo.activeProcessorCount * 2
            let size = (entries.count + workers - 1) / workers
            let mismatches = Mutex<[UInt64]>([])
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let first = bytes.withUnsafeBytes { bytes in
                    entries.dropFirst(worker * size).prefix(size).first { entry in
                        guard let leafHash = entry.leafHash else { return true }
                        return !MerkleTree.leafHash(UnsafeRawBufferPointer(rebasing: bytes[entry.data])).elementsEqual(bytes[leafHash])
                    }
                }
                if let first { mismatches.withLock { $0.append(first.index) } }
            }
            if let index = mismatches.withLock({ $0.min() }) {
                throw RegistryError(.logInconsistent, "log entry \(index) does not match its leaf hash")
            }
        }
    }

    /// `LeafBlock.check` run on other threads while the caller goes on.
    private final class LeafCheck: Sendable {
        private let group = DispatchGroup()
        private let outcome = Mutex<Result<Void, any Error>?>(nil)

        init(_ block: LeafBlock) {
            DispatchQueue.global().async(group: group) {
                let result = Result { try block.check() }
                self.outcome.withLock { $0 = result }
            }
        }

        func wait() {
            group.wait()
        }

        /// Waits for the check, and throws what it found.
        func result() throws {
            group.wait()
            try outcome.withLock { $0 }?.get()
        }
    }

    /// Entries hashed together by `checkLeaves`.
    private static let leafCheckBlock = 8_192

    private static func latestCheckpoint(_ db: Database) throws -> StoredCheckpoint? {
        try Row.fetchOne(db, sql: "SELECT * FROM log_checkpoint ORDER BY size DESC LIMIT 1").map(checkpoint(row:))
    }

    private static func checkpoint(row: Row) -> StoredCheckpoint {
        StoredCheckpoint(size: UInt64(row["size"] as Int64), rootHash: [UInt8](row["root"] as Data), note: row["note"], signedAt: row["signed_at"])
    }

    /// Runs `body` over the log in one read transaction, mapping its errors.
    private func readLog<T>(_ body: (MerkleLog<DatabaseMerkleHashStore>) throws -> T) throws -> T {
        try read { db in
            do {
                return try body(MerkleLog(store: DatabaseMerkleHashStore(db: db)))
            } catch let error as TransparencyError where error.code == .indexOutOfRange || error.code == .treeSizeOutOfRange {
                throw RegistryError(.invalidInput, error.reason)
            } catch let error as TransparencyError {
                throw RegistryError(.logInconsistent, error.reason)
            }
        }
    }
}
