import Foundation
import ZhucanRegistry
import ZhucanSigning

extension Workspace {
    /// How far a batch has got.
    package struct BatchProgress: Sendable {
        /// Rows handled so far (issued or skipped).
        package let done: Int
        /// Rows in the batch.
        package let total: Int
    }

    /// What a batch did.
    package struct BatchSummary: Sendable, Hashable {
        /// New certificates (including re-issuances).
        package var issued = 0
        /// Of those, re-issuances that superseded a live certificate (category or level change).
        package var superseded = 0
        /// Rows skipped because the person already has a live certificate with the same
        /// category and level (for example, issued by an interrupted earlier run).
        package var alreadyIssued = 0
        /// Of those, rows whose name, region, social-security card or start date differ from
        /// the certificate held: a corrected file re-run changes nothing, and says so.
        package var alreadyIssuedDiffering = 0
        /// The masked numbers of the first of those certificates (at most `differingShown`).
        package var differing: [String] = []
        /// How many differing certificates are named.
        package static let differingShown = 20
        /// Rows not issued because they would supersede a suspended certificate, which only
        /// `zhucan reinstate` or `zhucan revoke` may end (`Workspace.issue`).
        package var heldSuspended = 0
        /// The masked numbers of the first of those certificates (at most `differingShown`).
        package var suspended: [String] = []
    }

    /// Issues certificates for `requests` (already validated, one per person).
    ///
    /// Rows are signed in parallel on every core and stored in chunks, each chunk with its
    /// events in one transaction, the next chunks signing while one is stored: an interruption
    /// (Ctrl-C, kill -9, power loss) loses at most the chunks in flight, never half a
    /// certificate, and running the same batch again skips everyone already issued, so nobody
    /// is issued twice. The status list is republished once
    /// at the end — also when a re-run issues nobody, so that a run killed after its last
    /// chunk still ends published and checkpointed.
    ///
    /// It holds the workspace's issuance lock throughout (a second batch is refused with a
    /// clear message), and starts by reclaiming the status indexes and serial numbers that an
    /// interrupted run reserved and never stored.
    ///
    /// Rows are issued in the order of their citizen ID numbers, not the file's. The registry's
    /// index of a person's certificates is keyed by that number, and a spreadsheet lists people
    /// in no order: each row's index entry then landed on a page of its own, which at a million
    /// rows outgrew the writer's memory, and the rate fell by a seventh over the run. In order,
    /// one chunk's entries share their pages. Nothing else depends on the order: a re-run skips
    /// whoever is issued, whatever the order of the first run.
    ///
    /// The WAL is checkpointed beside the batch, not inside its commits
    /// (`Registry.checkpointingBeside`): with the writer's own checkpoints, 100,000 ES256 rows in
    /// random order ran at 20.5k–22.2k rows/s, and at 23.7k–26.0k without (three runs each).
    package func issueBatch(
        _ requests: consuming [IssueRequest],
        now: Int64,
        chunkSize: Int = 512,
        progress: @Sendable (BatchProgress) -> Void = { _ in }
    ) async throws -> BatchSummary {
        let lock = try IssuanceLock(workspace: directory, wait: .zero, holder: "zhucan issue --batch")
        defer { withExtendedLifetime(lock) {} }
        try Self.wrap { try registry.reclaimReservations() }
        // By `CitizenIDNumber.ordinal`, the same order: comparing the numbers' text took 0.3 s
        // of a million-row batch, on one core before anything was signed.
        requests.sort { $0.citizenID.ordinal < $1.citizenID.ordinal }
        let ordered = consume requests
        let summary: BatchSummary
        do {
            summary = try await registry.checkpointingBeside(every: 0.25) {
                try await issueChunks(ordered, now: now, chunkSize: chunkSize, progress: progress)
            }
        } catch {
            throw Self.issuerError(error)
        }
        try publishStatusList(holding: lock, now: now)
        return summary
    }

