import Foundation

/// Work that may never finish — a query to a database that stopped answering — run within a
/// time: whichever comes first, the work's result or the deadline's failure, is the answer,
/// and the other is cancelled. The work runs in a task of its own, so that an answer at the
/// deadline does not wait for work that ignores cancellation.
enum Deadline {
    /// Runs `body` within `limit`, failing with `failure` past it; the caller's cancellation
    /// cancels `body` and throws `CancellationError`.
    static func run<T: Sendable>(
        within limit: Duration, failure: @autoclosure @escaping @Sendable () -> any Error, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.start(continuation)
                race.add(Task {
                    do { race.settle(.success(try await body())) } catch { race.settle(.failure(error)) }
                })
                race.add(Task {
                    guard (try? await Task.sleep(for: limit)) != nil else { return }
                    race.settle(.failure(failure()))
                })
            }
        } onCancel: {
            race.settle(.failure(CancellationError()))
        }
    }

    /// The first result of the work and the timer, delivered once; the tasks of the loser are
    /// cancelled.
    private final class Race<T: Sendable>: @unchecked Sendable {
        private let lock = NSLock()
        private var continuation: CheckedContinuation<T, any Error>?
        private var settled: Result<T, any Error>?
        private var tasks: [Task<Void, Never>] = []

        func start(_ continuation: CheckedContinuation<T, any Error>) {
            lock.lock()
            guard let settled else {
                self.continuation = continuation
                lock.unlock()
                return
            }
            lock.unlock()
            // Cancelled before it started.
            continuation.resume(with: settled)
        }

        func add(_ task: Task<Void, Never>) {
            lock.lock()
            let isOver = settled != nil
            if !isOver { tasks.append(task) }
            lock.unlock()
            if isOver { task.cancel() }
        }

        func settle(_ result: Result<T, any Error>) {
            lock.lock()
            guard settled == nil else {
                lock.unlock()
                return
            }
            settled = result
            let continuation = continuation
            let tasks = tasks
            self.continuation = nil
            self.tasks = []
            lock.unlock()
            for task in tasks { task.cancel() }
            continuation?.resume(with: result)
        }
    }
}
