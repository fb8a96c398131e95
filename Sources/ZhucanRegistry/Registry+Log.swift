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
        try Row.fetchAll(
            db, sql: """
                SELECT e.idx, e.data, n.hash FROM log_entry e
                LEFT JOIN merkle_node n ON n.level = 0 AND n.idx = e.idx
                WHERE e.idx >= ? AND e.idx < ? ORDER BY e.idx
                """,
            arguments: [Int64(range.lowerBound), Int64(range.upperBound)]
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
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT idx, data FROM log_entry WHERE idx >= ? ORDER BY idx"), arguments: [Int64(size)]
        )
        guard !rows.isEmpty else { return }
        var hashes = [[UInt8]]()
        hashes.reserveCapacity(rows.count)
        for (offset, row) in rows.enumerated() {
            guard UInt64(row["idx"] as Int64) == size + UInt64(offset) else {
                throw RegistryError(.logInconsistent, "log entry \(size + UInt64(offset)) is missing")
            }
            hashes.append(MerkleTree.leafHash([UInt8](row["data"] as Data)))
        }
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
        // Read through SQLite's C API, a block at a time, each block hashed on the other
        // cores while the next is read: through GRDB's rows, and with reading and hashing
        // taking turns, this was the last 0.2 s of a 100,000-row batch, on one core.
        let statement = try db.makeStatement(sql: """
            SELECT e.idx, e.data, n.hash FROM log_entry e LEFT JOIN merkle_node n ON n.level = 0 AND n.idx = e.idx
            WHERE e.idx >= ? AND e.idx < ? ORDER BY e.idx
            """)
        let handle = statement.sqliteStatement
        sqlite3_bind_int64(handle, 1, Int64(start))
        sqlite3_bind_int64(handle, 2, Int64(end))
        defer { sqlite3_reset(handle) }
        func bytes(_ column: Int32) -> [UInt8]? {
            guard let blob = sqlite3_column_blob(handle, column) else { return sqlite3_column_type(handle, column) == SQLITE_NULL ? nil : [] }
            return [UInt8](UnsafeRawBufferPointer(start: blob, count: Int(sqlite3_column_bytes(handle, column))))
        }
        var count: UInt64 = 0
        var block: [LeafToCheck] = []
        block.reserveCapacity(leafCheckBlock)
        var hashing: LeafCheck?
        defer { hashing?.wait() }
        while true {
            let code = sqlite3_step(handle)
            guard code == SQLITE_ROW else {
                guard code == SQLITE_DONE else {
                    throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: statement.sql)
                }
                break
            }
            block.append(LeafToCheck(index: UInt64(sqlite3_column_int64(handle, 0)), data: bytes(1) ?? [], leafHash: bytes(2)))
            count += 1
            if block.count == leafCheckBlock {
                try hashing?.result()
                hashing = LeafCheck(block)
                block.removeAll(keepingCapacity: true)
            }
        }
        try hashing?.result()
        hashing = nil
        try checkLeafHashes(block)
        guard count == end - start else {
            throw RegistryError(.logInconsistent, "the log holds \(count) entries in \(start)..<\(end)")
        }
    }

    /// A log entry and the leaf hash the tree holds for it (`nil` when it holds none).
    private struct LeafToCheck {
        let index: UInt64
        let data: [UInt8]
        let leafHash: [UInt8]?
    }

    /// `checkLeafHashes` of one block, run on other threads while the caller goes on.
    private final class LeafCheck: Sendable {
        private let group = DispatchGroup()
        private let outcome = Mutex<Result<Void, any Error>?>(nil)

        init(_ block: [LeafToCheck]) {
            DispatchQueue.global().async(group: group) {
                let result = Result { try Registry.checkLeafHashes(block) }
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

    /// Throws for the first entry of `block` whose data does not hash to its leaf hash.
    private static func checkLeafHashes(_ block: [LeafToCheck]) throws {
        let workers = block.count < 256 ? 1 : ProcessInfo.processInfo.activeProcessorCount * 2
        let size = (block.count + workers - 1) / workers
        let mismatches = Mutex<[UInt64]>([])
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let first = block.dropFirst(worker * size).prefix(size).first { MerkleTree.leafHash($0.data) != $0.leafHash }
            if let first { mismatches.withLock { $0.append(first.index) } }
        }
        if let index = mismatches.withLock({ $0.min() }) {
            throw RegistryError(.logInconsistent, "log entry \(index) does not match its leaf hash")
        }
    }

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
