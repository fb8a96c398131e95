import Foundation
import Logging
import Synchronization
import Testing
import ZhucanCatalogue
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanHTTP
import ZhucanIdentifiers
import ZhucanIssuer
import ZhucanNode
import ZhucanRegistry
import ZhucanServiceStore
import ZhucanSigning
import ZhucanStatusList
import ZhucanTesting
import ZhucanTransparency

/// A node against a fake issuer that serves tampered, foreign, older and inconsistent
/// objects: each is refused, counted and logged, and the last good lists stay in use.
@Suite("Node: what a node refuses from its issuer")
struct NodeRefreshTests {
    /// A demo workspace with one certificate, the source of genuine objects.
    struct Issuer {
        let folder: TemporaryDirectory
        let workspace: Workspace
        let certificate: String
        /// The certificate itself (valid ten years).
        let certificateCode: String

        init() throws {
            folder = try TemporaryDirectory()
            workspace = try Workspace.create(
                at: folder.url.appendingPathComponent("ws"), configuration: .demo,
                keys: .demo(keysDirectory: TestVectors.projectRoot.appendingPathComponent("keys")), now: Self.now
            )
            let issued = try workspace.issue(IssueRequest(
                name: try PersonName("王小明"), citizenID: try CitizenIDNumber("360121197011210013"), category: .physical, level: .three,
                region: try RegionCode("330482")
            ), now: Self.now)
            certificate = issued.certificateNumber
            certificateCode = issued.code
        }

        static var now: Int64 { Int64(Date().timeIntervalSince1970) }

