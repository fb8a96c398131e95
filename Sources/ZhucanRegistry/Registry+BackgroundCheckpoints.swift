import Foundation

extension Registry {
    /// Runs `body` with the WAL checkpointed every `interval` from a thread of its own, not
    /// inside commits: for a long run of commits, a batch.
    ///
    /// A commit that leaves more than 1,000 pages in the WAL checkpoints it itself: it copies
    /// the pages into the database file and fsyncs that. A batch in spreadsheet order dirties
    /// many index pages per chunk, so its single writer stopped every few chunks to do this,
    /// and the cores signing the next chunks waited for the writer. Here a `WALCheckpointer`
    /// does it beside the writer: PASSIVE every interval, then RESTART so that the WAL starts
    /// over, on a `RestartSchedule` (a RESTART that finds readers holds the write lock for up
    /// to 50 ms, so it is tried less often while it does).
    ///
    /// When `body` ends, by returning or throwing, the checkpoints stop, commits checkpoint
    /// themselves as they did before (the service, for one, keeps that off), and a last
    /// checkpoint copies what is left; a thread outside Swift's cooperative pool waits for all
    /// that. Durability is unchanged: a commit is durable once it is in the WAL (synchronous =
    /// FULL), checkpointed or not.
    /// - Throws: `RegistryError.storage` when the checkpointing connection cannot be opened;
    ///   whatever `body` throws.
    package func checkpointingBeside<T>(every interval: TimeInterval, _ body: () async throws -> T) async throws -> T {
        let checkpointer = try WALCheckpointer(registry: self)
        let automaticPages = try automaticCheckpointPages()
        try setAutomaticCheckpoints(pages: 0)
        let stop = DispatchSemaphore(value: 0)
        let stopped = DispatchSemaphore(value: 0)
        let thread = Thread {
            var schedule = RestartSchedule()
            while stop.wait(timeout: .now() + interval) == .timedOut {
                // A checkpoint that fails or finds the database busy only lets the WAL grow
                // until the next one.
                let restart = schedule.shouldTry()
                if let progress = try? checkpointer.checkpoint(restart: restart), restart {
                    schedule.record(restarted: progress.restarted)
                }
            }
            stopped.signal()
        }
        thread.name = "zhucan.checkpoint"
        thread.start()
        let outcome: Result<T, any Error>
        do {
            outcome = .success(try await body())
        } catch {
            outcome = .failure(error)
        }
        stop.signal()
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                stopped.wait()
                try? self.setAutomaticCheckpoints(pages: automaticPages)
                _ = try? checkpointer.checkpoint()
                finished.resume()
            }
        }
        return try outcome.get()
    }
}
