import Foundation

extension Registry {
    /// Runs `body` with the WAL checkpointed every `interval` from a thread of its own, not
    /// inside commits: for a long run of commits, a batch.
    ///
    /// A commit that leaves more than 1,000 pages in the WAL checkpoints it itself: it copies
    /// the pages into the database file and fsyncs that. A batch in spreadsheet order dirties
    /// many index pages per chunk, so its single writer stopped every few chunks to do this,
    /// and the cores signing the next chunks waited for the writer. Here a `WALCheckpointer`
    /// does it beside the writer (PASSIVE, then RESTART so that the WAL starts over).
    ///
    /// When `body` ends, by returning or throwing, the checkpoints stop, commits checkpoint
    /// themselves again, and a last checkpoint copies what is left. Durability is unchanged:
    /// a commit is durable once it is in the WAL (synchronous = FULL), checkpointed or not.
    /// - Throws: `RegistryError.storage` when the checkpointing connection cannot be opened;
    ///   whatever `body` throws.
    package func checkpointingBeside<T>(every interval: TimeInterval, _ body: () async throws -> T) async throws -> T {
        let checkpointer = try WALCheckpointer(registry: self)
        try setAutomaticCheckpoints(pages: 0)
        let stop = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
        let thread = Thread {
            while stop.wait(timeout: .now() + interval) == .timedOut {
                // A checkpoint that fails or finds the database busy only lets the WAL grow
                // until the next one.
                _ = try? checkpointer.checkpoint()
            }
            stopped.signal()
        }
        thread.name = "zhucan.checkpoint"
        thread.start()
        defer {
            stop.signal()
            stopped.wait()
            try? setAutomaticCheckpoints(pages: 1_000)
            _ = try? checkpointer.checkpoint()
        }
        return try await body()
    }
}