        var trustList: [UInt8] { get throws { Array(try #require(try workspace.registry.latestPublication(.trustList)).text.utf8) } }
        var statusList: [UInt8] {
            get throws {
                let publication = try #require(try workspace.registry.latestPublication(.statusList))
                return Array(try #require(Data(base64Encoded: publication.text)))
            }
        }
        var checkpoint: [UInt8] { get throws { Array(try #require(try workspace.registry.latestCheckpoint()).note.utf8) } }

        /// The root public key: all a node starts from.
        var anchors: [PublicKey] { get throws { [try workspace.trustAnchor()] } }

        /// An identity code valid for an hour.
        func identityCode() throws -> String {
            try workspace.identityCode(certificateNumber: certificate, seconds: 3_600, showCategory: false, now: Self.now)
        }

        /// Serves the genuine objects.
        /// Publishes the shipped catalogue, in force to 2099 and named `version`.
        /// - Returns: the catalogue file's text as published.
        @discardableResult
        func publishCatalogue(version: String = "pinghu-2026.5") throws -> String {
            let text = try ShippedCatalogue.edited([
                ShippedCatalogue.timeless, (#""catalogueVersion": "pinghu-2026.5""#, "\"catalogueVersion\": \"\(version)\""),
            ])
            try workspace.publishCatalogue(text, tests: try Data(contentsOf: ShippedCatalogue.testsFile()), now: Self.now)
            return String(decoding: text, as: UTF8.self)
        }

        func serveAll(on fake: FakeIssuer) throws {
            fake.serve("/v1/trust-list", try trustList)
            fake.serve("/v1/status-lists/1", try statusList)
            fake.serve("/v1/log/checkpoint", try checkpoint)
            try serveProofs(on: fake)
        }

        /// Serves the proofs that the log holds the newest trust and status lists and every
        /// catalogue edition, in the tree of the newest checkpoint, where a node pinning the log
        /// key asks for them.
        func serveProofs(on fake: FakeIssuer) throws {
            var publications = try [Registry.PublicationKind.trustList, .statusList].compactMap { try workspace.registry.latestPublication($0) }
            publications += try workspace.registry.publications(.catalogue)
            for publication in publications {
                try serveProof(of: publication, on: fake)
            }
        }

        /// Serves the proof that the log holds `publication`, or `proof` instead of it.
        func serveProof(of publication: Registry.Publication, on fake: FakeIssuer, proof: PublicationProof? = nil) throws {
            let digest = Digest.sha256(try #require(Workspace.servedBody(of: publication)))
            let sequence = publication.kind == .catalogue ? publication.sequence : nil
            let answer = try proof ?? workspace.publicationProof(publication.kind, sequence: sequence, digest: digest)
            fake.serve(
                "/v1/log/proof/publication?kind=\(publication.kind.rawValue)\(sequence.map { "&sequence=\($0)" } ?? "")"
                    + "&sha256=\(Hexadecimal.encode(digest))&size=\(answer.size)",
                Array(try JSONEncoder().encode(answer))
            )
        }
    }

    /// A demo issuer whose genuine objects a fake issuer serves, a node's state folder, the
    /// root public key and an identity code valid for an hour: where every test starts.
    static func started() throws -> (issuer: Issuer, fake: FakeIssuer, state: TemporaryDirectory, anchors: [PublicKey], code: String) {
        let issuer = try Issuer()
        let fake = FakeIssuer()
        try issuer.serveAll(on: fake)
        return (issuer, fake, try TemporaryDirectory(), try issuer.anchors, try issuer.identityCode())
    }

    /// A node's parts, with its metrics and log lines at hand.
    struct Node {
        let lists: NodeLists
        let refresher: ListRefresher
        let metrics: ServiceMetrics
        let log: LogRecorder
        let store: Registry

        init(
            issuer: URL, state: URL, anchors: [PublicKey], logKey: NoteVerifier? = nil, fetchTimeout: Duration = .seconds(90),
            refreshInterval: Duration = .seconds(1), clock: @escaping @Sendable () -> Int64 = { Issuer.now }
        ) throws {
            metrics = ServiceMetrics()
            log = LogRecorder()
            // A generous fetch timeout by default: the fake issuer answers from Swift's
            // cooperative pool, which the CLI suites beside this one block while they wait for
            // their subprocesses (two threads on a 2-core CI machine).
            let configuration = NodeConfiguration(
                issuer: issuer, trustAnchors: anchors, logKey: logKey, stateDirectory: state, refreshInterval: refreshInterval, fetchTimeout: fetchTimeout
            )
            lists = NodeLists(trustAnchors: anchors, skew: 120)
            // The node's own store beside its cache, as `zhucan verifier serve` keeps it.
            store = try Registry(path: state.appendingPathComponent("node.sqlite").path)
            refresher = ListRefresher(
                configuration: configuration, lists: lists, cache: try ListCache(stateDirectory: state), store: store,
                metrics: NodeMetrics(service: metrics), logger: log.logger, clock: clock
            )
        }

        /// The answer for `code` now.
        func verify(_ code: String) -> VerificationReason {
            CredentialVerifier(verified: lists.current, configuration: .init(validationTime: Issuer.now)).verify(code).reason
        }

        /// How many objects of `list` were refused for `reason`.
        func refusals(_ list: String, _ reason: String) -> Int {
            count("zhucan_node_refused_objects_total{list=\"\(list)\",reason=\"\(reason)\"}")
        }

        /// How many refresh rounds finished with `result` (`reached` or `unreachable`).
        func rounds(_ result: String) -> Int {
            count("zhucan_node_refresh_rounds_total{result=\"\(result)\"}")
        }

        private func count(_ series: String) -> Int {
            let text = String(decoding: metrics.exposition(), as: UTF8.self)
            let line = text.split(separator: "\n").first { $0.hasPrefix(series + " ") }
            return line.flatMap { Double($0.split(separator: " ").last ?? "") }.map { Int($0) } ?? 0
        }
    }

    @Test("Genuine lists are taken, cached and used; a tampered trust list is refused and the good one kept")
    func tamperedTrustList() async throws {
        let (issuer, fake, state, anchors, code) = try Self.started()
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            #expect(node.verify(code) == .statusUnknown, "no lists yet")
            #expect(await node.refresher.refresh().reached, "\(node.log.lines)")
            #expect(node.lists.isLoaded(statusListIDs: ["1"]))
            #expect(node.verify(code) == .valid)
            #expect(FileManager.default.fileExists(atPath: state.url.appendingPathComponent("lists/trust-list.zc1").path))

            // One signature byte flipped: the envelope still reads, the signature fails.
            let layers = EnvelopeLayers(reading: String(decoding: try issuer.trustList, as: UTF8.self))
            var cose = try #require(layers.inflated)
            cose[cose.count - 1] ^= 0x01
            fake.serve("/v1/trust-list", Array(EnvelopeSealer.seal(try CoseSign1(decoding: cose)).utf8))
            #expect(await node.refresher.refresh().reached == false, "a refused trust list leaves the node behind the issuer")
            #expect(node.refusals("trust-list", "signature") == 1)
            #expect(node.verify(code) == .valid, "the good trust list stays in use")
            #expect(node.log.lines.contains { $0.contains("refused") && $0.contains("trust-list") })
            // The conditional GET: the same tampered object is asked for again, and refused again.
            #expect(await node.refresher.refresh().reached == false)
            #expect(node.refusals("trust-list", "signature") == 2)
            #expect(node.rounds("reached") == 1, "a round whose trust list was refused did not bring the node up to date")
        }
    }

    @Test("A status list signed by a key the trust list does not name, or older than the one in use, is refused")
    func foreignAndOlderStatusLists() async throws {
        let (issuer, fake, state, anchors, code) = try Self.started()
        let older = try issuer.statusList
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            #expect(await node.refresher.refresh().reached)
            #expect(node.verify(code) == .valid)

            // Signed by a stranger's key, with everything else right.
            let stranger = try PrivateKey.generate(.es256)
            var list = try CertificateStatusList()
            try list.set(.invalid, at: 0)
            let token = try StatusListToken(
                statusList: list.statusList, uri: issuer.workspace.configuration.statusListURI, issuedAt: Issuer.now + 1,
                expiration: Issuer.now + 3_600, timeToLive: 60, issuer: issuer.workspace.configuration.issuerCode
            )
            let foreign = try CoseSign1.sign(payload: token.claims.cbor.encoded(), type: ObjectType.statusList.rawValue, key: stranger)
            fake.serve("/v1/status-lists/1", foreign.encoded(tagged: true))
            #expect(await node.refresher.refresh().reached == false)
            #expect(node.refusals("status-list/1", "signature") == 1)
            #expect(node.verify(code) == .valid, "a stranger cannot revoke")

            // The issuer revokes: the node takes the newer list…
            try issuer.workspace.change(.revoke, certificateNumber: issuer.certificate, reason: "test", now: Issuer.now + 2)
            fake.serve("/v1/status-lists/1", try issuer.statusList)
            // (The fake keeps the old checkpoint: the log looks unchanged, which is consistent.)
            _ = await node.refresher.refresh().reached
            #expect(node.verify(code) == .revoked)
            // …and refuses the older one served again (a replay that would undo the revocation).
            fake.serve("/v1/status-lists/1", older)
            _ = await node.refresher.refresh().reached
            #expect(node.refusals("status-list/1", "older") == 1)
            #expect(node.verify(code) == .revoked)
        }
    }

    @Test("Of two status lists signed in the same second, the later publication stays in use: replaying the earlier cannot undo a revocation")
    func statusListsOfOneSecond() async throws {
        let (issuer, fake, state, anchors, code) = try Self.started()
        let second = Issuer.now + 5
        try issuer.workspace.publishStatusList(now: second)
        let before = try issuer.statusList
        try issuer.workspace.change(.revoke, certificateNumber: issuer.certificate, reason: "test", now: second)
        let after = try issuer.statusList
        let iat = { (bytes: [UInt8]) in try StatusListToken(unverified: try CoseSign1(decoding: bytes)).issuedAt }
        #expect(try iat(before) == iat(after), "both signed in the same second")
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            fake.serve("/v1/status-lists/1", before)
            #expect(await node.refresher.refresh().reached)
            #expect(node.verify(code) == .valid)
            fake.serve("/v1/status-lists/1", after)
            #expect(await node.refresher.refresh().reached)
            #expect(node.verify(code) == .revoked)
            fake.serve("/v1/status-lists/1", before)
            #expect(await node.refresher.refresh().reached == false)
            #expect(node.refusals("status-list/1", "older") == 1)
            #expect(node.verify(code) == .revoked, "the revocation stays")
        }
    }

    // A trust list had to be newer by sequence and by `iat`: after a restore from a backup,
    // the issuer's lists start again at a lower sequence, and every node refused them.
    @Test("Trust lists are ordered by when they were signed, then by sequence: an issuer restored from a backup is followed, a replay is not")
    func trustListAfterRestore() async throws {
        let (issuer, fake, state, anchors, _) = try Self.started()
        let first = try issuer.trustList
        _ = try issuer.workspace.publishTrustList(now: Issuer.now + 2)
        _ = try issuer.workspace.publishTrustList(now: Issuer.now + 3)
        let third = try issuer.trustList
        // The same demo keys, a registry that has published one trust list: as after a restore.
        let restored = try Issuer()
        _ = try restored.workspace.publishTrustList(now: Issuer.now + 6)
        let afterRestore = try restored.trustList
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            let heldSince = { node.lists.times().first { $0.list == "trust-list" }?.issuedAt ?? 0 }
            fake.serve("/v1/trust-list", third)
            #expect(await node.refresher.refresh().reached)
            let thirdSigned = heldSince()
            fake.serve("/v1/trust-list", afterRestore)
            #expect(await node.refresher.refresh().reached)
            #expect(node.refusals("trust-list", "older") == 0, "\(node.log.lines)")
            #expect(heldSince() > thirdSigned, "the restored issuer's list, sequence 2, is in use")
            // Every fetch asks any cache on the way to check with the issuer first.
            #expect(!fake.requestedCacheControl.isEmpty && fake.requestedCacheControl.allSatisfy { $0 == "no-cache" })
            fake.serve("/v1/trust-list", first)
            #expect(await node.refresher.refresh().reached == false)
            #expect(node.refusals("trust-list", "older") == 1, "\(node.log.lines)")
        }
    }

    // /readyz looked only at whether each list was held and unexpired: with the key of the
    // status list held revoked by a newer trust list, and its endpoint serving the old list,
    // every answer was status_unknown while the node said ready.
    @Test("A status list held that the trust list held no longer lets verify makes the node unready, saying why")
    func unusableStatusList() async throws {
        let (issuer, fake, state, anchors, _) = try Self.started()
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            #expect(await node.refresher.refresh().reached)
            #expect(node.lists.readiness(statusListIDs: ["1"], now: Issuer.now) == .ready)
            let old = try #require(try issuer.workspace.registry.keys(role: .issuer).first { $0.state == "active" }).keyID
            try issuer.workspace.rotateIssuerKey(now: Issuer.now + 1)
            _ = try issuer.workspace.revokeIssuerKey(keyID: old, reason: "stolen", now: Issuer.now + 2)
            // The new trust list, beside the status list the revoked key signed (a stale cache).
            fake.serve("/v1/trust-list", try issuer.trustList)
            _ = await node.refresher.refresh().reached
            guard case .unusable(let list, let reason) = node.lists.readiness(statusListIDs: ["1"], now: Issuer.now + 3) else {
                Issue.record("ready on a status list no key of the trust list may have signed")
                return
            }
            #expect(list == "status-list/1")
            #expect(reason.contains("not signed by a trusted issuer key"), "\(reason)")
            fake.serve("/v1/status-lists/1", try issuer.statusList)
            #expect(await node.refresher.refresh().reached)
            #expect(node.lists.readiness(statusListIDs: ["1"], now: Issuer.now + 3) == .ready)
        }
    }

    // One wait for the whole round: a trust-list endpoint answering 500 doubled it, and a
    // revocation reached the node up to ten intervals late.
    @Test("Another endpoint that fails is no reason to wait longer for the status lists: the round is not reached, and the wait stays the interval; it doubles only when no status list is answered")
    func failingTrustListDoesNotSlowStatusLists() async throws {
        let (issuer, fake, state, anchors, code) = try Self.started()
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            let interval = Duration.seconds(1)
            #expect(node.refresher.wait(after: await node.refresher.refresh(), previous: interval) == interval)
            fake.answer("/v1/trust-list", .internalServerError)
            try issuer.workspace.change(.revoke, certificateNumber: issuer.certificate, reason: "test", now: Issuer.now)
            fake.serve("/v1/status-lists/1", try issuer.statusList)
            let round = await node.refresher.refresh()
            #expect(!round.reached)
            #expect(node.refresher.wait(after: round, previous: .seconds(8)) == interval)
            #expect(node.verify(code) == .revoked, "the revocation is taken in the same round")
            fake.answer("/v1/status-lists/1", .internalServerError)
            let unanswered = await node.refresher.refresh()
            #expect(node.refresher.wait(after: unanswered, previous: .seconds(8)) == .seconds(16), "an issuer that does not answer for them is backed off from")
        }
    }

    // A 304 to a GET without If-None-Match was taken as "unchanged": a new node stayed
    // unloaded, and a restarted one on its cache, without a word.
    @Test("A 304 to a request that named no entity tag is a failed fetch, said in /readyz's reasons")
    func notModifiedUnasked() async throws {
        let (_, fake, state, anchors, _) = try Self.started()
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            fake.answer("/v1/trust-list", .notModified)
            fake.answer("/v1/status-lists/1", .notModified)
            #expect(await node.refresher.refresh().reached == false)
            #expect(!node.lists.isLoaded(statusListIDs: ["1"]))
            let problems = node.refresher.problemDescriptions().joined(separator: "\n")
            #expect(problems.contains("trust-list: GET /v1/trust-list answers 304 Not Modified to a request without If-None-Match"), "\(problems)")
            #expect(problems.contains("status-list/1: GET /v1/status-lists/1 answers 304"), "\(problems)")
            // Once a list is held with its tag, a 304 is the usual "unchanged".
            fake.answer("/v1/trust-list", nil)
            fake.answer("/v1/status-lists/1", nil)
            #expect(await node.refresher.refresh().reached)
            #expect(await node.refresher.refresh().reached, "the conditional GETs answered 304")
        }
    }

    // Only the list held and the cached file stood for "older": a review cut the cached status
    // list short (and, again, removed the cache), replayed the list from before a revocation,
    // and the node answered valid for the revoked certificate.
    @Test("A list older than one taken before is refused after the cache is lost or damaged: its floor is kept in the node's store")
    func floorsOutliveTheCache() async throws {
        let (issuer, fake, state, anchors, code) = try Self.started()
        let before = try issuer.statusList
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            #expect(await node.refresher.refresh().reached)
            try issuer.workspace.change(.revoke, certificateNumber: issuer.certificate, reason: "test", now: Issuer.now + 1)
            fake.serve("/v1/status-lists/1", try issuer.statusList)
            #expect(await node.refresher.refresh().reached)
            #expect(node.verify(code) == .revoked)
            let floors = try node.store.listFloors()
            #expect(floors.keys.sorted() == ["status-list/1", "trust-list"])

            // The cache damaged, then gone; the list from before the revocation served again.
            let cached = state.url.appendingPathComponent("lists/status-list-1.cwt")
            try Data(try Data(contentsOf: cached).prefix(100)).write(to: cached)
            fake.serve("/v1/status-lists/1", before)
            for damage in ["cut short", "removed"] {
                if damage == "removed" { try FileManager.default.removeItem(at: state.url.appendingPathComponent("lists")) }
                let restarted = try Node(issuer: base, state: state.url, anchors: anchors)
                await restarted.refresher.loadCache()
                #expect(await restarted.refresher.refresh().reached == false, "\(damage)")
                #expect(restarted.refusals("status-list/1", "older") == 1, "\(damage): \(restarted.log.lines)")
                #expect(restarted.verify(code) != .valid, "\(damage): never valid for the revoked certificate")
                #expect(restarted.log.lines.contains { $0.contains("is older than the newest this node has taken, sequence") })
            }
        }
    }

