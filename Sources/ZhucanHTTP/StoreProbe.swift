import Logging
import ZhucanServiceStore

/// The store's answer to `GET /readyz`, asked at most once per `maxAge` and once at a time: a
/// load balancer, a monitor and a flood of callers share one probe, so a route without a key
/// cannot put more load on the database than one read a second, nor queue a wait of the
/// store's deadline per caller while it is down.
actor StoreProbe {
    private let store: any ServiceStore
    private let maxAge: Duration
    private var last: (at: ContinuousClock.Instant, answers: Bool)?
    private var running: Task<Bool, Never>?

    init(store: any ServiceStore, maxAge: Duration) {
        self.store = store
        self.maxAge = maxAge
    }

    /// Whether the store answers; a failed probe is logged with its error, which the answer
    /// itself never carries (it can name hosts and users).
    func answers(logger: Logger) async -> Bool {
        if let last, last.at.duration(to: .now) < maxAge { return last.answers }
        if let running { return await running.value }
        let task = Task { [store] in
            do {
                try await store.probe()
                return true
            } catch {
                logger.warning("readiness: the store does not answer", metadata: ["error": "\(error)"])
                return false
            }
        }
        running = task
        let answers = await task.value
        running = nil
        last = (.now, answers)
        return answers
    }
}
