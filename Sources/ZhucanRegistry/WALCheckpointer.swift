import Foundation
import GRDB
import GRDBSQLite
import ZhucanServiceStore

/// Copies the registry's write-ahead log into the database file beside its commits, so that no
/// commit has to.
///
/// SQLite checkpoints by itself when a commit leaves more than 1,000 pages in the WAL, inside
/// that commit: the copy and the database file's fsync. In the verification service every
/// request of a group commit then waited for it — `POST /v1/verify` at 1,000 requests/s had a
/// p99 of 17 ms, against 5 ms with checkpoints moved out of the commit. The service turns the
/// writer's automatic checkpoints off (`Registry.disableAutomaticCheckpoints()`) and calls
/// `checkpoint()` every second. A batch does the same while it runs
/// (`Registry.checkpointingBeside`).
///
/// Each call makes two checkpoints (`sqlite3_wal_checkpoint_v2`, https://sqlite.org/wal.html):
/// - PASSIVE, from a connection of its own, copies what it can without waiting for the writer
///   or readers, which go on meanwhile: the bulk of the work, off the commit path.
/// - RESTART then copies the few frames committed meanwhile and waits for readers of older
///   snapshots, so that the next commit starts the WAL from its beginning. Without it the WAL
///   never restarts: a commit only rewinds it when the log was wholly copied before it began,
///   which a checkpoint running beside a stream of commits never leaves. It runs on the
///   registry's writer connection, queued between two of its transactions. From a connection
///   of its own it had to win SQLite's write lock, and against a writer that is never idle (a
///   batch) it almost never did: SQLite's busy handler sleeps and retries, and the writer had
///   begun its next transaction each time — the WAL of a 100,000-row batch grew to 230 MB, and
///   its commits paid for zeroing new file pages. It waits for readers at most `restartWait`,
///   and the registry's writes wait meanwhile, so a caller that finds it busy should try it
///   less often (`RestartSchedule`).
///
/// Durability is unchanged: a commit is durable once it is in the WAL (synchronous = FULL),
/// checkpointed or not.
package final class WALCheckpointer: Sendable {
    /// How long a RESTART checkpoint waits for readers of older snapshots.
    static let restartWait: TimeInterval = 0.05

    private let connection: DatabaseQueue
    private let registry: Registry

    /// Opens a connection of its own to `registry`'s file.
    /// - Throws: `RegistryError.storage` when it cannot be opened.
    package init(registry: Registry) throws {
        self.registry = registry
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.restartWait)
        configuration.label = "zhucan.checkpoint"
        do {
            connection = try DatabaseQueue(path: registry.pool.path, configuration: configuration)
        } catch {
            throw RegistryError(.storage, "cannot open the registry for checkpoints: \(error)")
        }
    }

    /// How far a checkpoint got.
    package struct Progress: Sendable, Equatable {
        /// Frames in the WAL.
        package let walFrames: Int
        /// Frames of them now in the database file.
        package let checkpointed: Int
        /// Whether the RESTART checkpoint completed: the next commit starts the WAL over.
        package let restarted: Bool
    }

    /// One PASSIVE checkpoint, then, with `restart`, a RESTART one on the registry's writer
    /// connection once its queued writes are done, if readers of older snapshots finish within
    /// `restartWait`. It blocks the calling thread meanwhile, as any registry write does.
    /// - Returns: how far it got, or `nil` when another connection was checkpointing or
    ///   recovering the database (SQLITE_BUSY): nothing was done, try again later.
    /// - Throws: `RegistryError.storage` when SQLite fails otherwise.
    @discardableResult
    package func checkpoint(restart: Bool = true) throws -> Progress? {
        do {
            guard let passive = try connection.writeWithoutTransaction({ db in try Self.checkpoint(.passive, db) }) else { return nil }
            guard restart, let restarted = try registry.pool.writeWithoutTransaction({ db in try Self.restart(db) }) else {
                return Progress(walFrames: passive.walFrameCount, checkpointed: passive.checkpointedFrameCount, restarted: false)
            }
            return Progress(walFrames: restarted.walFrameCount, checkpointed: restarted.checkpointedFrameCount, restarted: true)
        } catch {
            throw RegistryError(.storage, "checkpoint failed: \(error)")
        }
    }

    /// A RESTART checkpoint on the registry's writer connection, waiting for readers at most
    /// `restartWait` instead of the writer's usual `Registry.busyTimeout` (set as GRDB sets it,
    /// with `sqlite3_busy_timeout`, which cannot fail).
    private static func restart(_ db: Database) throws -> (walFrameCount: Int, checkpointedFrameCount: Int)? {
        sqlite3_busy_timeout(db.sqliteConnection, CInt(restartWait * 1_000))
        defer { sqlite3_busy_timeout(db.sqliteConnection, CInt(Registry.busyTimeout * 1_000)) }
        return try checkpoint(.restart, db)
    }

    /// `sqlite3_wal_checkpoint_v2`'s frame counts, or `nil` for SQLITE_BUSY.
    private static func checkpoint(_ mode: Database.CheckpointMode, _ db: Database) throws -> (walFrameCount: Int, checkpointedFrameCount: Int)? {
        do {
            return try db.checkpoint(mode)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            return nil
        }
    }
}
