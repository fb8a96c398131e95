import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import ZhucanTesting

/// `zhucan apikey`, `zhucan audit lookups` and `zhucan serve` through the built binary.
@Suite("zhucan apikey, audit lookups, serve")
struct ServerCommandTests {
    /// A demo workspace `ws` in a fresh folder.
    static func workspace() throws -> TemporaryDirectory {
        let folder = try TemporaryDirectory()
        let created = try ZhucanBinary.run(
            ["init", "--demo", "--dir", "ws", "--keys-dir", TestVectors.projectRoot.appendingPathComponent("keys").path], in: folder.url
        )
        #expect(created.status == 0, "\(created.errorText)")
        return folder
    }

    @Test("apikey create prints the key once; list shows it without the secret; revoke, then revoke again fails")
    func apiKeys() throws {
        let folder = try Self.workspace()
        func zhucan(_ arguments: [String]) throws -> Shell.Output { try ZhucanBinary.run(arguments, in: folder.url) }
        let created = try zhucan(["apikey", "create", "--dir", "ws", "--name", "bus 3", "--scope", "verify", "--scope", "redeem"])
        #expect(created.status == 0, "\(created.errorText)")
        let key = created.text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(key.hasPrefix("zk_") && key.count == 3 + 8 + 1 + 43, "\(key)")
        let id = String(key.dropFirst(3).prefix(8))
        #expect(created.errorText.contains("not shown again"))

        let listed = try zhucan(["apikey", "list", "--dir", "ws"])
        #expect(listed.status == 0)
        #expect(listed.text.contains("\(id)\tbus 3\tverify,redeem\t"))
        #expect(!listed.text.contains(String(key.suffix(43))))

        #expect(try zhucan(["apikey", "revoke", "--dir", "ws", "--id", id]).status == 0)
        let revokedLine = try zhucan(["apikey", "list", "--dir", "ws"]).text.split(separator: "\n").first { $0.hasPrefix(id) }
        #expect(revokedLine.map { !$0.hasSuffix("\t-") } == true, "\(revokedLine ?? "")")
        #expect(try zhucan(["apikey", "revoke", "--dir", "ws", "--id", id]).status == 1)
        #expect(try zhucan(["apikey", "revoke", "--dir", "ws", "--id", "00000000"]).status == 1)
        #expect(try zhucan(["apikey", "create", "--dir", "ws", "--name", "x", "--scope", "everything"]).status == 2)
        #expect(try zhucan(["apikey", "create", "--dir", "ws", "--name", "x"]).status == 2)
        for seconds in ["-1", "301", "soon"] {
            let refused = try zhucan(["serve", "--dir", "ws", "--key-cache-seconds", seconds])
            #expect(refused.status == 2)
            #expect(refused.errorText.contains("key-cache-seconds"), "\(refused.errorText)")
        }
    }

