import Synchronization
import ZhucanServiceStore

/// Group commit for verification events: concurrent requests hand their events to one writer,
/// which commits everything waiting in one transaction, then answers every request of the
/// batch. Each request still returns only after its event is committed (durable, as before),
/// but many requests share one commit and one fsync instead of queueing for one each.
///
/// The batch is whatever arrived while the previous commit ran, so a lone request waits for
/// no one, and under load batches grow with it. A failed commit fails every request of its
/// batch (they answer 500, as a failed single insert would).
package final class VerificationEventWriter: Sendable {
    private struct Pending {
        package var events: [VerificationEvent] = []
        package var waiters: [CheckedContinuation<Void, any Error>] = []
        package var isWriting = false
    }

    private let store: any ServiceStore
    private let pending = Mutex(Pending())

    package init(store: any ServiceStore) {
        self.store = store
    }

    /// Records `event`, returning once it is committed.
    /// - Throws: the store's error when its batch could not be committed.
    package func record(_ event: VerificationEvent) async throws {
        try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Void, any Error>) in
            let startsWriter = pending.withLock { pending in
                pending.events.append(event)
                pending.waiters.append(waiter)
                guard !pending.isWriting else { return false }
                pending.isWriting = true
                return true
            }
            if startsWriter {
                Task { await self.writeUntilEmpty() }
            }
        }
    }

    /// Commits batches until nothing is waiting.
    private func writeUntilEmpty() async {
        while true {
            let batch = pending.withLock { pending -> Pending? in
                guard !pending.events.isEmpty else {
                    pending.isWriting = false
                    return nil
                }
                let batch = pending
                pending.events = []
                pending.waiters = []
                return batch
            }
            guard let batch else { return }
            do {
                try await store.recordVerifications(batch.events)
                for waiter in batch.waiters { waiter.resume() }
            } catch {
                for waiter in batch.waiters { waiter.resume(throwing: error) }
            }
        }
    }
}
