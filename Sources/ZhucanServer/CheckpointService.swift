import Logging
import ServiceLifecycle
import ZhucanRegistry

/// Checkpoints the workspace registry's WAL once per interval while the service runs, so that
/// group commits never stop to do it (`WALCheckpointer` says why). It runs beside the HTTP
/// server and stops after it on shutdown; the registry's last connection checkpoints what is
/// left when it closes.
struct CheckpointService: Service {
    let registry: Registry
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let checkpointer: WALCheckpointer
        do {
            checkpointer = try WALCheckpointer(registry: registry)
            try registry.disableAutomaticCheckpoints()
        } catch {
            // Commits go on checkpointing themselves, as before.
            logger.warning("cannot checkpoint the WAL beside the service", metadata: ["error": "\(error)"])
            try? await gracefulShutdown()
            return
        }
        try? await cancelWhenGracefulShutdown {
            var failing = false
            var schedule = RestartSchedule()
            while true {
                try await Task.sleep(for: interval)
                do {
                    let restart = schedule.shouldTry()
                    if let progress = try checkpointer.checkpoint(restart: restart) {
                        if restart { schedule.record(restarted: progress.restarted) }
                        logger.debug("WAL checkpoint", metadata: [
                            "wal.frames": .stringConvertible(progress.walFrames), "wal.checkpointed": .stringConvertible(progress.checkpointed),
                            "wal.restarted": .stringConvertible(progress.restarted),
                        ])
                    }
                    if failing { logger.notice("WAL checkpoints work again") }
                    failing = false
                } catch {
                    // The WAL grows until a checkpoint succeeds; commits are not affected.
                    if !failing { logger.warning("WAL checkpoint failed; retrying every interval", metadata: ["error": "\(error)"]) }
                    failing = true
                }
            }
        }
    }
}
