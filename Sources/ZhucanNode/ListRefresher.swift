import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import ZhucanTransparency

/// Keeps a node's lists current: every interval it fetches the log checkpoint and checks
/// that it extends the last one trusted, then the trust list, each status list and any new
/// catalogue edition, each with a conditional GET, each checked before it replaces the one in
/// use (`NodeLists`). What passes is cached on disk; what fails is counted, logged, and
/// leaves the last good object in use. When the issuer cannot be reached, the interval
/// doubles after each failed round, up to the maximum backoff.
///
/// The node as a log monitor: a checkpoint that does not extend the trusted one — a smaller
/// tree, another root at the same size, or a consistency proof (RFC 9162 §2.1.4) that does not
/// verify — is refused and raised (`zhucan_node_log_inconsistent`, an error log line), and
/// no list is taken in that round: the node keeps serving on the last consistent lists.
package final class ListRefresher: Service, Sendable {
    let configuration: NodeConfiguration
    let lists: NodeLists
    let cache: ListCache
    let client: IssuerClient
    let metrics: NodeMetrics
    let logger: Logger
    let clock: @Sendable () -> Int64
    private let etags = Mutex<[String: String]>([:])
    private let trusted = Mutex<(note: [UInt8], checkpoint: Checkpoint)?>(nil)

    package init(
        configuration: NodeConfiguration, lists: NodeLists, cache: ListCache, metrics: NodeMetrics, logger: Logger,
        clock: @escaping @Sendable () -> Int64
    ) {
        self.configuration = configuration
        self.lists = lists
        self.cache = cache
        client = IssuerClient(base: configuration.issuer, timeout: configuration.fetchTimeout, maxBytes: configuration.maxObjectBytes)
        self.metrics = metrics
        self.logger = logger
        self.clock = clock
    }

    /// Takes the cached objects, checked as if fetched (an expired one is still taken).
    package func loadCache() {
        let now = clock()
        // Only a signed checkpoint is kept across restarts (`refreshCheckpoint`).
        if configuration.logKey != nil, let bytes = cache.read(ListCache.checkpoint), let checkpoint = try? openCheckpoint(bytes) {
            trusted.withLock { $0 = (bytes, checkpoint) }
        }
        if let bytes = cache.read(ListCache.trustList) {
            take { () throws(NodeLists.Refusal) in try lists.offerTrustList(String(decoding: bytes, as: UTF8.self), now: now, cached: true) }
        }
        for id in configuration.statusListIDs {
            if let bytes = cache.read(ListCache.statusList(id)) {
                take { () throws(NodeLists.Refusal) in try lists.offerStatusList(id: id, bytes, now: now, cached: true) }
            }
        }
        for sequence in cache.catalogueSequences() {
            if let bytes = cache.read(ListCache.catalogue(sequence)) {
                take { () throws(NodeLists.Refusal) in try lists.offerCatalogue(sequence: sequence, String(decoding: bytes, as: UTF8.self)) }
            }
        }
        report(now: now)
        if lists.isLoaded(statusListIDs: configuration.statusListIDs) {
            logger.info("lists loaded from the cache", metadata: ["cache": .string(cache.directory.path)])
        }
    }

    package func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var delay = self.configuration.refreshInterval
            while true {
                let succeeded = await self.refresh()
                delay = succeeded ? self.configuration.refreshInterval : min(delay * 2, self.configuration.maxBackoff)
                try await Task.sleep(for: delay)
            }
        }
    }

    /// One round: the checkpoint, then the lists.
    /// - Returns: whether the issuer answered every fetch.
    @discardableResult
    package func refresh() async -> Bool {
        var reached = true
        do {
            let consistent = try await refreshCheckpoint()
            if consistent {
                try await refreshTrustList()
                for id in configuration.statusListIDs { try await refreshStatusList(id) }
                try await refreshCatalogues()
            }
        } catch let failure as IssuerClient.Failure {
            reached = false
            logger.warning("cannot reach the issuer; the lists in use stay", metadata: ["error": .string(failure.description)])
        } catch {
            reached = false
            logger.warning("list refresh failed", metadata: ["error": .string("\(error)")])
        }
        report(now: clock())
        metrics.recordRound(reached: reached)
        return reached
    }

    // MARK: The log

    /// Fetches the checkpoint and checks it extends the trusted one.
    ///
    /// Without a log key the checkpoint is not signed by anyone the node knows: whoever sits
    /// between the node and the issuer can write one, and one forged checkpoint, trusted, would
    /// make every genuine one inconsistent, so that the node never took a list again. Unsigned,
    /// an inconsistency is reported as with a key (refusal, gauge, error line), but it does not
    /// stop the lists; the new checkpoint replaces the held one, and none is kept on disk.
    /// - Returns: `false` when it does not extend it and is signed (the round takes no list).
    private func refreshCheckpoint() async throws -> Bool {
        let answer = try await fetch("/v1/log/checkpoint", list: "checkpoint")
        // Unchanged (304), or no checkpoint yet (404): nothing to check. But a log that has
        // signed a checkpoint never loses it: once a signed one is held, a 404 hides the log.
        guard case .fetched(let bytes, _) = answer else {
            if answer == .notFound, configuration.logKey != nil, let held = trusted.withLock({ $0 }) {
                metrics.recordLog(size: held.checkpoint.size, inconsistent: true)
                refuse(NodeLists.Refusal(
                    list: "checkpoint", reason: "inconsistent", detail: "the issuer gives no checkpoint, where this node holds one of \(held.checkpoint.size) entries"
                ), level: .error)
                return false
            }
            return true
        }
        let checkpoint: Checkpoint
        do {
            checkpoint = try openCheckpoint(bytes)
        } catch {
            refuse(NodeLists.Refusal(list: "checkpoint", reason: "signature", detail: "\(error)"))
            return false
        }
        let held = trusted.withLock { $0 }
        let isSigned = configuration.logKey != nil
        var consistent = true
        if let held, let problem = try await inconsistency(from: held.checkpoint, to: checkpoint) {
            metrics.recordLog(size: held.checkpoint.size, inconsistent: true)
            let detail = isSigned ? problem : problem + " (unsigned: the lists are still taken; pin the log key with --log-key)"
            refuse(NodeLists.Refusal(list: "checkpoint", reason: "inconsistent", detail: detail), level: .error)
            guard !isSigned else { return false }
            consistent = false
        }
        if held?.note != bytes {
            trusted.withLock { $0 = (bytes, checkpoint) }
            if isSigned { store(ListCache.checkpoint, bytes) }
        }
        if consistent { metrics.recordLog(size: checkpoint.size, inconsistent: false) }
        return true
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
        if let key = configuration.logKey { return try Checkpoint.open(bytes, verifiers: [key]) }
        return try Checkpoint(text: SignedNote(parsing: bytes).textBytes)
    }

    // MARK: The lists

    private func refreshTrustList() async throws {
        guard case .fetched(let bytes, let etag) = try await fetch("/v1/trust-list", list: "trust-list") else { return }
        take(store: ListCache.trustList, bytes, path: "/v1/trust-list", etag: etag) { () throws(NodeLists.Refusal) in
            try lists.offerTrustList(String(decoding: bytes, as: UTF8.self), now: clock())
        }
    }

    private func refreshStatusList(_ id: String) async throws {
        let path = "/v1/status-lists/\(id)"
        guard case .fetched(let bytes, let etag) = try await fetch(path, list: "status-list/\(id)") else { return }
        take(store: ListCache.statusList(id), bytes, path: path, etag: etag) { () throws(NodeLists.Refusal) in
            try lists.offerStatusList(id: id, bytes, now: clock())
        }
    }

    /// Editions are numbered from 1 and never change: the node asks for the next one until
    /// the issuer has none.
    private func refreshCatalogues() async throws {
        var sequence = lists.latestCatalogueSequence + 1
        while sequence < 10_000 {
            let path = "/v1/catalogue/\(sequence)"
            guard case .fetched(let bytes, _) = try await fetch(path, list: "catalogue/\(sequence)", conditional: false) else { return }
            var taken = false
            take(store: ListCache.catalogue(sequence), bytes, path: nil, etag: nil) { () throws(NodeLists.Refusal) in
                taken = try lists.offerCatalogue(sequence: sequence, String(decoding: bytes, as: UTF8.self))
                return taken
            }
            guard taken else { return }
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

    /// Offers an object; when taken, caches it and remembers its entity tag.
    private func take(
        store name: String? = nil, _ bytes: [UInt8] = [], path: String? = nil, etag: String? = nil,
        _ offer: () throws(NodeLists.Refusal) -> Bool
    ) {
        do {
            let changed = try offer()
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
        } catch {
            refuse(error)
        }
    }

    private func store(_ name: String, _ bytes: [UInt8]) {
        do {
            try cache.write(name, bytes)
        } catch {
            logger.warning("cannot cache a list; a restart while the issuer is down will lack it", metadata: ["file": .string(name), "error": .string("\(error)")])
        }
    }

    private func refuse(_ refusal: NodeLists.Refusal, level: Logger.Level = .warning) {
        metrics.recordRefusal(list: refusal.list, reason: refusal.reason)
        logger.log(level: level, "object from the issuer refused; the last good one stays in use", metadata: [
            "list": .string(refusal.list), "refusal.reason": .string(refusal.reason), "refusal.detail": .string(refusal.detail),
        ])
    }

    private func report(now: Int64) {
        metrics.recordLists(lists.times(), now: now)
        metrics.recordReady(lists.readiness(statusListIDs: configuration.statusListIDs, now: now) == .ready)
    }
}