    @Test("serve answers over HTTP, records a lookup that audit lookups lists, and exits 0 on SIGTERM")
    func serve() async throws {
        let folder = try Self.workspace()
        func zhucan(_ arguments: [String]) throws -> Shell.Output { try ZhucanBinary.run(arguments, in: folder.url) }
        #expect(try zhucan(["issue", "--dir", "ws", "--name", "王小明", "--id-number", "360121197011210013", "--category", "4",
                            "--level", "3", "--region", "330482", "--ssc-card-number", "A12345678"]).status == 0)
        let key = try zhucan(["apikey", "create", "--dir", "ws", "--name", "window", "--scope", "lookup"]).text
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let process = Process()
        process.executableURL = ZhucanBinary.url
        // --log-level info: the test reads the bound port from the "listening" line.
        process.arguments = ["serve", "--dir", "ws", "--port", "0", "--log-level", "info"]
        process.currentDirectoryURL = folder.url
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try Shell.launch(process)
        defer { if process.isRunning { process.terminate() } }

        // Hummingbird logs the bound address: "… listening on 127.0.0.1:PORT".
        var log = ""
        var port: Int?
        let deadline = Date().addingTimeInterval(20)
        while port == nil, Date() < deadline {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            log += String(decoding: chunk, as: UTF8.self)
            if let range = log.range(of: "listening on 127.0.0.1:") {
                port = Int(log[range.upperBound...].prefix { $0.isNumber })
            }
        }
        let bound = try #require(port, "no port in: \(log)")

        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(bound)/v1/holders/by-ssc/A12345678?purpose=test")!)
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self).contains("\"name\":\"王*明\""))

        // Revoked while the service runs: refused once the key cache's ttl (1 s) has passed.
        #expect(try zhucan(["apikey", "revoke", "--dir", "ws", "--id", String(key.dropFirst(3).prefix(8))]).status == 0)
        var status = 200, answered = 1
        let revocationDeadline = Date().addingTimeInterval(10)
        while status == 200, Date() < revocationDeadline {
            try await Task.sleep(for: .milliseconds(200))
            status = (try await URLSession.shared.data(for: request).1 as? HTTPURLResponse)?.statusCode ?? 0
            if status == 200 { answered += 1 }
        }
        #expect(status == 401)

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let rest = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(!(log + rest).contains("王小明"))
        #expect(!(log + rest).contains("A12345678"))

        let lookups = try zhucan(["audit", "lookups", "--dir", "ws"])
        #expect(lookups.status == 0)
        #expect(lookups.text.contains("A1*****78\tyes\ttest\t1.2.156.3005.2."), "\(lookups.text)")
        // Each answered lookup is recorded; the refused ones are not.
        #expect(lookups.text.contains("\(answered) lookups"), "\(lookups.text)")
        // Who looked this holder up; nobody looked up the other.
        #expect(try zhucan(["issue", "--dir", "ws", "--name", "李小红", "--id-number", "11010519491231002X", "--category", "1",
                            "--level", "2", "--region", "330482"]).status == 0)
        let holder = try zhucan(["audit", "lookups", "--dir", "ws", "--certificate", "36012119701121001343"])
        #expect(holder.text.contains("\(answered) lookups"), "\(holder.text)")
        let other = try zhucan(["audit", "lookups", "--dir", "ws", "--certificate", "11010519491231002X12"])
        #expect(other.text.contains("0 lookups"), "\(other.text)")
        #expect(try zhucan(["audit", "lookups", "--dir", "ws", "--certificate", "123"]).status == 2)
    }

    @Test("serve without --public-url says that each request's Host then names the service: a warning on an address other machines reach, a note on loopback; with it, nothing")
    func publicURLWarning() throws {
        let folder = try ServerCommandTests.workspace()
        let said = "no --public-url: each request's own Host header names this service, so whoever sends the request chooses"
        func line(_ log: String) -> Substring? { log.split(separator: "\n").first { $0.contains(said) } }
        let open = try ServeProcess(command: ["serve", "--dir", "ws", "--host", "0.0.0.0", "--port", "0", "--log-level", "info"],
                                    in: folder.url, logName: "open.log", host: "0.0.0.0")
        #expect(line(open.log)?.contains(" warning zhucan.server:") == true, "\(open.log)")
        open.stop()
        let named = try ServeProcess(
            command: ["serve", "--dir", "ws", "--host", "0.0.0.0", "--port", "0", "--log-level", "info", "--public-url", "https://zhucan.example"],
            in: folder.url, logName: "named.log", host: "0.0.0.0")
        #expect(line(named.log) == nil, "\(named.log)")
        named.stop()
        let local = try ServeProcess(directory: "ws", in: folder.url, logName: "local.log")
        #expect(line(local.log)?.contains(" info zhucan.server:") == true, "\(local.log)")
        local.stop()
    }

    @Test("serve sees what other commands publish while it runs: a code minted, then a revocation, changes the status list it serves")
    func servesWhatCommandsPublish() async throws {
        // Regression: the service opens the registry twice; opening the file a second time
        // once dropped the process's SQLite locks, a command's exit then reset the WAL, and
        // the service served its old status list for good.
        let folder = try Self.workspace()
        func zhucan(_ arguments: [String]) throws -> Shell.Output { try ZhucanBinary.run(arguments, in: folder.url) }
        #expect(try zhucan(["issue", "--dir", "ws", "--name", "王小明", "--id-number", "360121197011210013", "--category", "4",
                            "--level", "3", "--region", "330482"]).status == 0)
        let server = try ServeProcess(directory: "ws", in: folder.url)
        func statusList() async throws -> Data {
            try await URLSession.shared.data(from: server.baseURL.appendingPathComponent("v1/status-lists/1")).0
        }
        let before = try await statusList()
        #expect(try zhucan(["code", "identity", "--dir", "ws", "--certificate", "36012119701121001343"]).status == 0)
        #expect(try await statusList() == before)
        #expect(try zhucan(["revoke", "--dir", "ws", "--certificate", "36012119701121001343", "--reason", "test"]).status == 0)
        #expect(try await statusList() != before, "the service still serves the status list from before the revocation")
        server.stop()
    }
}
