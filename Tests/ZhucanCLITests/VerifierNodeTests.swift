import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import Synchronization
import Testing
import ZhucanTesting

/// `zhucan verifier serve` beside `zhucan serve`, as an operator runs them: binaries on
/// loopback, the nodes knowing only the issuer's URL and the root public key.
@Suite("zhucan verifier serve: nodes that hold no private key", .serialized)
struct VerifierNodeTests {
    /// The nodes' refresh interval, seconds.
    static let refresh = 1.0

    /// Two certificates: 王小明 (A, revoked during the test) and 李小红 (B).
    static let holderA = "36012119701121001343"

    /// A demo workspace whose status lists live 60 s (the shortest allowed), so that the
    /// issuer republishes them every 30 s and a stopped issuer's lists expire within a minute;
    /// with `shortLists` false, the default day, for tests that change the registry behind the
    /// service and need no list republished meanwhile.
    static func workspace(shortLists: Bool = true) throws -> (TemporaryDirectory, certificateB: String) {
        let folder = try ServerCommandTests.workspace()
        func zhucan(_ arguments: [String]) throws -> Shell.Output { try ZhucanBinary.run(arguments, in: folder.url) }
        if shortLists {
            let configURL = folder.url.appendingPathComponent("ws/config.json")
            var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
            config["statusListValiditySeconds"] = 60
            try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        }
        #expect(try zhucan(["issue", "--dir", "ws", "--name", "王小明", "--id-number", "360121197011210013", "--category", "4",
                            "--level", "3", "--region", "330482"]).status == 0)
        let issued = try zhucan(["issue", "--dir", "ws", "--name", "李小红", "--id-number", "11010519491231002X", "--category", "1",
                                 "--level", "2", "--region", "330482", "--json"])
        #expect(issued.status == 0, "\(issued.errorText)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(issued.text.utf8)) as? [String: Any])
        let number = try #require(json["certificateNumber"] as? String, "\(json)")
        #expect(try zhucan(["status-list", "publish", "--dir", "ws", "--out", "status.cwt"]).status == 0)
        return (folder, number)
    }

    /// Starts a node on `stateDir` against `issuer`, with `arguments` added.
    static func node(
        _ name: String, issuer: URL, in folder: URL, database: String? = nil, stateDir: String? = nil, launcher: [String] = [],
        arguments: [String] = []
    ) throws -> ServeProcess {
        let store = database.map { ["--database", $0] } ?? []
        return try ServeProcess(
            command: ["verifier", "serve", "--issuer", issuer.absoluteString, "--trust-anchor", "ws/keys/root.pub.pem",
                      "--state-dir", stateDir ?? name, "--refresh-seconds", String(refresh), "--port", "0", "--log-level", "info"]
                + store + arguments,
            in: folder, logName: "\(name).log", launcher: launcher
        )
    }

    /// Waits until `GET /readyz` answers 200.
    static func waitUntilReady(_ node: ServeProcess, within seconds: Double = 20) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let (_, response) = try? await URLSession.shared.data(from: node.baseURL.appendingPathComponent("readyz")),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("node not ready within \(seconds) s: \(node.log.suffix(1_500))")
    }

    /// How many refresh rounds `node` has finished with `result` (`reached`: they brought every
    /// list up to date), from its `/metrics`.
    static func refreshRounds(at node: ServeProcess, result: String = "reached") async throws -> Int {
        let count = try await metric("zhucan_node_refresh_rounds_total{result=\"\(result)\"}", at: node)
        return Int(count)
    }

    /// The value of `series` (a metric's name and labels) in `node`'s `/metrics`; 0 when absent.
    static func metric(_ series: String, at node: ServeProcess) async throws -> Double {
        let (body, _) = try await URLSession.shared.data(from: node.baseURL.appendingPathComponent("metrics"))
        let line = String(decoding: body, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix(series + " ") }
        return line.flatMap { Double($0.dropFirst(series.count + 1)) } ?? 0
    }

    /// `GET /readyz`: its status code and JSON body.
    static func readiness(of node: ServeProcess) async throws -> (status: Int, body: [String: Any]) {
        let (body, response) = try await URLSession.shared.data(from: node.baseURL.appendingPathComponent("readyz"))
        let json = try JSONSerialization.jsonObject(with: body) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, json)
    }

    /// Waits until `node`'s log holds `text`.
    static func waitForLog(_ node: ServeProcess, containing text: String, within seconds: Double = 30) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if node.log.contains(text) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("no \(text) in the log within \(seconds) s: \(node.log.suffix(1_500))")
    }

    /// Waits until `node` answers `reason` for `code`.
    static func waitForReason(_ reason: String, of code: String, at node: ServeProcess, key: String, within seconds: Double = 90) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        var answer: [String: Any] = [:]
        while Date() < deadline {
            answer = try await verify(code, at: node, key: key)
            if answer["reason"] as? String == reason { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        Issue.record("not \(reason) within \(seconds) s: \(answer) \(node.log.suffix(1_500))")
    }

    /// An API key for the node whose SQLite store is in `stateDir`.
    static func apiKey(stateDir: String, in folder: URL) throws -> String {
        let created = try ZhucanBinary.run(["verifier", "apikey", "create", "--state-dir", stateDir, "--name", "window 1", "--scope", "verify"], in: folder)
        #expect(created.status == 0, "\(created.errorText)")
        return try #require(created.text.split(separator: "\n").last.map(String.init))
    }

    /// The log's verifier key, as `--log-key` takes it (`zhucan audit checkpoint`).
    static func logKey(in folder: URL) throws -> String {
        let checkpoint = try ZhucanBinary.run(["audit", "checkpoint", "--dir", "ws"], in: folder)
        #expect(checkpoint.status == 0, "\(checkpoint.errorText)")
        let line = try #require(checkpoint.errorText.split(separator: "\n").first { $0.hasPrefix("log key: ") }, "\(checkpoint.errorText)")
        return String(line.dropFirst("log key: ".count))
    }

    /// Runs `sql` on the workspace's registry, behind the service's back.
    static func tamper(_ folder: URL, sql: String) throws {
        let database = try DatabaseQueue(path: folder.appendingPathComponent("ws/zhucan.db").path)
        try database.write { try $0.execute(sql: sql) }
    }

    /// Waits until `node` has finished `count` rounds with `result`. The limit only guards
    /// against a hung refresher: a round takes milliseconds unloaded.
    static func waitForRounds(_ node: ServeProcess, atLeast count: Int, result: String = "reached", within seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await refreshRounds(at: node, result: result) >= count { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("\(count) refresh rounds not finished within \(seconds) s: \(node.log.suffix(1_500))")
    }

    /// The reason a node answers for `code`.
    static func verify(_ code: String, at node: ServeProcess, key: String) async throws -> [String: Any] {
        try await ServeCrashTests.post(node.baseURL.appendingPathComponent("v1/verify"), key: key, json: ["code": code]).1
    }

    static func mint(_ arguments: [String], in folder: URL) throws -> String {
        let minted = try ZhucanBinary.run(["code"] + arguments + ["--dir", "ws"], in: folder)
        #expect(minted.status == 0, "\(minted.errorText)")
        return minted.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(
        "One issuer and three nodes sharing PostgreSQL: codes verify everywhere, one of 50 concurrent redemptions wins, a revocation reaches every node within a refresh, a stopped issuer's lists serve until they expire and then status_unknown (and /readyz 503), and a restarted node serves from its cache",
        .enabled(if: TestPostgres.shouldRun), .timeLimit(.minutes(5))
    )
    func threeNodes() async throws {
        let (folder, certificateB) = try Self.workspace()
        let database = try await TestPostgres.freshDatabase()
        let issuer = try ServeProcess(directory: "ws", in: folder.url, arguments: ["--database", database])
        let created = try ZhucanBinary.run(["verifier", "apikey", "create", "--database", database, "--name", "bus company 3",
                                            "--scope", "verify", "--scope", "redeem"], in: folder.url)
        #expect(created.status == 0, "\(created.errorText)")
        let key = try #require(created.text.split(separator: "\n").last.map(String.init))
        let nodes = try (1...3).map { try Self.node("node-\($0)", issuer: issuer.baseURL, in: folder.url, database: database) }
        for node in nodes { try await Self.waitUntilReady(node) }

        // Every node verifies both kinds of code.
        let identity = try Self.mint(["identity", "--certificate", Self.holderA], in: folder.url)
        let identityB = try Self.mint(["identity", "--certificate", certificateB, "--ttl", "3600"], in: folder.url)
        for node in nodes {
            let answer = try await Self.verify(identity, at: node, key: key)
            #expect(answer["reason"] as? String == "valid", "\(answer)")
            #expect(answer["type"] as? String == "identity_code")
        }

        // 50 concurrent redemptions of one code over three nodes: exactly one succeeds.
        let service = try Self.mint(["service", "--certificate", Self.holderA, "--service", "free-bus", "--one-time"], in: folder.url)
        let urls = nodes.map { $0.baseURL.appendingPathComponent("v1/redeem") }
        let answers = try await withThrowingTaskGroup(of: (redeemed: Bool, reason: String).self) { group in
            for index in 0..<50 {
                let url = urls[index % urls.count]
                group.addTask {
                    let answer = try await ServeCrashTests.post(url, key: key, json: ["code": service, "service": "free-bus"]).1
                    return (answer["redeemed"] as? Bool == true, answer["reason"] as? String ?? "")
                }
            }
            var all: [(redeemed: Bool, reason: String)] = []
            for try await answer in group { all.append(answer) }
            return all
        }
        #expect(answers.filter(\.redeemed).count == 1)
        #expect(answers.filter { $0.reason == "already_redeemed" }.count == 49)

        // A revocation on the issuer reaches every node within one refresh (plus a fetch): a
        // round that starts after `zhucan revoke` returns takes the list it published, so each
        // node answers revoked once two rounds have finished since. Counted in rounds, not
        // seconds, so that a loaded machine slows the rounds without failing the test.
        let revoked = try ZhucanBinary.run(["revoke", "--dir", "ws", "--certificate", Self.holderA, "--reason", "test"], in: folder.url)
        #expect(revoked.status == 0, "\(revoked.errorText)")
        let start = Date()
        var rounds: [Int] = []
        for node in nodes { rounds.append(try await Self.refreshRounds(at: node)) }
        for (index, node) in nodes.enumerated() {
            try await Self.waitForRounds(node, atLeast: rounds[index] + 2)
            let answer = try await Self.verify(identity, at: node, key: key)
            #expect(answer["reason"] as? String == "revoked", "node \(index + 1), two refresh rounds after the revocation: \(answer)")
        }
        print("revocation seen by every node after \(String(format: "%.2f", Date().timeIntervalSince(start))) s (refresh \(Self.refresh) s)")

        // The issuer stops: the nodes answer from the lists they hold…
        issuer.stop(SIGTERM)
        let before = try await Self.verify(identityB, at: nodes[0], key: key)
        #expect(before["reason"] as? String == "valid", "\(before)")
        let expires = try #require((before["statusListExpires"] as? String).flatMap { ISO8601DateFormatter().date(from: $0) })
        // …and a node restarted meanwhile serves from its cache.
        nodes[2].stop(SIGTERM)
        let restarted = try Self.node("node-3-again", issuer: issuer.baseURL, in: folder.url, database: database, stateDir: "node-3")
        try await Self.waitUntilReady(restarted)
        #expect(restarted.log.contains("lists loaded from the cache"))
        let fromCache = try await Self.verify(identityB, at: restarted, key: key)
        #expect(fromCache["reason"] as? String == "valid", "\(fromCache)")
        #expect(try await Self.verify(identity, at: restarted, key: key)["reason"] as? String == "revoked")

        // Once the status list expires, every node answers status_unknown, never valid.
        let wait = expires.timeIntervalSinceNow + 1
        #expect(wait < 62, "the status list lives 60 s at most")
        try await Task.sleep(for: .seconds(max(0, wait)))
        for node in [nodes[0], nodes[1], restarted] {
            let after = try await Self.verify(identityB, at: node, key: key)
            #expect(after["reason"] as? String == "status_unknown", "\(after)")
            #expect(after["valid"] as? Bool == false)
            // …and leaves the balancer: another node that could fetch a newer list answers better.
            let (body, response) = try await URLSession.shared.data(from: node.baseURL.appendingPathComponent("readyz"))
            #expect((response as? HTTPURLResponse)?.statusCode == 503)
            #expect(String(decoding: body, as: UTF8.self).contains(#""status":"expired""#), "\(String(decoding: body, as: UTF8.self))")
        }
        #expect(nodes[0].log.contains("cannot reach the issuer"))
        for node in nodes + [restarted] where node.process.isRunning { node.stop(SIGTERM) }
    }

    @Test("A node started on a folder that holds the issuer's private keys, unable to read them, fetches, verifies and redeems")
    func noPrivateKeys() async throws {
        let (folder, _) = try Self.workspace()
        let issuer = try ServeProcess(directory: "ws", in: folder.url)
        let code = try Self.mint(["identity", "--certificate", Self.holderA], in: folder.url)
        let workspace = folder.url.appendingPathComponent("ws")
        // The node's state folder is the workspace itself; everything private in it is made
        // unreadable to the node: the keys, the registry and the configuration.
        let manager = FileManager.default
        let keys = workspace.appendingPathComponent("keys")
        let publicRoot = folder.url.appendingPathComponent("root.pub.pem")
        try manager.copyItem(at: keys.appendingPathComponent("root.pub.pem"), to: publicRoot)
        var denied = try manager.contentsOfDirectory(atPath: keys.path).map { keys.appendingPathComponent($0) }
        denied += try manager.contentsOfDirectory(atPath: workspace.path).filter { $0 != "keys" }.map { workspace.appendingPathComponent($0) }
        for url in denied { try manager.setAttributes([.posixPermissions: 0], ofItemAtPath: url.path) }
        try manager.setAttributes([.posixPermissions: 0o111], ofItemAtPath: keys.path)
        try manager.setAttributes([.posixPermissions: 0o777], ofItemAtPath: workspace.path)
        try manager.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.url.path)
        try manager.setAttributes([.posixPermissions: 0o644], ofItemAtPath: publicRoot.path)
        // Root reads whatever the mode: the node then runs as nobody.
        let launcher = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"] : []
        for url in denied where getuid() != 0 {
            #expect(manager.contents(atPath: url.path) == nil || url.hasDirectoryPath, "\(url.lastPathComponent) is still readable")
        }
        let node = try ServeProcess(
            command: ["verifier", "serve", "--issuer", issuer.baseURL.absoluteString, "--trust-anchor", publicRoot.path,
                      "--state-dir", workspace.path, "--refresh-seconds", "1", "--port", "0", "--log-level", "info"],
            in: folder.url, logName: "node.log", launcher: launcher
        )
        try await Self.waitUntilReady(node)
        // As the node's user: the store's files are the node's.
        let created = try Shell.run(
            launcher + [ZhucanBinary.url.path, "verifier", "apikey", "create", "--state-dir", workspace.path, "--name", "hospital", "--scope", "verify"],
            in: folder.url
        )
        #expect(created.status == 0, "\(created.errorText)")
        let key = try #require(created.text.split(separator: "\n").last.map(String.init))
        let answer = try await Self.verify(code, at: node, key: key)
        #expect(answer["reason"] as? String == "valid", "\(answer) \(node.log.suffix(1_000))")
        node.stop(SIGTERM)
        issuer.stop(SIGTERM)
        for url in denied { try? manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path) }
        try manager.setAttributes([.posixPermissions: 0o700], ofItemAtPath: keys.path)
    }

    @Test("Without --log-key, a checkpoint the node cannot read is reported (a refusal, a line naming --log-key) and the lists are taken all the same: the node becomes ready")
    func unreadableUnsignedCheckpoint() async throws {
        let (folder, _) = try Self.workspace(shortLists: false)
        try Self.tamper(folder.url, sql: "UPDATE log_checkpoint SET note = 'not a checkpoint' WHERE size = (SELECT MAX(size) FROM log_checkpoint)")
        let issuer = try ServeProcess(directory: "ws", in: folder.url)
        let node = try Self.node("node", issuer: issuer.baseURL, in: folder.url)
        try await Self.waitUntilReady(node)
        #expect(try await Self.metric(#"zhucan_node_refused_objects_total{list="checkpoint",reason="malformed"}"#, at: node) >= 1)
        #expect(node.log.contains("pin the log key with --log-key"), "\(node.log.suffix(1_500))")
        node.stop(SIGTERM)
        issuer.stop(SIGTERM)
    }

    @Test(
        "While the issuer's checkpoint and trust list answer 503, a revocation still reaches a node without --log-key, the rounds are not counted reached and /readyz says why; a node with --log-key takes no list until the log answers again",
        .timeLimit(.minutes(5))
    )
    func failingEndpointsDoNotHoldBackTheStatusList() async throws {
        let (folder, _) = try Self.workspace(shortLists: false)
        let issuer = try ServeProcess(directory: "ws", in: folder.url)
        // A reverse proxy in front of the issuer, answering 503 for the paths that fail.
        let failing = Mutex<[String]>([])
        let proxy = try ScriptedHTTPServer(upstreamPort: issuer.port) { request in
            failing.withLock { paths in paths.contains { request.target.hasPrefix($0) } } ? .answer(status: 503, fields: [], body: []) : .relay
        }
        defer { proxy.stop() }
        let logKey = try Self.logKey(in: folder.url)
        let node = try Self.node("node", issuer: proxy.baseURL, in: folder.url)
        let pinned = try Self.node("pinned", issuer: proxy.baseURL, in: folder.url, arguments: ["--log-key", logKey])
        try await Self.waitUntilReady(node)
        try await Self.waitUntilReady(pinned)
        let key = try Self.apiKey(stateDir: "node", in: folder.url)
        let pinnedKey = try Self.apiKey(stateDir: "pinned", in: folder.url)
        let code = try Self.mint(["identity", "--certificate", Self.holderA, "--ttl", "3600"], in: folder.url)
        #expect(try await Self.verify(code, at: node, key: key)["reason"] as? String == "valid")
        #expect(try await Self.verify(code, at: pinned, key: pinnedKey)["reason"] as? String == "valid")

        failing.withLock { $0 = ["/v1/log/", "/v1/trust-list"] }
        let blocked = try await Self.refreshRounds(at: pinned, result: "unreachable")
        let revoked = try ZhucanBinary.run(["revoke", "--dir", "ws", "--certificate", Self.holderA, "--reason", "test"], in: folder.url)
        #expect(revoked.status == 0, "\(revoked.errorText)")

        // The status list comes through on its own.
        try await Self.waitForReason("revoked", of: code, at: node, key: key)
        #expect(try await Self.metric(#"zhucan_node_fetch_failures_total{list="checkpoint"}"#, at: node) >= 1)
        #expect(try await Self.metric(#"zhucan_node_fetch_failures_total{list="trust-list"}"#, at: node) >= 1)
        // (Counted when the round ends, which may be just after the list was taken.)
        try await Self.waitForRounds(node, atLeast: 1, result: "unreachable")
        let (status, body) = try await Self.readiness(of: node)
        #expect(status == 200, "the lists held are current")
        let message = body["message"] as? String ?? ""
        #expect(message.contains("trust-list") && message.contains("503"), "\(body)")

        // With the log key pinned, no list is taken from a log the node cannot check…
        try await Self.waitForRounds(pinned, atLeast: blocked + 2, result: "unreachable")
        #expect(try await Self.verify(code, at: pinned, key: pinnedKey)["reason"] as? String == "valid")
        #expect(pinned.log.contains("no list is taken until the log is checked"), "\(pinned.log.suffix(1_500))")
        // …and the revocation once it can.
        failing.withLock { $0 = [] }
        try await Self.waitForReason("revoked", of: code, at: pinned, key: pinnedKey)
        node.stop(SIGTERM)
        pinned.stop(SIGTERM)
        issuer.stop(SIGTERM)
    }

    @Test("verifier serve refuses an --issuer holding a user or password (it is logged); over plain http to another machine it warns that older lists can be replayed")
    func issuerAddress() throws {
        let folder = try ServerCommandTests.workspace()
        let refused = try ZhucanBinary.run(
            ["verifier", "serve", "--issuer", "https://user:secret@issuer.example", "--trust-anchor", "ws/keys/root.pub.pem", "--state-dir", "n"],
            in: folder.url)
        #expect(refused.status == 2)
        #expect(refused.errorText.contains("--issuer must not hold a user or password"), "\(refused.errorText)")
        #expect(!refused.errorText.contains("secret"))
        let warning = "--issuer is plain http: whoever is on the path can serve older lists"
        // TEST-NET-1 (RFC 5737): never answers, so the node stays unready; it starts all the same.
        let plain = try Self.node("plain", issuer: URL(string: "http://192.0.2.1:9")!, in: folder.url)
        #expect(plain.log.contains(warning), "\(plain.log)")
        plain.stop()
        let local = try Self.node("local", issuer: URL(string: "http://127.0.0.1:9")!, in: folder.url)
        #expect(!local.log.contains(warning), "\(local.log)")
        local.stop()
    }

    @Test("A node that asks at the wrong place (an --issuer without the path prefix, a --status-list the issuer lacks) says so: a warning naming the URL, a failure counted, and the reason in /readyz")
    func notFoundIsReported() async throws {
        let (folder, _) = try Self.workspace(shortLists: false)
        let issuer = try ServeProcess(directory: "ws", in: folder.url)
        let prefixed = issuer.baseURL.appendingPathComponent("zhucan")
        let wrongPrefix = try Self.node("prefixed", issuer: prefixed, in: folder.url)
        let wrongList = try Self.node("list-2", issuer: issuer.baseURL, in: folder.url, arguments: ["--status-list", "2"])
        try await Self.waitForLog(wrongPrefix, containing: "\(prefixed.absoluteString)/v1/trust-list")
        try await Self.waitForLog(wrongList, containing: "\(issuer.baseURL.absoluteString)/v1/status-lists/2")
        for (node, list) in [(wrongPrefix, "trust-list"), (wrongList, "status-list/2")] {
            let (status, body) = try await Self.readiness(of: node)
            #expect(status == 503)
            #expect(body["status"] as? String == "loading")
            let message = body["message"] as? String ?? ""
            #expect(message.contains(list) && message.contains("404") && message.contains("--issuer"), "\(body)")
            #expect(try await Self.metric("zhucan_node_fetch_failures_total{list=\"\(list)\"}", at: node) >= 1)
        }
        wrongPrefix.stop(SIGTERM)
        wrongList.stop(SIGTERM)
        issuer.stop(SIGTERM)
    }

    // Carried over from reviews: after `keys rotate`, every code the issuer minted was
    // unknown_key at a node until the end of its refresh interval (30 s by default).
    @Test("After a key rotation, a node meeting a code of the new key fetches the trust list at once, not at the end of its interval")
    func unknownKeyRefreshesEarly() async throws {
        let (folder, _) = try Self.workspace(shortLists: false)
        let issuer = try ServeProcess(directory: "ws", in: folder.url)
        let node = try ServeProcess(
            command: ["verifier", "serve", "--issuer", issuer.baseURL.absoluteString, "--trust-anchor", "ws/keys/root.pub.pem",
                      "--state-dir", "node", "--refresh-seconds", "3600", "--port", "0", "--log-level", "info"],
            in: folder.url, logName: "node.log"
        )
        try await Self.waitUntilReady(node)
        let key = try Self.apiKey(stateDir: "node", in: folder.url)
        let rotated = try ZhucanBinary.run(["keys", "rotate", "--dir", "ws"], in: folder.url)
        try #require(rotated.status == 0, "\(rotated.errorText)")
        let code = try Self.mint(["identity", "--certificate", Self.holderA], in: folder.url)
        let first = try await Self.verify(code, at: node, key: key)
        #expect(first["reason"] as? String == "unknown_key", "\(first)")
        try await Self.waitForReason("valid", of: code, at: node, key: key, within: 20)
        node.stop(SIGTERM)
        issuer.stop(SIGTERM)
    }

    // A split view: the issuer shows the nodes one log and the auditor another. Each is
    // consistent on its own; only the checkpoint a node holds, held against the audited log,
    // tells them apart (the auditor review).
    @Test("A node serves the checkpoint it trusts; audit log --trusted-checkpoint <node URL> (repeatable, beside a file) is clean on the log the node saw and names a split view")
    func auditAgainstTheNodesCheckpoint() async throws {
        let (folder, _) = try Self.workspace(shortLists: false)
        func zhucan(_ arguments: [String]) throws -> Shell.Output { try ZhucanBinary.run(arguments, in: folder.url) }
        let logKey = try Self.logKey(in: folder.url)
        // The fork: a copy of the registry in which the issuer logs another certificate, served
        // to the node; the original logs a different one, and is what the auditor is given.
        try FileManager.default.copyItem(at: folder.url.appendingPathComponent("ws"), to: folder.url.appendingPathComponent("fork"))
        for (dir, id) in [("fork", "110101199003070011"), ("ws", "110101199003070038")] {
            let issued = try zhucan(["issue", "--dir", dir, "--name", "张三", "--id-number", id, "--category", "4", "--level", "3", "--region", "330482"])
            try #require(issued.status == 0, "\(issued.errorText)")
        }
        let saved = try zhucan(["audit", "checkpoint", "--dir", "ws"])
        try saved.stdout.write(to: folder.url.appendingPathComponent("mine.txt"))
        try #require(try zhucan(["audit", "export", "--dir", "ws", "--out", "ws.jsonl"]).status == 0)

        for (served, clean) in [("ws", true), ("fork", false)] {
            let issuer = try ServeProcess(directory: served, in: folder.url)
            let node = try Self.node("node-\(served)", issuer: issuer.baseURL, in: folder.url, arguments: ["--log-key", logKey])
            try await Self.waitUntilReady(node)
            let (body, response) = try await URLSession.shared.data(from: node.baseURL.appendingPathComponent("v1/log/checkpoint"))
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            #expect(String(decoding: body, as: UTF8.self).hasPrefix("zhucan.log/"), "\(String(decoding: body, as: UTF8.self))")
            let audited = try zhucan(["audit", "log", "--from", "ws.jsonl", "--log-key", logKey,
                                      "--trusted-checkpoint", "mine.txt", "--trusted-checkpoint", node.baseURL.absoluteString])
            if clean {
                #expect(audited.status == 0, "\(audited.text) \(audited.errorText)")
                // The issuer goes on; the node takes the newer log, ahead of the export: a note.
                let rounds = try await Self.refreshRounds(at: node)
                let issued = try zhucan(["issue", "--dir", "ws", "--name", "李四", "--id-number", "110101199003070054", "--category", "4", "--level", "3", "--region", "330482"])
                try #require(issued.status == 0, "\(issued.errorText)")
                try await Self.waitForRounds(node, atLeast: rounds + 2)
                let ahead = try zhucan(["audit", "log", "--from", "ws.jsonl", "--log-key", logKey, "--trusted-checkpoint", node.baseURL.absoluteString])
                #expect(ahead.status == 0, "\(ahead.text) \(ahead.errorText)")
                #expect(ahead.errorText.contains("note: the node \(node.baseURL.absoluteString) holds a checkpoint of"), "\(ahead.errorText)")
            } else {
                #expect(audited.status == 1)
                #expect(audited.text.contains("root_mismatch"), "\(audited.text)")
                #expect(audited.text.contains("trusted checkpoint \(node.baseURL.absoluteString) of size"), "names the node: \(audited.text)")
            }
            node.stop(SIGTERM)
            issuer.stop(SIGTERM)
        }
    }

    @Test("The cache is written owner-only, with no temporary file left; a node with --log-key whose cached checkpoint cannot be read says so at start")
    func cachedCheckpointThatCannotBeRead() async throws {
        let (folder, _) = try Self.workspace(shortLists: false)
        let issuer = try ServeProcess(directory: "ws", in: folder.url)
        let logKey = try Self.logKey(in: folder.url)
        let node = try Self.node("node", issuer: issuer.baseURL, in: folder.url, arguments: ["--log-key", logKey])
        try await Self.waitUntilReady(node)
        node.stop(SIGTERM)
        let lists = folder.url.appendingPathComponent("node/lists")
        let names = try FileManager.default.contentsOfDirectory(atPath: lists.path)
        #expect(Set(names).isSuperset(of: ["checkpoint.note", "trust-list.zc1", "status-list-1.cwt"]), "\(names)")
        for name in names {
            #expect(!name.hasSuffix(".tmp"), "\(name) left behind")
            let mode = (try FileManager.default.attributesOfItem(atPath: lists.appendingPathComponent(name).path)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "\(name): \(String(mode ?? 0, radix: 8))")
        }

        try Data("not a checkpoint\n".utf8).write(to: lists.appendingPathComponent("checkpoint.note"))
        let restarted = try Self.node("node-again", issuer: issuer.baseURL, in: folder.url, stateDir: "node", arguments: ["--log-key", logKey])
        #expect(restarted.log.contains("the cached log checkpoint cannot be read"), "\(restarted.log.suffix(1_500))")
        try await Self.waitUntilReady(restarted)
        restarted.stop(SIGTERM)
        issuer.stop(SIGTERM)
    }

    @Test("The node's and the auditor's modules import neither the issuer, its registry, nor GRDB")
    func modulesHoldNoRegistry() throws {
        let root = TestVectors.projectRoot
        for path in ["Sources/ZhucanNode", "Sources/ZhucanAudit", "Sources/ZhucanHTTP", "Sources/ZhucanServiceStore"] {
            let folder = root.appendingPathComponent(path)
            let files = try #require(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }
            for file in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                for module in ["ZhucanIssuer", "ZhucanRegistry", "GRDB", "ZhucanServer"] {
                    #expect(!text.contains("import \(module)\n"), "\(path)/\(file) imports \(module)")
                }
            }
        }
    }

    @Test("No file of the node's code opens a private key, the issuer's workspace or its registry")
    func nodeCodeHoldsNoPrivateKey() throws {
        let root = TestVectors.projectRoot
        let paths = ["Sources/ZhucanNode", "Sources/ZhucanHTTP", "Sources/ZhucanServiceStore", "Sources/zhucan/Verifier"]
        let forbidden = ["PrivateKey", "key.pem", "import ZhucanIssuer", "import ZhucanRegistry", "import GRDB", "Workspace(", "rootKey", "issuerKey"]
        var checked = 0
        for path in paths {
            let folder = root.appendingPathComponent(path)
            let files = try #require(FileManager.default.enumerator(atPath: folder.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
            for file in files {
                let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
                checked += 1
                for word in forbidden {
                    #expect(!text.contains(word), "\(path)/\(file) mentions \(word)")
                }
            }
        }
        #expect(checked >= 20)
    }
}