    /// `issueBatch` without its lock, reservations and publication: the chunks' pipeline.
    private func issueChunks(
        _ requests: [IssueRequest], now: Int64, chunkSize: Int, progress: @Sendable (BatchProgress) -> Void
    ) async throws -> BatchSummary {
        var summary = BatchSummary()
        let (key, entry) = try signingKey(at: now)
        let compact = compactCodesReady(entry)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        var done = 0
        // A pipeline: the chunks ahead are signed on every core while one is stored (SQLite
        // has a single writer). With one chunk ahead, a core that had signed it before the
        // store ended sat idle until the store returned and the loop started the next: over
        // 100,000 ES256 rows the two cores were 80% busy (34,800 rows/s); four ahead, 95%
        // (38,000–42,000 rows/s).
        var signing: [(task: Task<[Prepared], any Error>, rows: Int)] = []
        func store(_ pending: (task: Task<[Prepared], any Error>, rows: Int)) async throws {
            let prepared = try await pending.task.value
            try Self.wrap {
                _ = try registry.storeIssued(prepared.map { ($0.record, $0.supersedes?.id) }, reason: "batch")
            }
            Failpoint.reach("batch.chunk-stored")
            summary.issued += prepared.count
            summary.superseded += prepared.filter { $0.supersedes != nil }.count
            done += pending.rows
            progress(BatchProgress(done: done, total: requests.count))
        }
        // A failure stops the chunks being signed too: nothing is stored after it.
        defer { for pending in signing { pending.task.cancel() } }
        for start in stride(from: 0, to: requests.count, by: chunkSize) {
            let chunk = Array(requests[start..<min(start + chunkSize, requests.count)])
            let live = try Self.wrap { try registry.liveCertificates(citizenIDs: chunk.map(\.citizenID.value)) }
            var toIssue: [(request: IssueRequest, supersedes: StoredCertificate?)] = []
            for request in chunk {
                let existing = live[request.citizenID.value]
                if let existing, existing.category == request.category.rawValue, existing.level == request.level.rawValue {
                    summary.alreadyIssued += 1
                    if Self.differs(existing, from: request) {
                        summary.alreadyIssuedDiffering += 1
                        if summary.differing.count < BatchSummary.differingShown { summary.differing.append(Self.maskedNumber(existing.number)) }
                    }
                } else if let existing, existing.state == .suspended {
                    summary.heldSuspended += 1
                    if summary.suspended.count < BatchSummary.differingShown { summary.suspended.append(Self.maskedNumber(existing.number)) }
                } else {
                    toIssue.append((request, existing))
                }
            }
            let items = toIssue
            let reservations = try Self.wrap { try registry.reserve(items.count) }
            Failpoint.reach("batch.chunk-reserved")
            signing.append((Task {
                try await self.prepareChunk(items, reservations: reservations, key: key, compact: compact, now: now, workers: workers)
            }, chunk.count))
            if signing.count > Self.chunksSignedAhead {
                try await store(signing.removeFirst())
            }
        }
        while !signing.isEmpty {
            try await store(signing.removeFirst())
        }
        return summary
    }

    /// Whether a row differs from the live certificate it would have issued again: the name,
    /// region, card or start date (each only when the row gives it).
    private static func differs(_ stored: StoredCertificate, from request: IssueRequest) -> Bool {
        stored.name != request.name.unmaskedValue || stored.region != request.region.value
            || request.socialSecurityCard.map { $0.value != stored.socialSecurityCard } ?? false
            || request.validFrom.map { $0.description != stored.validFrom } ?? false
    }

    /// How many chunks are signed while the one before them is stored.
    private static let chunksSignedAhead = 4

    /// Signs a chunk's certificates on `workers` cores at once, in the chunk's order.
    private func prepareChunk(
        _ items: [(request: IssueRequest, supersedes: StoredCertificate?)], reservations: [Registry.Reservation], key: PrivateKey,
        compact: Bool, now: Int64, workers: Int
    ) async throws -> [Prepared] {
        try await withThrowingTaskGroup(of: [(Int, Prepared)].self) { group in
            // Several slices per core, not one: the store of the previous chunk shares a core
            // with them, and with one slice per core the others then waited, idle, for the
            // slowest.
            let slice = max(1, (items.count + workers * 8 - 1) / (workers * 8))
            for start in stride(from: 0, to: items.count, by: slice) {
                let range = start..<min(start + slice, items.count)
                group.addTask {
                    try range.map { index in
                        (index, try self.prepare(items[index].request, reservation: reservations[index],
                                                 supersedes: items[index].supersedes, key: key, compact: compact, now: now))
                    }
                }
            }
            var all: [(Int, Prepared)] = []
            for try await part in group { all += part }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }
}
