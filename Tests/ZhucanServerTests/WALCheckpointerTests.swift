import Foundation
import GRDB
import HummingbirdTesting
import Testing
import ZhucanTesting
import ZhucanRegistry
import ZhucanHTTP
import ZhucanServer
import ZhucanServiceStore
import ZhucanTransparency
import Synchronization

@Suite("Server: WAL checkpoints beside the commits")
struct WALCheckpointerTests {
    static func event(_ index: Int) -> VerificationEvent {
        VerificationEvent(at: 1_800_000_000 + Int64(index), apiKey: "k", route: .verify, service: "free-bus", reason: "valid", licenseID: "L\(index)")
    }

    /// A fresh workspace whose registry's commits do not checkpoint, as in the service, with a
    /// checkpointer beside them and the WAL copied once.
    static func checkpointedBeside() throws -> (ServerFixture, Registry, WALCheckpointer) {
        let fixture = try ServerFixture(catalogue: false)
        let registry = fixture.workspace.registry
        let checkpointer = try WALCheckpointer(registry: registry)
        try checkpointer.checkpoint()
        try registry.disableAutomaticCheckpoints()
        return (fixture, registry, checkpointer)
    }

    /// The events in the registry file, read through a connection of its own.
    static func storedEvents(_ fixture: ServerFixture) throws -> Int {
        let fresh = try Registry(path: fixture.workspace.directory.appendingPathComponent("zhucan.db").path)
        return try fresh.verificationEvents(limit: 1_000_000).count
    }

    // GRDB's pool sets NORMAL when it turns WAL on, after the connection's own setup: a setting
    // made there was silently undone, and commits survived a crash but not a power loss.
    @Test("Every commit syncs the WAL (synchronous FULL on the writer), in a new registry and in one opened again")
    func commitsAreSynced() throws {
        let fixture = try ServerFixture(catalogue: false)
        #expect(try fixture.workspace.registry.syncsEveryCommit())
        let reopened = try Registry(path: fixture.workspace.directory.appendingPathComponent("zhucan.db").path)
        #expect(try reopened.syncsEveryCommit())
    }

    @Test("With commits' own checkpoints off the WAL grows past SQLite's 1,000 pages; a checkpoint copies it all, and the next commit starts it over")
    func growThenRestart() async throws {
        let (fixture, registry, checkpointer) = try Self.checkpointedBeside()
        for index in 0..<400 { try registry.recordVerification(Self.event(index)) }
        let grown = try #require(try checkpointer.checkpoint())
        #expect(grown.walFrames > 1_000, "SQLite checkpointed by itself: \(grown)")
        #expect(grown.checkpointed == grown.walFrames)
        try registry.recordVerification(Self.event(400))
        let restarted = try #require(try checkpointer.checkpoint())
        #expect(restarted.restarted)
        #expect(restarted.walFrames < 50, "the WAL did not start over: \(restarted)")
        #expect(restarted.checkpointed == restarted.walFrames)
        #expect(try Self.storedEvents(fixture) == 401)
    }

    @Test("A RESTART checkpoint gives up within its wait while a reader holds an older snapshot, and the PASSIVE one still copies")
    func restartWaitsForReaders() async throws {
        let (fixture, registry, checkpointer) = try Self.checkpointedBeside()
        try registry.recordVerification(Self.event(0))
        let reader = try DatabaseQueue(path: fixture.workspace.directory.appendingPathComponent("zhucan.db").path)
        let (seen, progress) = try Self.checkpointWhileReading(reader, registry: registry, checkpointer: checkpointer)
        #expect(seen == 1)
        #expect(progress?.restarted == false)
        #expect((progress?.walFrames ?? 0) > 0)
        let after = try #require(try checkpointer.checkpoint())
        #expect(after.restarted)
        #expect(try Self.storedEvents(fixture) == 21)
    }

    /// Commits 20 events and checkpoints while `reader` holds a snapshot with the events
    /// before them; returns how many events the reader saw, and the checkpoint's progress.
    static func checkpointWhileReading(
        _ reader: DatabaseQueue, registry: Registry, checkpointer: WALCheckpointer
    ) throws -> (seen: Int, progress: WALCheckpointer.Progress?) {
        try reader.read { db in
            let seen = try Int.fetchOne(db, sql: "SELECT count(*) FROM verification_event") ?? 0
            for index in 1...20 { try registry.recordVerification(Self.event(index)) }
            return (seen, try checkpointer.checkpoint())
        }
    }

