import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
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
    /// issuer republishes them every 30 s and a stopped issuer's lists expire within a minute.
    static func workspace() throws -> (TemporaryDirectory, certificateB: String) {
        let folder = try ServerCommandTests.workspace()
        func zhucan(_ arguments: [String]) throws -> Shell.Output { try ZhucanBinary.run(arguments, in: folder.url) }
        let configURL = folder.url.appendingPathComponent("ws/config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        config["statusListValiditySeconds"] = 60
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
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

    /// Starts a node on `stateDir` against `issuer`.
    static func node(
        _ name: String, issuer: URL, in folder: URL, database: String? = nil, stateDir: String? = nil, launcher: [String] = []
    ) throws -> ServeProcess {
        let store = database.map { ["--database", $0] } ?? []
        return try ServeProcess(
            command: ["verifier", "serve", "--issuer", issuer.absoluteString, "--trust-anchor", "ws/keys/root.pub.pem",
                      "--state-dir", stateDir ?? name, "--refresh-seconds", String(refresh), "--port", "0", "--log-level", "info"] + store,
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

    /// How many refresh rounds `node` has finished that reached the issuer, from its `/metrics`.
    static func refreshRounds(at node: ServeProcess) async throws -> Int {
        let (body, _) = try await URLSession.shared.data(from: node.baseURL.appendingPathComponent("metrics"))
        let series = "zhucan_node_refresh_rounds_total{result=\"reached\"} "
        let line = String(decoding: body, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix(series) }
        return line.flatMap { Double($0.dropFirst(series.count)) }.map { Int($0) } ?? 0
    }

    /// Waits until `node` has finished `count` rounds that reached the issuer. The limit only
    /// guards against a hung refresher: a round takes milliseconds unloaded.
    static func waitForRounds(_ node: ServeProcess, atLeast count: Int, within seconds: Double = 60) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await refreshRounds(at: node) >= count { return }
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
