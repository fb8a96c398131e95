import Foundation
import ZhucanIdentifiers
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
        /// Rows not issued because they would supersede a live certificate (a new category or
        /// level) in another name: a re-assessment keeps the name (`Workspace.issue` refuses
        /// the same), and a column sorted on its own gives every row another person's name.
        package var heldNames = 0
        /// The masked numbers of the first of those certificates (at most `differingShown`).
        package var names: [String] = []
        /// Rows not issued because their social-security card is on another person's live
        /// certificate (`Workspace.issue` refuses the same).
        package var heldCards = 0
        /// The masked cards of the first of those rows (at most `differingShown`).
        package var cards: [String] = []
        /// Rows held back, for a suspended certificate, another name or another person's card.
        package var heldBack: Int { heldSuspended + heldNames + heldCards }
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
    ///
    /// With `resigning`, the issuer key id of a revoked key (``reissueCertificates(signedBy:now:progress:)``),
    /// a live certificate with the same category and level that this key signed is issued
    /// again and superseded, not skipped.
    package func issueBatch(
        _ requests: consuming [IssueRequest],
        now: Int64,
        chunkSize: Int = 512,
        resigning: String? = nil,
        progress: @Sendable (BatchProgress) -> Void = { _ in }
    ) async throws -> BatchSummary {
        let lock = try IssuanceLock(workspace: directory, wait: .zero, holder: resigning == nil ? "zhucan issue --batch" : "zhucan reissue")
        defer { withExtendedLifetime(lock) {} }
        try Self.wrap { try registry.reclaimReservations() }
        // By `CitizenIDNumber.ordinal`, the same order: comparing the numbers' text took 0.3 s
        // of a million-row batch, on one core before anything was signed.
        requests.sort { $0.citizenID.ordinal < $1.citizenID.ordinal }
        let ordered = consume requests
        let summary: BatchSummary
        do {
            summary = try await registry.checkpointingBeside(every: 0.25) {
                try await issueChunks(ordered, now: now, chunkSize: chunkSize, resigning: resigning, progress: progress)
            }
        } catch {
            throw Self.issuerError(error)
        }
        try publishStatusList(holding: lock, now: now)
        return summary
    }

    /// `issueBatch` without its lock, reservations and publication: the chunks' pipeline.
    private func issueChunks(
        _ requests: [IssueRequest], now: Int64, chunkSize: Int, resigning: String?, progress: @Sendable (BatchProgress) -> Void
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
                _ = try registry.storeIssued(prepared.map { ($0.record, $0.supersedes?.id) }, reason: resigning.map { "re-signed: issuer key \($0)" } ?? "batch")
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
            // The cards that are new to their person: only those may be another's. A re-run, a
            // re-sign and most re-issues find every card on the person's own certificate and
            // ask nothing more.
            let cards = resigning != nil ? [] : chunk.compactMap { request in
                request.socialSecurityCard.flatMap { card in live[request.citizenID.value]?.socialSecurityCard == card.value ? nil : card.value }
            }
            let cardHolders = cards.isEmpty ? [:] : try Self.wrap { try registry.liveCertificates(socialSecurityCards: cards) }
            var toIssue: [(request: IssueRequest, supersedes: StoredCertificate?)] = []
            for request in chunk {
                let existing = live[request.citizenID.value]
                if let card = request.socialSecurityCard, let holder = cardHolders[card.value], holder.citizenID != request.citizenID.value {
                    summary.heldCards += 1
                    if summary.cards.count < BatchSummary.differingShown { summary.cards.append(card.masked) }
                    continue
                }
                // Re-signing: only a certificate still live, unchanged and signed by that key. The
                // rows were read before the lock was taken: one revoked, re-issued or changed
                // since is left as it now is (a revoked holder must not get a new certificate).
                if let resigning, existing == nil || existing?.keyID != resigning
                    || existing?.category != request.category.rawValue || existing?.level != request.level.rawValue
                {
                    summary.alreadyIssued += 1
                    continue
                }
                if let existing, existing.category == request.category.rawValue, existing.level == request.level.rawValue,
                    existing.keyID != resigning
                {
                    summary.alreadyIssued += 1
                    if Self.differs(existing, from: request) {
                        summary.alreadyIssuedDiffering += 1
                        if summary.differing.count < BatchSummary.differingShown { summary.differing.append(Self.maskedNumber(existing.number)) }
                    }
                } else if let existing, existing.state == .suspended {
                    summary.heldSuspended += 1
                    if summary.suspended.count < BatchSummary.differingShown { summary.suspended.append(Self.maskedNumber(existing.number)) }
                } else if let existing, resigning == nil, !request.name.isSame(as: existing.name) {
                    summary.heldNames += 1
                    if summary.names.count < BatchSummary.differingShown { summary.names.append(Self.maskedNumber(existing.number)) }
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

    /// Issues again, signed by the active key, every live certificate that `keyID` signed (a
    /// revoked key, `revokeIssuerKey`, whose certificates verifiers now refuse): each one a
    /// new version of the same certificate (the same e-license serial, version + 1, the same
    /// holder, category, level, region, card and start) that supersedes it, through the
    /// batch's pipeline. Suspended certificates are held (`BatchSummary.heldSuspended`): a new
    /// one would be active. Run again after an interruption, it issues only what is left.
    /// - Throws: `IssuerError.notAllowed` for the active key: what it signed would be signed
    ///   again by the same key.
    package func reissueCertificates(
        signedBy keyID: String, now: Int64, progress: @Sendable (BatchProgress) -> Void = { _ in }
    ) async throws -> BatchSummary {
        let keyID = keyID.lowercased()
        let keys = try Self.wrap { try registry.keys(role: .issuer) }
        guard let key = keys.first(where: { $0.keyID == keyID }) else { throw IssuerError(.notFound, "no issuer key \(keyID) in this workspace") }
        guard key.state != "active" else {
            throw IssuerError(.notAllowed, "issuer key \(keyID) is the active key: rotate (`zhucan keys rotate`), revoke it (`zhucan keys revoke`), then re-issue")
        }
        var requests: [IssueRequest] = []
        try Self.wrap {
            try registry.forEachCertificate(in: [.active, .suspended]) { stored in
                guard stored.keyID == keyID else { return }
                guard let category = DisabilityCategory(rawValue: stored.category), let level = DisabilityLevel(rawValue: stored.level) else {
                    throw IssuerError(.internalFailure, "certificate \(Self.maskedNumber(stored.number)) has no valid category and level")
                }
                requests.append(IssueRequest(
                    name: try PersonName(stored.name), citizenID: try CitizenIDNumber(stored.citizenID), category: category, level: level,
                    region: try RegionCode(stored.region), socialSecurityCard: try stored.socialSecurityCard.map { try SocialSecurityCardNumber($0) },
                    validFrom: try CivilDate(stored.validFrom)
                ))
            }
        }
        return try await issueBatch(requests, now: now, resigning: keyID, progress: progress)
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