    @Test("A RESTART checkpoint succeeds against a writer that is never idle, as a batch's is, and the WAL stays small")
    func restartBesideABusyWriter() async throws {
        let (fixture, registry, checkpointer) = try Self.checkpointedBeside()
        // Transactions of 200 events, one straight after another, as a batch's chunks are.
        let done = StopFlag()
        // However the test ends, the writer stops.
        defer { done.raised.store(true, ordering: .relaxed) }
        let writing = Task.detached {
            var index = 0
            while !done.raised.load(ordering: .relaxed) {
                try await registry.recordVerifications((index..<index + 200).map(Self.event))
                index += 200
            }
            return index
        }
        var restarts: [Bool] = []
        for _ in 0..<10 {
            try await Task.sleep(for: .milliseconds(20))
            restarts.append(try #require(try checkpointer.checkpoint()).restarted)
        }
        done.raised.store(true, ordering: .relaxed)
        let written = try await writing.value
        #expect(restarts.allSatisfy { $0 }, "RESTART lost to the writer: \(restarts)")
        let wal = fixture.workspace.directory.appendingPathComponent("zhucan.db-wal").path
        let walBytes = try #require(try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int)
        // A bound with room for a loaded machine; the restarts above are what the old
        // checkpointer failed (3–7 of 10 here).
        #expect(walBytes < 16 << 20, "the WAL grew to \(walBytes) bytes for \(written) events")
        #expect(try Self.storedEvents(fixture) == written)
    }

    @Test("RESTART is tried every interval, every 2nd, 4th … 64th while it finds readers, and every interval again once it works")
    func restartSchedule() {
        var schedule = RestartSchedule()
        /// The intervals, of the next `count`, at which it tries, each try failing unless `works`.
        func tries(_ count: Int, works: Bool = false) -> [Int] {
            (1...count).filter { _ in
                guard schedule.shouldTry() else { return false }
                schedule.record(restarted: works)
                return true
            }
        }
        // Gaps of 2, 4 and 8 intervals after each failed try.
        #expect(tries(16) == [1, 3, 7, 15])
        // Then 16, 32, 64, 64: intervals 31, 63, 127 and 191 of 216.
        #expect(tries(200) == [15, 47, 111, 175])
        var steady = RestartSchedule()
        #expect((1...5).allSatisfy { _ in let due = steady.shouldTry(); steady.record(restarted: true); return due })
    }

    @Test("Commits and checkpoints at once: every commit succeeds and every event is in the file")
    func concurrent() async throws {
        let (fixture, registry, checkpointer) = try Self.checkpointedBeside()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<4 {
                group.addTask {
                    for index in 0..<150 { try await registry.recordVerifications([Self.event(writer * 1_000 + index)]) }
                }
            }
            group.addTask {
                for _ in 0..<40 {
                    try checkpointer.checkpoint()
                    try await Task.sleep(for: .milliseconds(5))
                }
            }
            try await group.waitForAll()
        }
        try checkpointer.checkpoint()
        #expect(try Self.storedEvents(fixture) == 600)
    }

    @Test("A batch's registry is checkpointed from a thread beside its commits, and afterwards by its commits again")
    func checkpointingBeside() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let registry = fixture.workspace.registry
        let checkpointer = try WALCheckpointer(registry: registry)
        try checkpointer.checkpoint()
        let file = fixture.workspace.directory.appendingPathComponent("zhucan.db").path
        /// When the database file was last written: in WAL mode only a checkpoint writes it.
        func written() throws -> Date {
            try #require(try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date)
        }
        // Commits do not checkpoint meanwhile: past SQLite's 1,000 pages the WAL still holds
        // them all (the thread, every hour here, has not run).
        try await registry.checkpointingBeside(every: 3_600) {
            for index in 0..<500 { try registry.recordVerification(Self.event(index)) }
            let progress = try #require(try checkpointer.checkpoint(restart: false))
            #expect(progress.walFrames > 1_000, "a commit checkpointed: \(progress)")
        }
        // The thread does.
        try await registry.checkpointingBeside(every: 0.01) {
            let before = try written()
            // Some 250 WAL frames: no commit reaches SQLite's 1,000 pages and checkpoints.
            for index in 500..<600 { try registry.recordVerification(Self.event(index)) }
            let deadline = ContinuousClock.now + .seconds(10)
            while try written() == before, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(try written() > before, "nothing checkpointed the WAL beside the commits")
        }
        // The thread has stopped; past 1,000 pages a commit checkpoints by itself again.
        #expect(try registry.automaticCheckpointPages() == 1_000)
        let after = try written()
        for index in 600..<1_100 { try registry.recordVerification(Self.event(index)) }
        #expect(try written() > after, "commits no longer checkpoint the WAL")
        // A body that throws ends the same way, its error unchanged; a registry whose commits
        // do not checkpoint (the service's) is left so.
        try registry.disableAutomaticCheckpoints()
        await #expect(throws: CancellationError.self) {
            try await registry.checkpointingBeside(every: 0.01) { throw CancellationError() }
        }
        #expect(try registry.automaticCheckpointPages() == 0)
        #expect(try Self.storedEvents(fixture) == 1_100)
    }

    @Test("The service checkpoints the workspace registry while it runs")
    func serviceRunsCheckpoints() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let recorder = LogRecorder()
        let code = try fixture.identityCode()
        try await fixture.application(logger: recorder.logger, checkpointInterval: .milliseconds(50)).test(.live) { client async throws in
            for _ in 0..<20 {
                #expect(try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": code]).status == .ok)
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while !recorder.lines.contains(where: { $0.contains("WAL checkpoint") }), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        #expect(recorder.lines.contains { $0.hasPrefix("debug WAL checkpoint") && $0.contains("wal.checkpointed=") })
        #expect(try Self.storedEvents(fixture) == 20)
    }
}

/// Raised once, read by another task.
private final class StopFlag: Sendable {
    let raised = Atomic<Bool>(false)
}