    @Test("Floors read late (the store did not answer at start) drop a list held below them: it is known to be replaced")
    func floorsReadLate() async throws {
        let (_, fake, state, anchors, code) = try Self.started()
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            #expect(await node.refresher.refresh().reached)
            #expect(node.verify(code) == .valid)
            // Another node sharing the store took a later status list meanwhile.
            node.lists.raise(floors: ["status-list/1": ListFloor(issuedAt: Issuer.now + 5, sequence: 99)], now: Issuer.now + 10)
            #expect(node.lists.readiness(statusListIDs: ["1"], now: Issuer.now + 10) == .loading)
            #expect(node.verify(code) == .statusUnknown, "never valid on a list known to be replaced")
            #expect(node.lists.trustList != nil, "the trust list, at its floor, stays")
        }
    }

    @Test("A floor signed later than the node's clock allows is left aside, with a warning: a clock that once ran ahead does not shut lists out")
    func floorsFromTheFuture() async throws {
        let (_, fake, state, anchors, code) = try Self.started()
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            try node.store.raiseListFloor("status-list/1", to: ListFloor(issuedAt: Issuer.now + 86_400, sequence: 1))
            await node.refresher.loadCache()
            #expect(node.log.lines.contains { $0.contains("list floors signed later than this node's clock allows") && $0.contains("status-list/1") })
            #expect(await node.refresher.refresh().reached)
            #expect(node.verify(code) == .valid)
        }
    }

    @Test("A list signed after the node's time and skew is refused as clock, not signature; a status list without exp is refused as malformed")
    func clockAndMissingExpiry() async throws {
        let (issuer, fake, state, anchors, _) = try Self.started()
        try await fake.run { base in
            // This node's clock an hour behind the issuer's.
            let behind = try Node(issuer: base, state: state.url, anchors: anchors, clock: { Issuer.now - 3_600 })
            #expect(await behind.refresher.refresh().reached == false)
            #expect(behind.refusals("trust-list", "clock") == 1, "\(behind.log.lines)")
            #expect(behind.log.lines.contains { $0.contains("this node's clock or the issuer's is wrong") })

            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            #expect(await node.refresher.refresh().reached)
            // Signed by the issuer's own key, with everything right but exp.
            var list = try CertificateStatusList()
            try list.set(.invalid, at: 0)
            let token = try StatusListToken(
                statusList: list.statusList, uri: issuer.workspace.configuration.statusListURI, issuedAt: Issuer.now + 1,
                issuer: issuer.workspace.configuration.issuerCode
            )
            let unbounded = try CoseSign1.sign(payload: token.claims.cbor.encoded(), type: ObjectType.statusList.rawValue, key: try issuer.workspace.issuerKey())
            fake.serve("/v1/status-lists/1", unbounded.encoded(tagged: true))
            #expect(await node.refresher.refresh().reached == false)
            #expect(node.refusals("status-list/1", "malformed") == 1, "\(node.log.lines)")
            #expect(node.log.lines.contains { $0.contains("the status list has no exp") })
        }
    }

    @Test("A list taken that cannot be cached is counted (zhucan_node_store_failures_total{what=cache}) and logged, and still used")
    func cacheWriteFailureCounted() async throws {
        let (_, fake, state, anchors, code) = try Self.started()
        // A folder where the status list's file goes: no rename replaces it, even as root.
        try FileManager.default.createDirectory(at: state.url.appendingPathComponent("lists/status-list-1.cwt"), withIntermediateDirectories: true)
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            #expect(await node.refresher.refresh().reached)
            #expect(node.verify(code) == .valid)
            let text = String(decoding: node.metrics.exposition(), as: UTF8.self)
            #expect(text.contains(#"zhucan_node_store_failures_total{what="cache"} 1"#), "\(text)")
            #expect(node.log.lines.contains { $0.contains("cannot cache a list") })
        }
    }

    @Test("The cache folder is owner-only, and one left open to others is closed: whoever writes there can plant an older list")
    func cacheOwnerOnly() throws {
        let state = try TemporaryDirectory()
        let lists = state.url.appendingPathComponent("lists")
        try FileManager.default.createDirectory(at: lists, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
        _ = try ListCache(stateDirectory: state.url)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: lists.path)[.posixPermissions] as? NSNumber).intValue
        #expect(mode == 0o700)
    }

    // The gauges were set at the end of each round only, and rounds back off to minutes while
    // the issuer is unreachable: a scrape found a node ready whose status list had expired.
    @Test("The lists' gauges are as of the scrape: a status list that expires between rounds shows at the next /metrics")
    func gaugesAtScrape() async throws {
        let (_, fake, state, anchors, _) = try Self.started()
        let offset = Mutex<Int64>(0)
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors, clock: { Issuer.now + offset.withLock { $0 } })
            #expect(await node.refresher.refresh().reached)
            let fresh = String(decoding: node.metrics.exposition(), as: UTF8.self)
            #expect(fresh.contains("zhucan_node_ready 1.0"), "\(fresh)")
            // A day and a second later, no round since.
            offset.withLock { $0 = 86_401 }
            let later = String(decoding: node.metrics.exposition(), as: UTF8.self)
            #expect(later.contains("zhucan_node_ready 0.0"), "\(later)")
            #expect(later.contains(#"zhucan_node_list_expires_in_seconds{list="status-list/1"} -"#), "\(later)")
        }
    }

    /// The log key of the fixture's workspace (the demo one), to sign checkpoints the issuer
    /// did not: a forked or rewritten log, which only the issuer can sign.
    static func logSigner(origin: String) throws -> NoteSigner {
        try NoteSigner(keyName: origin, privateKey: try PrivateKey(
            contentsOfFile: TestVectors.projectRoot.appendingPathComponent("keys/demo-log-ed25519.key.pem").path))
    }

    @Test("With --log-key, a first checkpoint of another log signed by that key is refused, and no list is taken")
    func checkpointOfAnotherLog() async throws {
        let (issuer, fake, state, anchors, code) = try Self.started()
        let trusted = try #require(try issuer.workspace.registry.latestCheckpoint())
        let signer = try Self.logSigner(origin: issuer.workspace.logOrigin())
        let foreign = try Checkpoint(origin: "staging.example/other-log", size: trusted.size, rootHash: trusted.rootHash).signed(by: [signer]).encoded
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors, logKey: try issuer.workspace.logVerifierKey())
            fake.serve("/v1/log/checkpoint", foreign)
            _ = await node.refresher.refresh().reached
            #expect(node.refusals("checkpoint", "signature") == 1, "\(node.log.lines)")
            #expect(node.verify(code) == .statusUnknown, "no list is taken from another log")
        }
    }

    @Test("A signed checkpoint that does not extend the trusted one (a fork, a shrunk log, a bad proof), or none at all, is refused, and no list is taken meanwhile")
    func inconsistentCheckpoint() async throws {
        let (issuer, fake, state, anchors, code) = try Self.started()
        let logKey = try issuer.workspace.logVerifierKey()
        let trusted = try #require(try issuer.workspace.registry.latestCheckpoint())
        let origin = try issuer.workspace.logOrigin()
        let signer = try Self.logSigner(origin: origin)
        @Sendable func note(size: UInt64, root: [UInt8]) throws -> [UInt8] {
            try Checkpoint(origin: origin, size: size, rootHash: root).signed(by: [signer]).encoded
        }
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors, logKey: logKey)
            #expect(await node.refresher.refresh().reached)
            #expect(node.verify(code) == .valid)

            // The issuer revokes, and serves the new list with a checkpoint of another tree.
            try issuer.workspace.change(.revoke, certificateNumber: issuer.certificate, reason: "test", now: Issuer.now + 1)
            fake.serve("/v1/status-lists/1", try issuer.statusList)
            // 1. A fork: the same size, another root.
            fake.serve("/v1/log/checkpoint", try note(size: trusted.size, root: Array(repeating: 7, count: 32)))
            _ = await node.refresher.refresh().reached
            #expect(node.refusals("checkpoint", "inconsistent") == 1)
            #expect(node.verify(code) == .valid, "no list is taken from a log that forked")
            // 2. A shrunk log.
            fake.serve("/v1/log/checkpoint", try note(size: trusted.size - 1, root: trusted.rootHash))
            _ = await node.refresher.refresh().reached
            #expect(node.refusals("checkpoint", "inconsistent") == 2)
            // 3. A bigger tree whose consistency proof does not verify.
            let bigger = try #require(try issuer.workspace.registry.latestCheckpoint())
            #expect(bigger.size > trusted.size)
            fake.serve("/v1/log/checkpoint", try note(size: bigger.size, root: Array(repeating: 9, count: 32)))
            fake.serve("/v1/log/proof/consistency?from=\(trusted.size)&to=\(bigger.size)", Array(#"{"hashes":[]}"#.utf8))
            _ = await node.refresher.refresh().reached
            #expect(node.refusals("checkpoint", "inconsistent") == 3)
            #expect(node.verify(code) == .valid)
            // 4. No checkpoint at all, where the node holds a signed one: the log is hidden.
            fake.serve("/v1/log/checkpoint", nil)
            _ = await node.refresher.refresh().reached
            #expect(node.refusals("checkpoint", "inconsistent") == 4)
            #expect(node.verify(code) == .valid, "no list is taken while the log is hidden")
            let exposition = String(decoding: node.metrics.exposition(), as: UTF8.self)
            #expect(exposition.contains("zhucan_node_log_inconsistent 1.0"))
            #expect(node.log.lines.contains { $0.contains("error") && $0.contains("checkpoint") })

            // The genuine checkpoint and its real proof: consistent again, and the list is taken.
            let proof = try issuer.workspace.registry.consistencyProof(from: trusted.size, to: bigger.size)
            let body = try JSONSerialization.data(withJSONObject: ["hashes": proof.map { Data($0).base64EncodedString() }])
            fake.serve("/v1/log/checkpoint", Array(bigger.note.utf8))
            fake.serve("/v1/log/proof/consistency?from=\(trusted.size)&to=\(bigger.size)", Array(body))
            try issuer.serveProofs(on: fake)
            _ = await node.refresher.refresh().reached
            #expect(node.verify(code) == .revoked)
            #expect(String(decoding: node.metrics.exposition(), as: UTF8.self).contains("zhucan_node_log_inconsistent 0.0"))
        }
    }

    // The review of a dishonest issuer: a status list signed and served but never logged was
    // taken by nodes, also with --log-key, and the audit of the log stayed clean.
    @Test("With --log-key, a list the log does not hold is refused (unlogged) and the held one stays; one logged past the checkpoint held waits for a newer checkpoint; without a key it is taken")
    func listsMustBeLogged() async throws {
        let (issuer, fake, state, anchors, code) = try Self.started()
        let logKey = try issuer.workspace.logVerifierKey()
        try issuer.workspace.change(.suspend, certificateNumber: issuer.certificate, reason: "review", now: Issuer.now)
        try issuer.serveAll(on: fake)
        // A copy of the registry, in which the issuer reinstates: its list is signed by the
        // issuer key, newer, and logged only in the copy, which no auditor is shown.
        let copy = try TemporaryDirectory()
        try FileManager.default.copyItem(at: issuer.workspace.directory, to: copy.url.appendingPathComponent("ws"))
        let hidden = try Workspace(opening: copy.url.appendingPathComponent("ws"))
        try hidden.change(.reinstate, certificateNumber: issuer.certificate, reason: "hidden", now: Issuer.now + 1)
        let hiddenText = try #require(try hidden.registry.latestPublication(.statusList)).text
        let hiddenList = Array(try #require(Data(base64Encoded: hiddenText)))
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors, logKey: logKey)
            #expect(await node.refresher.refresh().reached, "\(node.log.lines)")
            #expect(node.verify(code) == .suspended)

            // Served, with no proof (the issuer's log does not hold it), or with the proof of
            // the list the log does hold.
            fake.serve("/v1/status-lists/1", hiddenList)
            #expect(await node.refresher.refresh().reached == false)
            #expect(node.refusals("status-list/1", "unlogged") == 1, "\(node.log.lines)")
            #expect(node.verify(code) == .suspended, "the unlogged list is not taken")
            #expect(node.refresher.problemDescriptions().contains { $0.contains("unlogged") && $0.contains("gives no proof that its log holds it") },
                    "\(node.refresher.problemDescriptions())")
            let genuine = try #require(try issuer.workspace.registry.latestPublication(.statusList))
            let hiddenPublication = try #require(try hidden.registry.latestPublication(.statusList))
            try issuer.serveProof(of: hiddenPublication, on: fake, proof: try issuer.workspace.publicationProof(.statusList, digest: Digest.sha256(try #require(Workspace.servedBody(of: genuine)))))
            #expect(await node.refresher.refresh().reached == false)
            #expect(node.refusals("status-list/1", "unlogged") == 2, "\(node.log.lines)")
            #expect(node.verify(code) == .suspended)
            #expect(node.refresher.problemDescriptions().contains { $0.contains("records another status-list than the one served") },
                    "\(node.refresher.problemDescriptions())")

            // A genuine list logged after the checkpoint the issuer serves (signed between the
            // node's two fetches): asked for once more after fetching the checkpoint again, and
            // refused while no checkpoint covers it.
            let old = try Checkpoint(text: SignedNote(parsing: try issuer.checkpoint).textBytes)
            try issuer.workspace.change(.revoke, certificateNumber: issuer.certificate, reason: "deceased", now: Issuer.now + 2)
            fake.serve("/v1/status-lists/1", try issuer.statusList)
            let asked = fake.requested.filter { $0 == "/v1/log/checkpoint" }.count
            _ = await node.refresher.refresh()
            #expect(fake.requested.filter { $0 == "/v1/log/checkpoint" }.count == asked + 2, "the checkpoint is fetched again once")
            #expect(node.refusals("status-list/1", "unlogged") == 3, "\(node.log.lines)")
            #expect(node.refresher.problemDescriptions().contains { $0.contains("no proof that its log holds it within the checkpoint of \(old.size) entries") },
                    "\(node.refresher.problemDescriptions())")
            #expect(node.verify(code) == .suspended)
            // The newer checkpoint and its consistency proof: the list is taken.
            let new = try #require(try issuer.workspace.registry.latestCheckpoint())
            let proof = try issuer.workspace.registry.consistencyProof(from: old.size, to: new.size)
            fake.serve("/v1/log/proof/consistency?from=\(old.size)&to=\(new.size)",
                       Array(try JSONSerialization.data(withJSONObject: ["hashes": proof.map { Data($0).base64EncodedString() }])))
            try issuer.serveAll(on: fake)
            #expect(await node.refresher.refresh().reached, "\(node.log.lines)")
            #expect(node.verify(code) == .revoked)
        }

        // Without a key an unsigned checkpoint proves nothing, and no proof is asked for.
        let plain = try TemporaryDirectory()
        fake.serve("/v1/status-lists/1", hiddenList)
        try await fake.run { base in
            let node = try Node(issuer: base, state: plain.url, anchors: anchors)
            #expect(await node.refresher.refresh().reached)
            #expect(node.verify(code) == .valid)
        }
    }

    @Test("refreshSoon brings the next round forward, at most once every earlyRefreshSpacing")
    func refreshSoonIsSpaced() async throws {
        let (_, fake, state, anchors, _) = try Self.started()
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors, refreshInterval: .seconds(3_600))
            let running = Task { try await node.refresher.run() }
            defer { running.cancel() }
            func rounds(reaching count: Int, within limit: Duration) async throws -> Bool {
                let deadline = ContinuousClock.now + limit
                while ContinuousClock.now < deadline {
                    if node.rounds("reached") >= count { return true }
                    try await Task.sleep(for: .milliseconds(50))
                }
                return false
            }
            #expect(try await rounds(reaching: 1, within: .seconds(30)))
            node.refresher.refreshSoon()
            #expect(try await rounds(reaching: 2, within: .seconds(30)), "brought forward")
            node.refresher.refreshSoon()
            #expect(try await rounds(reaching: 3, within: .seconds(1)) == false, "not again within \(ListRefresher.earlyRefreshSpacing)")
        }
    }

    @Test("refreshSoon does not bring a round forward while the issuer answers for no status list: the backoff stands")
    func refreshSoonWaitsOutTheBackoff() async throws {
        let (_, fake, state, anchors, _) = try Self.started()
        fake.answer("/v1/status-lists/1", .internalServerError)
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors, refreshInterval: .seconds(3_600))
            let running = Task { try await node.refresher.run() }
            defer { running.cancel() }
            let deadline = ContinuousClock.now + .seconds(30)
            while node.rounds("unreachable") < 1, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(node.rounds("unreachable") == 1)
            node.refresher.refreshSoon()
            try await Task.sleep(for: .seconds(1))
            #expect(node.rounds("unreachable") + node.rounds("reached") == 1, "no round brought forward")
        }
    }

    // Unsigned checkpoints used to be trusted on first sight and kept on disk: one forged
    // answer made every genuine checkpoint "inconsistent", and the node took no list again.
    @Test("Without a log key, a forged checkpoint cannot stop the lists: the inconsistency is reported, the list is taken, nothing unsigned is kept")
    func unsignedCheckpointIsAdvisory() async throws {
        let (issuer, fake, state, anchors, code) = try Self.started()
        let genuine = try #require(try issuer.workspace.registry.latestCheckpoint())
        let origin = try issuer.workspace.logOrigin()
        let forger = try NoteSigner(keyName: origin, privateKey: try PrivateKey.generate(.ed25519))
        // The first answer the node ever gets is forged: a far bigger log of another tree.
        fake.serve("/v1/log/checkpoint", try Checkpoint(origin: origin, size: genuine.size + 1_000, rootHash: Array(repeating: 7, count: 32))
            .signed(by: [forger]).encoded)
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            #expect(await node.refresher.refresh().reached)
            #expect(node.verify(code) == .valid)

            // The genuine checkpoint and a revocation: reported as inconsistent, yet taken.
            try issuer.workspace.change(.revoke, certificateNumber: issuer.certificate, reason: "test", now: Issuer.now + 1)
            fake.serve("/v1/status-lists/1", try issuer.statusList)
            fake.serve("/v1/log/checkpoint", try issuer.checkpoint)
            #expect(await node.refresher.refresh().reached)
            #expect(node.refusals("checkpoint", "inconsistent") == 1)
            #expect(node.log.lines.contains { $0.contains("unsigned") && $0.contains("--log-key") })
            #expect(node.verify(code) == .revoked, "a forged checkpoint kept the revocation out")

            // The next round is consistent again, and nothing unsigned was written to disk.
            #expect(await node.refresher.refresh().reached)
            #expect(node.refusals("checkpoint", "inconsistent") == 1)
            #expect(String(decoding: node.metrics.exposition(), as: UTF8.self).contains("zhucan_node_log_inconsistent 0.0"))
            #expect(!FileManager.default.fileExists(atPath: try ListCache(stateDirectory: state.url).directory.appendingPathComponent(ListCache.checkpoint).path))
        }
    }

    @Test("Catalogue editions are taken in order, and one replayed at a later number is refused, so it cannot keep the real edition out")
    func replayedCatalogueEdition() async throws {
        let (issuer, fake, state, anchors, _) = try Self.started()
        let text = try issuer.publishCatalogue()
        try issuer.publishCatalogue(version: "pinghu-2026.6")
        let editions = try issuer.workspace.registry.publications(.catalogue).map { Array($0.text.utf8) }
        try #require(editions.count == 2)
        // Minted under edition 2, the one in force.
        let code = try issuer.workspace.serviceCode(
            certificateNumber: issuer.certificate, service: "certificate-new", seconds: 3_600, oneTime: false, now: Issuer.now)
        // An edition signed before editions carried their number: only its version binds it.
        let unnumbered = try EnvelopeSealer.seal(
            try Catalogue(parsing: Data(text.utf8)).claims(issuerCode: issuer.workspace.configuration.issuerCode, issuedAt: Issuer.now, edition: nil),
            type: ObjectType.catalogue.rawValue, key: try issuer.workspace.issuerKey()
        )

        fake.serve("/v1/catalogue/1", editions[0])
        fake.serve("/v1/catalogue/2", editions[0])
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            #expect(await node.refresher.refresh().reached)
            #expect(node.lists.latestCatalogueSequence == 1)
            #expect(node.refusals("catalogue", "misplaced") == 1, "edition 1 served as edition 2")
            #expect(node.verify(code) == .statusUnknown, "edition 2 is not held")

            fake.serve("/v1/catalogue/2", Array(unnumbered.utf8))
            #expect(await node.refresher.refresh().reached)
            #expect(node.refusals("catalogue", "misplaced") == 2, "a version already held, served as edition 2")
            #expect(node.lists.latestCatalogueSequence == 1)

            // The issuer's real edition 2 is taken at the next round: nothing was stuck.
            fake.serve("/v1/catalogue/2", editions[1])
            #expect(await node.refresher.refresh().reached)
            #expect(node.lists.latestCatalogueSequence == 2)
            #expect(node.verify(code) == .valid)
            #expect(fake.requested.contains("/v1/catalogue/3"), "and it asks for the next one")
        }
    }

    @Test("A catalogue edition of a key later revoked: a running node drops it with the trust list and takes it signed again; a new node is not held back by it; a front end answering every number is asked three")
    func catalogueOfARevokedKey() async throws {
        let (issuer, fake, state, anchors, _) = try Self.started()
        try issuer.publishCatalogue()
        let oldKey = try issuer.workspace.issuerKey().publicKey.keyID.hex
        try issuer.workspace.rotateIssuerKey(now: Issuer.now)
        // Minted by the new key under edition 1, before edition 2 is in force.
        let code = try issuer.workspace.serviceCode(
            certificateNumber: issuer.certificate, service: "certificate-new", seconds: 3_600, oneTime: false, now: Issuer.now)
        try issuer.publishCatalogue(version: "pinghu-2026.6")
        @Sendable func edition(_ number: Int64) throws -> [UInt8] {
            Array(try #require(try issuer.workspace.registry.publication(.catalogue, sequence: number)).text.utf8)
        }
        let signedByOldKey = try edition(1)
        try issuer.serveAll(on: fake)
        fake.serve("/v1/catalogue/1", signedByOldKey)
        fake.serve("/v1/catalogue/2", try edition(2))
        try await fake.run { base in
            // A node running before the revocation holds both editions.
            let running = try Node(issuer: base, state: state.url, anchors: anchors)
            #expect(await running.refresher.refresh().reached)
            #expect(running.lists.catalogueSequences == [1, 2])

            _ = try issuer.workspace.revokeIssuerKey(keyID: oldKey, reason: "stolen", now: Issuer.now)
            let resigned = try edition(1)
            #expect(resigned != signedByOldKey)
            #expect(EnvelopeLayers(reading: String(decoding: resigned, as: UTF8.self)).cose?.keyID == (try issuer.workspace.issuerKey()).publicKey.keyID)
            try issuer.serveAll(on: fake)
            fake.serve("/v1/catalogue/1", resigned)
            #expect(await running.refresher.refresh().reached)
            #expect(running.lists.catalogueSequences == [1, 2])
            #expect(fake.requested.filter { $0 == "/v1/catalogue/1" }.count == 2, "dropped with the trust list that revokes its key, and asked again")
            #expect(fake.requested.filter { $0 == "/v1/catalogue/2" }.count == 1, "an edition held is not asked again")
            #expect(running.verify(code) == .valid)

            // A new node behind a cache that still has the old edition 1.
            let freshState = try TemporaryDirectory()
            let fresh = try Node(issuer: base, state: freshState.url, anchors: anchors)
            fake.serve("/v1/catalogue/1", signedByOldKey)
            #expect(await fresh.refresher.refresh().reached)
            #expect(fresh.refusals("catalogue", "signature") == 1, "edition 1 is signed by a revoked key")
            #expect(fresh.lists.catalogueSequences == [2], "and does not hold back edition 2")
            #expect(fresh.verify(code) == .statusUnknown)
            fake.serve("/v1/catalogue/1", resigned)
            // A front end that answers every number: asked three past the highest held, not ten thousand.
            for number in 3...8 { fake.serve("/v1/catalogue/\(number)", Array("<html>app</html>".utf8)) }
            #expect(await fresh.refresher.refresh().reached)
            #expect(fresh.lists.catalogueSequences == [1, 2])
            #expect(fresh.verify(code) == .valid)
            #expect(!fake.requested.contains("/v1/catalogue/6") && fake.requested.contains("/v1/catalogue/5"), "\(fake.requested.filter { $0.hasPrefix("/v1/catalogue") })")
        }
    }

    @Test("A fetch whose body does not arrive whole within the fetch timeout fails, and the round goes on with the lists in use")
    func stalledBody() async throws {
        let (issuer, fake, state, anchors, code) = try Self.started()
        try await fake.run { base in
            // The lists taken with the generous default timeout (the CLI suites beside this one
            // can starve the fake issuer of threads for seconds), then a node with a short one
            // starts from the cache they left.
            #expect(await (try Node(issuer: base, state: state.url, anchors: anchors)).refresher.refresh().reached)
            let node = try Node(issuer: base, state: state.url, anchors: anchors, fetchTimeout: .seconds(3))
            await node.refresher.loadCache()
            #expect(node.verify(code) == .valid)
            // A newer list whose head comes at once and whose body would take hours.
            try issuer.workspace.change(.revoke, certificateNumber: issuer.certificate, reason: "test", now: Issuer.now + 1)
            fake.serve("/v1/status-lists/1", try issuer.statusList)
            fake.dribble("/v1/status-lists/1", every: .seconds(5))
            let start = ContinuousClock.now
            #expect(await node.refresher.refresh().reached == false)
            // Bounded by the timeout, not by the body (a loose bound: CI machines are slow).
            #expect(ContinuousClock.now - start < .seconds(60))
            #expect(node.rounds("unreachable") == 1)
            #expect(node.log.lines.contains { $0.contains("no whole answer within") })
            #expect(node.verify(code) == .valid, "the list in use stays")
        }
    }

    @Test("A node restarted without its issuer serves from its cache, and answers status_unknown once a cached list has expired")
    func cacheAcrossRestarts() async throws {
        let (issuer, fake, state, anchors, code) = try Self.started()
        try await fake.run { base in
            let node = try Node(issuer: base, state: state.url, anchors: anchors)
            #expect(await node.refresher.refresh().reached)
        }
        // The issuer is gone; a new node on the same state folder.
        // (Port 9 may swallow the connection rather than refuse it: a short timeout.)
        let restarted = try Node(issuer: URL(string: "http://127.0.0.1:9")!, state: state.url, anchors: anchors, fetchTimeout: .seconds(2))
        await restarted.refresher.loadCache()
        #expect(restarted.lists.isLoaded(statusListIDs: ["1"]))
        #expect(restarted.verify(code) == .valid)
        #expect(await restarted.refresher.refresh().reached == false)
        #expect(restarted.rounds("unreachable") == 1 && restarted.rounds("reached") == 0)
        #expect(restarted.verify(code) == .valid, "an unreachable issuer changes nothing")
        // A day later the cached status list has expired: status_unknown, never valid.
        let later = CredentialVerifier(verified: restarted.lists.current, configuration: .init(validationTime: Issuer.now + 86_401))
        #expect(later.verify(issuer.certificateCode).reason == .statusUnknown)
        #expect(restarted.lists.readiness(statusListIDs: ["1"], now: Issuer.now) == .ready)
        guard case .expired(let list, _) = restarted.lists.readiness(statusListIDs: ["1"], now: Issuer.now + 86_401) else {
            Issue.record("an expired status list leaves the node ready")
            return
        }
        #expect(list == "status-list/1")
        #expect(CredentialVerifier(verified: restarted.lists.current, configuration: .init(validationTime: Issuer.now)).verify(issuer.certificateCode).reason == .valid)
    }

    @Test("A new trust list retags the catalogue editions held with its entries' issuer: a service code of the issuer as the new list names it is judged by them")
    func catalogueIssuerFollowsTheTrustList() throws {
        let issuer = try Issuer()
        try issuer.publishCatalogue()
        let lists = NodeLists(trustAnchors: try issuer.anchors, skew: 120)
        #expect(try lists.offerTrustList(String(decoding: try issuer.trustList, as: UTF8.self), now: Issuer.now))
        let edition = try #require(try issuer.workspace.registry.latestPublication(.catalogue))
        #expect(try lists.offerCatalogue(sequence: edition.sequence, edition.text))
        #expect(lists.current.lists.catalogues.map(\.issuerCode) == [issuer.workspace.configuration.issuerCode])

        // The same keys, under another USCC (the issuer's code corrected), in a later list.
        let other = "91110000600037341L"
        let text = String(decoding: try issuer.trustList, as: UTF8.self)
        var list = try TrustList(claims: try #require(EnvelopeLayers(reading: text).claims))
        list.entries = list.entries.map { entry in
            var renamed = entry
            renamed.issuerCode = other
            return renamed
        }
        list.sequence += 1
        list.issuedAt += 1
        let renamed = try EnvelopeSealer.seal(list.claims, type: ObjectType.trustList.rawValue, key: try issuer.workspace.rootKey())
        #expect(try lists.offerTrustList(renamed, now: Issuer.now + 1))
        #expect(lists.current.lists.catalogues.map(\.issuerCode) == [other])
    }
}
