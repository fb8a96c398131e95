import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import ZhucanSigning
import ZhucanServiceStore
import ZhucanTransparency

/// Keeps a node's lists current: every interval it fetches the log checkpoint and checks
/// that it extends the last one trusted, then the trust list, each status list and any new
/// catalogue edition, each with a conditional GET, each checked before it replaces the one in
/// use (`NodeLists`). What passes is cached on disk; what fails is counted, logged, and
/// leaves the last good object in use. Each list is fetched on its own: one endpoint that
/// fails never keeps the node from the others, above all from a status list that revokes.
/// When the issuer answers for no status list, the interval doubles, up to the maximum
/// backoff; another endpoint that fails does not slow the status lists down (``wait(after:previous:)``).
/// A round is `reached` (`zhucan_node_refresh_rounds_total`) only when it brought the trust
/// list and every status list up to date: a refused list is not.
///
/// The floor of each list taken (`ListFloor`) is kept in the node's store, apart from the
/// cache: read before the cache at start, raised after each round. A list older than its
/// floor is refused, so a cache lost or damaged does not let an older list back in, and a new
/// node sharing the store (PostgreSQL) starts from what the others have taken.
///
/// The node as a log monitor: a checkpoint that does not extend the trusted one — a smaller
/// tree, another root at the same size, or a consistency proof (RFC 9162 §2.1.4) that does not
/// verify — is refused and raised (`zhucan_node_log_inconsistent`, an error log line). With
/// the log key pinned, no list is taken in that round: the node keeps serving on the last
/// consistent lists. Without it the problem is reported and the lists are taken all the same.
package final class ListRefresher: Service, Sendable {
    let configuration: NodeConfiguration
    let lists: NodeLists
    let cache: ListCache
    let client: IssuerClient
    let metrics: NodeMetrics
    let logger: Logger
    let clock: @Sendable () -> Int64
    /// Where the list floors are kept: the node's store.
    let store: any ServiceStore
    /// The floors the store is known to hold; nil until they were read from it.
    private let keptFloors = Mutex<[String: ListFloor]?>(nil)
    private let etags = Mutex<[String: String]>([:])
    private let trusted = Mutex<(note: [UInt8], checkpoint: Checkpoint)?>(nil)
    /// What last kept each needed list (or, with a log key, the checkpoint) from being
    /// fetched or taken, by label; gone once it is.
    private let problems = Mutex<[String: String]>([:])
    /// Whether a round was asked for early (`refreshSoon`), and when one may be.
    private let wake = Mutex(Wake())

    package init(
        configuration: NodeConfiguration, lists: NodeLists, cache: ListCache, store: any ServiceStore, metrics: NodeMetrics, logger: Logger,
        clock: @escaping @Sendable () -> Int64
    ) {
        self.configuration = configuration
        self.lists = lists
        self.cache = cache
        self.store = store
        client = IssuerClient(base: configuration.issuer, timeout: configuration.fetchTimeout, maxBytes: configuration.maxObjectBytes)
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
        metrics.service.updateBeforeExposition { [weak self] in self?.report() }
    }

    /// Reads the list floors kept in the store, then takes the cached objects, checked as if
    /// fetched (an expired one is still taken): a cached list older than its floor is refused.
    package func loadCache() async {
        await loadFloors()
        let now = clock()
        // Only a signed checkpoint is kept across restarts (`refreshCheckpoint`).
        if configuration.logKey != nil {
            do {
                if let bytes = try cache.read(ListCache.checkpoint) {
                    let checkpoint = try openCheckpoint(bytes)
                    trusted.withLock { $0 = (bytes, checkpoint) }
                }
            } catch {
                // The log is then watched from whatever checkpoint the issuer gives next, as
                // on a node's first start: say so, since that one is trusted unchecked.
                logger.error("the cached log checkpoint cannot be read; the next one from the issuer is trusted without a consistency check", metadata: [
                    "file": .string(cache.directory.appendingPathComponent(ListCache.checkpoint).path), "error": .string("\(error)"),
                ])
            }
        }
        if let bytes = cached(ListCache.trustList) {
            take("trust-list") { () throws(NodeLists.Refusal) in try lists.offerTrustList(String(decoding: bytes, as: UTF8.self), now: now, cached: true) }
        }
        for id in configuration.statusListIDs {
            if let bytes = cached(ListCache.statusList(id)) {
                take("status-list/\(id)") { () throws(NodeLists.Refusal) in try lists.offerStatusList(id: id, bytes, now: now, cached: true) }
            }
        }
        for sequence in cache.catalogueSequences() {
            if let bytes = cached(ListCache.catalogue(sequence)) {
                take("catalogue/\(sequence)") { () throws(NodeLists.Refusal) in
                    try lists.offerCatalogue(sequence: sequence, String(decoding: bytes, as: UTF8.self))
                }
            }
        }
        report(now: now)
        if lists.isLoaded(statusListIDs: configuration.statusListIDs) {
            logger.info("lists loaded from the cache", metadata: ["cache": .string(cache.directory.path)])
        }
    }

    /// The cached file `name`, or nil when there is none or it cannot be read (logged).
    private func cached(_ name: String) -> [UInt8]? {
        do {
            return try cache.read(name)
        } catch {
            logger.warning("a cached list cannot be read; it is fetched from the issuer", metadata: [
                "file": .string(name), "error": .string("\(error)"),
            ])
            return nil
        }
    }

    package func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var delay = self.configuration.refreshInterval
            var early = false
            while true {
                let trustList = self.lists.floors["trust-list"]
                let round = await self.refresh()
                if early { self.brought(newTrustList: self.lists.floors["trust-list"] != trustList) }
                delay = self.wait(after: round, previous: delay)
                self.wake.withLock { $0.backingOff = !round.statusListAnswered }
                early = try await self.pause(delay)
            }
        }
    }

    /// The least time between two rounds `refreshSoon()` brings forward: a stream of codes
    /// naming unknown keys costs the issuer one conditional GET per node this often at most.
    package static let earlyRefreshSpacing: Duration = .seconds(5)

    /// When `refreshSoon()` may bring a round forward.
    private struct Wake {
        var requested = false
        var last: ContinuousClock.Instant?
        /// The least time between two rounds brought forward: `earlyRefreshSpacing`, doubled
        /// after each that brought no new trust list (codes of another issuer, which no list
        /// of this one names), up to the refresh interval.
        var spacing = ListRefresher.earlyRefreshSpacing
        /// Whether rounds are backing off (the issuer answered for no status list).
        var backingOff = false
    }

    /// Brings the next round forward, unless one was brought forward less than the spacing ago
    /// (``earlyRefreshSpacing``, growing while such rounds bring nothing), or rounds are
    /// backing off from an issuer that does not answer. A code signed by a key the held trust
    /// list does not name is most likely signed by the key the issuer has just rotated to,
    /// whose trust list the node would otherwise take only at the end of its interval: until
    /// then every code the issuer mints is `unknown_key` here.
    package func refreshSoon() {
        wake.withLock { state in
            let now = ContinuousClock.now
            guard !state.backingOff else { return }
            if let last = state.last, now - last < state.spacing { return }
            state.requested = true
            state.last = now
        }
    }

    /// After a round brought forward: the spacing back to ``earlyRefreshSpacing`` when it took a
    /// new trust list, else doubled, up to the refresh interval.
    private func brought(newTrustList: Bool) {
        let ceiling = max(configuration.refreshInterval, Self.earlyRefreshSpacing)
        wake.withLock { $0.spacing = newTrustList ? Self.earlyRefreshSpacing : min($0.spacing * 2, ceiling) }
    }

    /// Sleeps `delay`, or less when `refreshSoon()` asks.
    /// - Returns: whether it was cut short so.
    private func pause(_ delay: Duration) async throws -> Bool {
        let deadline = ContinuousClock.now + delay
        while ContinuousClock.now < deadline, !wake.withLock({ $0.requested }) {
            try await Task.sleep(for: min(.milliseconds(200), deadline - ContinuousClock.now))
        }
        return wake.withLock { state in
            defer { state.requested = false }
            return state.requested
        }
    }

    // MARK: Floors

    /// Raises the floors of the lists to those kept in the store, and drops a list held below
    /// its floor. Floors that cannot be read are logged, and asked for again at the start of
    /// the next round; meanwhile lists are judged against the newest this node has taken since
    /// it started, and nothing is kept.
    private func loadFloors() async {
        let floors: [String: ListFloor]
        do {
            floors = try await store.listFloors()
        } catch {
            logger.warning("cannot read the list floors from the node's store; an older list than one taken before is refused only while this node holds the newer", metadata: [
                "error": .string("\(error)"),
            ])
            return
        }
        let ahead = lists.raise(floors: floors, now: clock())
        if !ahead.isEmpty {
            logger.warning("list floors signed later than this node's clock allows are left aside: check the clock (NTP)", metadata: [
                "lists": .string(ahead.joined(separator: ",")),
            ])
        }
        keptFloors.withLock { $0 = floors }
    }

    /// Keeps in the store each floor raised since it was last kept. A failure is logged and
    /// tried again at the next round.
    private func keepFloors() async {
        guard keptFloors.withLock({ $0 }) != nil else { return }
        let kept = keptFloors.withLock { $0 } ?? [:]
        for (list, floor) in lists.floors.sorted(by: { $0.key < $1.key }) where kept[list].map({ floor > $0 }) ?? true {
            do {
                try await store.raiseListFloor(list, to: floor)
                keptFloors.withLock { $0?[list] = floor }
            } catch {
                metrics.recordStoreFailure("floor")
                logger.warning("cannot keep a list's floor in the node's store; with its cache lost, a restarted node could take an older list", metadata: [
                    "list": .string(list), "error": .string("\(error)"),
                ])
                return
            }
        }
    }

    /// What a round came to.
    package struct Round: Sendable, Equatable {
        /// Whether it brought the trust list and every status list up to date: each fetched
        /// and taken, or unchanged, and not held back by the log. A refused object, a failed
        /// fetch, a 404 or an inconsistent signed log is not.
        package let reached: Bool
        /// Whether the issuer answered for a status list (taken, unchanged or refused).
        package let statusListAnswered: Bool
    }

    /// The wait before the next round: the interval, doubled after each round in which the
    /// issuer answered for no status list, up to the maximum backoff. Another endpoint that
    /// fails (the trust list, a catalogue edition, one of several status lists) leaves it at
    /// the interval: it must not hold back a revocation.
    package func wait(after round: Round, previous: Duration) -> Duration {
        round.statusListAnswered ? configuration.refreshInterval : min(previous * 2, configuration.maxBackoff)
    }

    /// What a round got for a list the node needs.
    private enum Outcome {
        /// No answer: a failed fetch, a 404.
        case unanswered
        /// An answer the node refused: the list it holds stays.
        case refused
        /// Taken, or unchanged.
        case current
    }

    /// One round: the floors if not read yet, the checkpoint, then each list on its own, then
    /// the floors raised kept.
    @discardableResult
    package func refresh() async -> Round {
        if keptFloors.withLock({ $0 }) == nil { await loadFloors() }
        var reached = await refreshCheckpoint()
        var statusListAnswered = false
        if reached {
            let trustList = await refreshTrustList()
            var statusLists = true
            for id in configuration.statusListIDs {
                let outcome = await refreshStatusList(id)
                statusLists = statusLists && outcome == .current
                statusListAnswered = statusListAnswered || outcome != .unanswered
            }
            await refreshCatalogues()
            reached = trustList == .current && statusLists
        }
        await keepFloors()
        report(now: clock())
        metrics.recordRound(reached: reached)
        return Round(reached: reached, statusListAnswered: statusListAnswered)
    }

    /// The log checkpoint this node trusts, as the issuer signed it (`GET /v1/log/checkpoint`
    /// on the node): an auditor checks that the log it audits extends it, so that an issuer
    /// cannot show the nodes one log and the auditor another. `nil` before the first.
    package var trustedCheckpointNote: [UInt8]? { trusted.withLock { $0?.note } }

    /// Why the lists the node needs are not all current, one line per list that has a
    /// problem (for `GET /readyz`); empty when none has.
    package func problemDescriptions() -> [String] {
        problems.withLock { problems in problems.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" } }
    }

    // MARK: The log

    /// Fetches the checkpoint and checks it extends the trusted one.
    ///
    /// Without a log key the checkpoint is not signed by anyone the node knows: whoever sits
    /// between the node and the issuer can write one, and one forged checkpoint, trusted, would
    /// make every genuine one inconsistent, so that the node never took a list again. Unsigned,
    /// a problem is reported as with a key (an inconsistency: refusal, gauge, error line; a
    /// checkpoint that cannot be read or fetched: refusal or fetch failure, warning), but it
    /// does not stop the lists; a new checkpoint replaces the held one, and none is kept on
    /// disk. With a key, any of these holds the lists back: they are taken only from a log
    /// seen to extend the one trusted.
    /// - Returns: whether the lists may be taken in this round.
    private func refreshCheckpoint() async -> Bool {
        let isSigned = configuration.logKey != nil
        let answer: IssuerClient.Answer
        do {
            answer = try await fetch("/v1/log/checkpoint", list: "checkpoint")
        } catch {
            return checkpointUnchecked("cannot fetch the log checkpoint", "\(error)")
        }
        // Unchanged (304), or no checkpoint yet (404): nothing to check. But a log that has
        // signed a checkpoint never loses it: once a signed one is held, a 404 hides the log.
        guard case .fetched(let bytes, _) = answer else {
            if answer == .notFound, isSigned, let held = trusted.withLock({ $0 }) {
                metrics.recordLog(size: held.checkpoint.size, inconsistent: true)
                refuse(NodeLists.Refusal(
                    list: "checkpoint", reason: "inconsistent", detail: "the issuer gives no checkpoint, where this node holds one of \(held.checkpoint.size) entries"
                ), level: .error)
                return false
            }
            clearProblem("checkpoint")
            return true
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try openCheckpoint(bytes)
        } catch {
            guard isSigned else {
                refuse(NodeLists.Refusal(
                    list: "checkpoint", reason: "malformed", detail: "\(error) (unsigned: the lists are still taken; pin the log key with --log-key)"
                ), recordsProblem: false)
                return true
            }
            refuse(NodeLists.Refusal(list: "checkpoint", reason: "signature", detail: "\(error)"))
            return false
        }
        let held = trusted.withLock { $0 }
        var consistent = true
        if let held {
            let problem: String?
            do {
                problem = try await inconsistency(from: held.checkpoint, to: checkpoint)
            } catch {
                // The held checkpoint stays: the next round asks for the proof again.
                return checkpointUnchecked("cannot fetch the log's consistency proof", "\(error)")
            }
            if let problem {
                metrics.recordLog(size: held.checkpoint.size, inconsistent: true)
                let detail = isSigned ? problem : problem + " (unsigned: the lists are still taken; pin the log key with --log-key)"
                refuse(NodeLists.Refusal(list: "checkpoint", reason: "inconsistent", detail: detail), level: .error, recordsProblem: isSigned)
                guard !isSigned else { return false }
                consistent = false
            }
        }
        if held?.note != bytes {
            trusted.withLock { $0 = (bytes, checkpoint) }
            if isSigned { store(ListCache.checkpoint, bytes) }
        }
        if consistent { metrics.recordLog(size: checkpoint.size, inconsistent: false) }
        clearProblem("checkpoint")
        return true
    }

    /// Reports a checkpoint the node could not check (the fetch failure is already counted).
    /// - Returns: whether the lists may be taken all the same: only without a log key.
    private func checkpointUnchecked(_ message: String, _ detail: String) -> Bool {
        guard configuration.logKey != nil else {
            logger.warning("\(message); the lists are still taken (unsigned: pin the log key with --log-key)", metadata: ["error": .string(detail)])
            return true
        }
        logger.warning("\(message); no list is taken until the log is checked, the lists in use stay", metadata: ["error": .string(detail)])
        setProblem("checkpoint", "\(message): \(detail)")
        return false
    }

    /// What is wrong with `new` as a successor of `old`, if anything.
    private func inconsistency(from old: Checkpoint, to new: Checkpoint) async throws -> String? {
        guard new.origin == old.origin else { return "the log's origin changed from \(old.origin) to \(new.origin)" }
        guard new.size >= old.size else { return "the log shrank from \(old.size) to \(new.size) entries" }
        if new.size == old.size {
            return new.rootHash == old.rootHash ? nil : "two different trees of \(new.size) entries (a forked log)"
        }
        if old.size == 0 { return nil }
        let answer = try await fetch("/v1/log/proof/consistency?from=\(old.size)&to=\(new.size)", list: "checkpoint", conditional: false)
        guard case .fetched(let body, _) = answer else { return "the issuer gives no consistency proof from \(old.size) to \(new.size)" }
        guard let proof = try? JSONDecoder().decode(ConsistencyProof.self, from: Data(body)),
            let hashes = Optional(proof.hashes.compactMap { Data(base64Encoded: $0).map(Array.init) }), hashes.count == proof.hashes.count
        else { return "the consistency proof from \(old.size) to \(new.size) is malformed" }
        do {
            try MerkleProofVerifier.verifyConsistency(size1: old.size, size2: new.size, proof: hashes, root1: old.rootHash, root2: new.rootHash)
            return nil
        } catch {
            return "the checkpoint of \(new.size) entries does not extend the trusted one of \(old.size): \(error)"
        }
    }

    private struct ConsistencyProof: Decodable {
        let hashes: [String]
    }

    private func openCheckpoint(_ bytes: [UInt8]) throws -> Checkpoint {
        // With the key pinned, the log is the one its name names (C2SP tlog-checkpoint), from
        // the first checkpoint on: later ones must then keep its origin (`inconsistency`).
        if let key = configuration.logKey { return try Checkpoint.open(bytes, verifiers: [key], origin: key.keyName) }
        return try Checkpoint(text: SignedNote(parsing: bytes).textBytes)
    }

    // MARK: The lists

    private func refreshTrustList() async -> Outcome {
        let path = "/v1/trust-list"
        guard let answer = await fetchNeeded(path, list: "trust-list") else { return .unanswered }
        guard case .fetched(let bytes, let etag) = answer else { return .current }
        let logged = await proveLogged("trust-list", kind: "trust-list", event: .trustListPublished, object: String(decoding: bytes, as: UTF8.self), bytes: bytes)
        guard logged == .current else { return logged }
        return take("trust-list", store: ListCache.trustList, bytes, path: path, etag: etag) { () throws(NodeLists.Refusal) in
            try lists.offerTrustList(String(decoding: bytes, as: UTF8.self), now: clock())
        } ? .current : .refused
    }

    private func refreshStatusList(_ id: String) async -> Outcome {
        let path = "/v1/status-lists/\(id)"
        guard let answer = await fetchNeeded(path, list: "status-list/\(id)") else { return .unanswered }
        guard case .fetched(let bytes, let etag) = answer else { return .current }
        let logged = await proveLogged(
            "status-list/\(id)", kind: "status-list", event: .statusListPublished, object: Data(bytes).base64EncodedString(), bytes: bytes
        )
        guard logged == .current else { return logged }
        return take("status-list/\(id)", store: ListCache.statusList(id), bytes, path: path, etag: etag) { () throws(NodeLists.Refusal) in
            try lists.offerStatusList(id: id, bytes, now: clock())
        } ? .current : .refused
    }

    /// With the log key pinned, whether the issuer's log holds the list `bytes` it served,
    /// in the tree of the checkpoint this node trusts (`GET /v1/log/proof/publication`, naming
    /// the list by its SHA-256: an RFC 9162 §2.1.3 inclusion proof). A list the issuer signed
    /// but never logged is one no auditor sees: it is refused (`unlogged`), and the list held
    /// stays. A list logged after that checkpoint is asked about again once, after fetching
    /// the newer checkpoint. A proof that cannot be fetched is a failed fetch, not a refusal.
    /// Without the key, `.current`: an unsigned checkpoint proves nothing.
    /// - Parameter object: the list as the log keeps it (`LogRecord.object`).
    /// - Returns: `.current` when proven; `.refused` or `.unanswered` otherwise (logged, and
    ///   kept for `GET /readyz`).
    private func proveLogged(
        _ list: String, kind: String, sequence: Int64? = nil, event: LogRecord.Event, object: String, bytes: [UInt8]
    ) async -> Outcome {
        guard configuration.logKey != nil else { return .current }
        let digest = Hexadecimal.encode(Digest.sha256(bytes))
        var detail = ""
        for attempt in 0..<2 {
            if attempt == 1 {
                // Published after this round's checkpoint: take the newer one (checked as ever).
                guard await refreshCheckpoint() else { return .unanswered }
            }
            guard let held = trusted.withLock({ $0?.checkpoint }) else {
                detail = "this node holds no checkpoint of the log to check it against"
                break
            }
            let path = "/v1/log/proof/publication?kind=\(kind)\(sequence.map { "&sequence=\($0)" } ?? "")&sha256=\(digest)&size=\(held.size)"
            let answer: IssuerClient.Answer
            do {
                answer = try await fetch(path, list: list, conditional: false)
            } catch {
                logger.warning("cannot fetch the proof that the issuer's log holds a list; the list in use stays", metadata: [
                    "list": .string(list), "error": .string("\(error)"),
                ])
                setProblem(list, "cannot fetch the proof that the log holds it: \(error)")
                return .unanswered
            }
            guard case .fetched(let body, _) = answer else {
                detail = "the issuer gives no proof that its log holds it within the checkpoint of \(held.size) entries"
                continue
            }
            do {
                let proof = try JSONDecoder().decode(PublicationProof.self, from: Data(body))
                try proof.check(event: event, object: object, size: held.size, root: held.rootHash)
                return .current
            } catch let error as TransparencyError {
                detail = "the proof that the log holds it does not verify: \(error.reason)"
            } catch {
                detail = "the proof that the log holds it is malformed: \(error)"
            }
            break
        }
        refuse(NodeLists.Refusal(list: list, reason: "unlogged", detail: detail + " (a list no auditor can see is not taken)"))
        return .refused
    }

    /// Editions are numbered from 1: the node asks for each one it does not hold until the
    /// issuer has none (404, the usual end). One it holds is not asked again. One it refused
    /// (logged and counted by `take`) below the highest it holds is asked again every round
    /// and does not hold back the ones after it: an edition signed by a key later revoked is
    /// dropped when the trust list revokes the key, or refused from the cache after a restart,
    /// and the issuer signs it again under the same number (`zhucan keys revoke`). Past the
    /// highest held, three refusals in a row end the round's asking, as a 404 does: a front end
    /// that answers every path would otherwise be asked ten thousand numbers a round.
    /// A failed fetch is counted and logged, and the next round asks again; it does not hold
    /// back the lists.
    private func refreshCatalogues() async {
        let held = lists.catalogueSequences
        let highest = held.max() ?? 0
        var sequence: Int64 = 1, refusedInARow = 0
        while sequence < 10_000 {
            if held.contains(sequence) {
                sequence += 1
                continue
            }
            let path = "/v1/catalogue/\(sequence)"
            let answer: IssuerClient.Answer
            do {
                answer = try await fetch(path, list: "catalogue/\(sequence)", conditional: false)
            } catch {
                logger.warning("cannot reach the issuer for a catalogue edition; the editions held stay", metadata: ["error": .string("\(error)")])
                return
            }
            guard case .fetched(let bytes, _) = answer else { return }
            let text = String(decoding: bytes, as: UTF8.self)
            var taken = false
            switch await proveLogged("catalogue/\(sequence)", kind: "catalogue", sequence: sequence, event: .cataloguePublished, object: text, bytes: bytes) {
            case .unanswered: return
            case .refused: break
            case .current:
                take("catalogue/\(sequence)", store: ListCache.catalogue(sequence), bytes) { () throws(NodeLists.Refusal) in
                    taken = try lists.offerCatalogue(sequence: sequence, text)
                    return taken
                }
            }
            if taken {
                refusedInARow = 0
            } else if sequence > highest {
                refusedInARow += 1
                guard refusedInARow < 3 else { return }
            }
            sequence += 1
        }
    }

    // MARK: Plumbing

    private func fetch(_ path: String, list: String, conditional: Bool = true) async throws -> IssuerClient.Answer {
        do {
            return try await client.get(path, etag: conditional ? etags.withLock { $0[path] } : nil)
        } catch {
            metrics.recordFetchFailure(list: list)
            throw error
        }
    }

    /// Fetches a list the node needs (the trust list, a status list).
    ///
    /// A 404 is a failure here, not "nothing yet": the issuer publishes both lists when its
    /// workspace is made and never withdraws them, so a 404 means the node asks at the wrong
    /// place — an `--issuer` without the path prefix a proxy puts the service under, or a
    /// `--status-list` the issuer does not have — and would otherwise wait for ever, unready,
    /// without a word.
    /// - Returns: the answer (fetched or unchanged), or nil when there is none (logged,
    ///   counted in `zhucan_node_fetch_failures_total`, kept for `GET /readyz`).
    private func fetchNeeded(_ path: String, list: String) async -> IssuerClient.Answer? {
        let answer: IssuerClient.Answer
        do {
            answer = try await fetch(path, list: list)
        } catch {
            logger.warning("cannot reach the issuer; the lists in use stay", metadata: ["list": .string(list), "error": .string("\(error)")])
            setProblem(list, "\(error)")
            return nil
        }
        if answer == .notFound {
            metrics.recordFetchFailure(list: list)
            logger.warning("the issuer has no such list (404): check --issuer (with any path prefix before /v1) and --status-list", metadata: [
                "list": .string(list), "url": .string(client.url(path)),
            ])
            setProblem(list, "GET \(path) at the issuer answers 404: check --issuer (with any path prefix before /v1) and --status-list")
            return nil
        }
        if answer == .notModified {
            // RFC 9110 §15.4.5: a 304 answers a conditional request. To one without
            // `If-None-Match` it says nothing of the list, and taken as "unchanged" it would
            // keep a node on its cache, or unloaded, without a word.
            guard etags.withLock({ $0[path] }) != nil else {
                metrics.recordFetchFailure(list: list)
                logger.warning("the issuer answered 304 Not Modified to a request that named no entity tag", metadata: [
                    "list": .string(list), "url": .string(client.url(path)),
                ])
                setProblem(list, "GET \(path) answers 304 Not Modified to a request without If-None-Match: check the proxy or cache before the issuer")
                return nil
            }
            clearProblem(list)
        }
        return answer
    }

    /// Offers the object `list`; when taken, caches it and remembers its entity tag.
    /// - Returns: whether it was taken or is the one held; false when refused.
    @discardableResult
    private func take(
        _ list: String, store name: String? = nil, _ bytes: [UInt8] = [], path: String? = nil, etag: String? = nil,
        _ offer: () throws(NodeLists.Refusal) -> Bool
    ) -> Bool {
        do {
            let changed = try offer()
            clearProblem(list)
            if changed {
                // At once, not at the end of the round: /readyz may answer ready from this
                // list on, and /metrics must already show its age and expiry then.
                report(now: clock())
            }
            if changed, let name {
                store(name, bytes)
                logger.info("list taken from the issuer", metadata: ["file": .string(name)])
            }
            if let path, let etag { etags.withLock { $0[path] = etag } }
            return true
        } catch {
            refuse(error)
            return false
        }
    }

    private func store(_ name: String, _ bytes: [UInt8]) {
        do {
            try cache.write(name, bytes)
        } catch {
            metrics.recordStoreFailure("cache")
            logger.warning("cannot cache a list; a restart while the issuer is down will lack it", metadata: ["file": .string(name), "error": .string("\(error)")])
        }
    }

    /// Counts and logs a refused object; for a needed list (and a checkpoint that holds the
    /// lists back) also keeps the reason for `GET /readyz`, unless `recordsProblem` is false.
    private func refuse(_ refusal: NodeLists.Refusal, level: Logger.Level = .warning, recordsProblem: Bool = true) {
        metrics.recordRefusal(list: refusal.list, reason: refusal.reason)
        logger.log(level: level, "object from the issuer refused; the last good one stays in use", metadata: [
            "list": .string(refusal.list), "refusal.reason": .string(refusal.reason), "refusal.detail": .string(refusal.detail),
        ])
        if recordsProblem { setProblem(refusal.list, "refused (\(refusal.reason)): \(refusal.detail)") }
    }

    /// Keeps `problem` as what holds back `list`, if the node needs that list.
    private func setProblem(_ list: String, _ problem: String) {
        guard list == "trust-list" || list == "checkpoint" || list.hasPrefix("status-list/") else { return }
        problems.withLock { $0[list] = problem }
    }

    private func clearProblem(_ list: String) {
        _ = problems.withLock { $0.removeValue(forKey: list) }
    }

    /// Sets the lists' gauges (age, time to expiry, ready) as they are now: at the end of each
    /// round, and when `/metrics` is read, since rounds back off to minutes while the issuer
    /// cannot be reached and a list may expire meanwhile.
    package func report() {
        report(now: clock())
    }

    private func report(now: Int64) {
        metrics.recordLists(lists.times(), now: now)
        metrics.recordReady(lists.readiness(statusListIDs: configuration.statusListIDs, now: now) == .ready)
    }
}
