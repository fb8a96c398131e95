import Foundation
import GRDB
import Testing
import ZhucanRegistry
import ZhucanTesting
import ZhucanTransparency

/// `zhucan audit log --from http://…` against a service that misbehaves: a `ScriptedHTTPServer`
/// in front of `zhucan serve` answers what a hostile or broken service would. The audit ends
/// in bounded time and memory, keeps its API key to the service it was given, reports a
/// garbled answer as a finding, and checks a busy service against the checkpoint it served.
extension AuditLogCommandTests {
    /// An entry of a page of `GET /v1/log/entries`, each field as JSON text, for a test to
    /// garble before `page(_:size:count:)` makes a page of it.
    struct PageEntry: Sendable {
        var index: String
        var data: String
        var leafHash: String

        var json: String { "{\"index\":\(index),\"data\":\(data),\"leafHash\":\(leafHash)}" }
    }

    /// `zhucan ARGUMENTS`, killed after `seconds` (by `timeout`: status 124), off the
    /// cooperative pool: a run that once went on for ever fails the test instead of hanging it.
    func zhucan(_ arguments: [String], within seconds: Int) async throws -> Shell.Output {
        try await Shell.runOffPool(["timeout", "\(seconds)", ZhucanBinary.url.path] + arguments, in: folder.url)
    }

    /// An API key of the audit scope for the workspace `ws`.
    func auditKey() throws -> String {
        let created = try zhucan(["apikey", "create", "--dir", "ws", "--name", "auditor", "--scope", "audit"])
        try #require(created.status == 0, "\(created.errorText)")
        return created.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The workspace's log entries in `range`, as `GET /v1/log/entries` writes them.
    func pageEntries(_ range: Range<UInt64>) throws -> [PageEntry] {
        try Registry(path: folder.path("ws/zhucan.db")).logEntries(in: range).map { entry in
            PageEntry(
                index: "\(entry.index)", data: "\"\(Data(entry.data).base64EncodedString())\"",
                leafHash: entry.leafHash.map { "\"\(Data($0).base64EncodedString())\"" } ?? "null"
            )
        }
    }

    /// A page of `GET /v1/log/entries` (`LogEntriesResponse`) holding `entries`.
    static func page(_ entries: [PageEntry], size: UInt64, count: String) -> [UInt8] {
        Array("{\"size\":\(size),\"count\":\(count),\"entries\":[\(entries.map(\.json).joined(separator: ","))]}".utf8)
    }

    /// The header fields of a JSON answer.
    static let jsonFields = ["Content-Type: application/json"]

    /// `zhucan audit log` with the audit key `key`, through a `ScriptedHTTPServer` in front of
    /// `server` that answers `GET /v1/log/entries` with `entries` and relays the rest; the
    /// audit's output, and the requests the scripted server received.
    func audit(
        through server: ServeProcess, key: String, entries: ScriptedHTTPServer.Reply
    ) async throws -> (output: Shell.Output, requests: [ScriptedHTTPServer.Request]) {
        let scripted = try ScriptedHTTPServer(upstreamPort: server.port) { request in request.path == "/v1/log/entries" ? entries : .relay }
        defer { scripted.stop() }
        let output = try await zhucan(["audit", "log", "--from", scripted.baseURL.absoluteString, "--api-key", key], within: 60)
        return (output, scripted.requests)
    }

    @Test("Over HTTP, a page without entries ends the reading, whatever count the service claims (it asked ~1,100 pages a second for ever)")
    func emptyPageEndsTheReading() async throws {
        try workspace()
        let key = try auditKey()
        let server = try ServeProcess(directory: "ws", in: folder.url)
        defer { server.stop() }
        let endless = Array(#"{"size":0,"count":18446744073709551615,"entries":[]}"#.utf8)
        let (output, requests) = try await audit(through: server, key: key, entries: .answer(status: 200, fields: Self.jsonFields, body: endless))
        #expect(output.status == 1, "\(output.text) \(output.errorText)")
        #expect(output.text.contains("checkpoint_beyond_log"), "\(output.text)")
        #expect(output.text.contains("\n0 entries checked, "), "\(output.text)")
        #expect(requests.filter { $0.path == "/v1/log/entries" }.count == 1)
    }

    @Test("Over HTTP, a page holding entries outside the range asked for is malformed_page, and the reading stops there")
    func pageOutsideItsRange() async throws {
        try workspace()
        let key = try auditKey()
        // The log's own entries numbered from 1,000, as if the service answered another page,
        // and a count that never lets paging end.
        let shifted: [PageEntry] = try pageEntries(0..<20).map { entry in
            var entry = entry
            entry.index = "\(UInt64(entry.index)! + 1_000)"
            return entry
        }
        let body = Self.page(shifted, size: 20, count: "18446744073709551615")
        let server = try ServeProcess(directory: "ws", in: folder.url)
        defer { server.stop() }
        let (output, requests) = try await audit(through: server, key: key, entries: .answer(status: 200, fields: Self.jsonFields, body: body))
        #expect(output.status == 1, "\(output.text) \(output.errorText)")
        #expect(output.text.contains("#0 malformed_page"), "\(output.text)")
        #expect(output.text.contains("answered entry 1000, outside the range asked for"), "\(output.text)")
        #expect(requests.filter { $0.path == "/v1/log/entries" }.count == 1)
    }

    @Test("Over HTTP, an entry that cannot be read is malformed_record (a bad leaf hash too, not not_in_tree) and the report follows, as from an export; a page that is not JSON is malformed_page")
    func garbledAnswersAreFindings() async throws {
        try workspace()
        let key = try auditKey()
        var entries = try pageEntries(0..<20)
        entries[3].data = "\"not base64!\""
        entries[5].leafHash = "\"%%%\""
        let garbledPage = Self.page(entries, size: 20, count: "20")
        let server = try ServeProcess(directory: "ws", in: folder.url)
        defer { server.stop() }

        let output = try await audit(through: server, key: key, entries: .answer(status: 200, fields: Self.jsonFields, body: garbledPage)).output
        #expect(output.status == 1, "\(output.text) \(output.errorText)")
        #expect(output.text.contains("#3 malformed_record: entry 3 from /v1/log/entries?start=0&end=20: its data is not base64"), "\(output.text)")
        #expect(output.text.contains("#5 malformed_record: entry 5 from /v1/log/entries?start=0&end=20: its leafHash is not base64"), "\(output.text)")
        #expect(!output.text.contains("not_in_tree"), "a garbled leaf hash is not a row outside the tree: \(output.text)")
        #expect(output.text.contains("20 entries checked"), "the report is printed: \(output.text)")

        let html = ScriptedHTTPServer.Reply.answer(status: 200, fields: ["Content-Type: text/html"], body: Array("<html>upstream hiccup</html>".utf8))
        let notJSON = try await audit(through: server, key: key, entries: html).output
        #expect(notJSON.status == 1, "\(notJSON.text) \(notJSON.errorText)")
        #expect(notJSON.text.contains("#0 malformed_page: /v1/log/entries?start=0&end=20 did not answer the documented JSON"), "\(notJSON.text)")
        #expect(notJSON.text.contains("\n0 entries checked"), "the report is printed: \(notJSON.text)")
    }

    @Test("Over HTTP, an answer longer than the log's API ever sends, or not in full within --request-timeout-seconds, ends the audit (exit 2) naming its URL")
    func answersAreBounded() async throws {
        try workspace()
        let key = try auditKey()
        let server = try ServeProcess(directory: "ws", in: folder.url)
        defer { server.stop() }

        // A checkpoint is a few hundred bytes; a signed note is read up to 256 KiB.
        let longCheckpoint = try ScriptedHTTPServer { _ in .flood(length: 8 << 20) }
        defer { longCheckpoint.stop() }
        let checkpoint = try await zhucan(["audit", "log", "--from", longCheckpoint.baseURL.absoluteString], within: 60)
        #expect(checkpoint.status == 2, "\(checkpoint.text) \(checkpoint.errorText)")
        #expect(checkpoint.errorText.contains("/v1/log/checkpoint answered more than 262144 bytes"), "\(checkpoint.errorText)")

        // A page of 1,000 entries of the largest record is under 90 MB (it took a 1 GiB answer whole).
        let page = try await audit(through: server, key: key, entries: .flood(length: 100 << 20)).output
        #expect(page.status == 2, "\(page.text) \(page.errorText)")
        #expect(page.errorText.contains("/v1/log/entries?start=0&end=20 answered more than"), "\(page.errorText)")

        // A byte every half second: each arrives long before the silence limit, the whole never.
        let dripping = try ScriptedHTTPServer { _ in .drip(length: 1_000, interval: 0.5) }
        defer { dripping.stop() }
        let began = Date()
        let slow = try await zhucan(["audit", "log", "--from", dripping.baseURL.absoluteString, "--request-timeout-seconds", "2"], within: 60)
        #expect(slow.status == 2, "\(slow.text) \(slow.errorText)")
        #expect(slow.errorText.contains("/v1/log/checkpoint did not answer in full within 2"), "\(slow.errorText)")
        #expect(Date().timeIntervalSince(began) < 15)
    }

    @Test("Over HTTP, a redirect is refused (exit 2): the audit's API key never reaches the host it names")
    func redirectIsRefused() async throws {
        try workspace()
        let key = try auditKey()
        let server = try ServeProcess(directory: "ws", in: folder.url)
        defer { server.stop() }
        let elsewhere = try ScriptedHTTPServer { _ in
            .answer(status: 200, fields: Self.jsonFields, body: Array(#"{"size":20,"count":20,"entries":[]}"#.utf8))
        }
        defer { elsewhere.stop() }
        let location = "http://127.0.0.1:\(elsewhere.port)/v1/log/entries?start=0&end=20"
        let output = try await audit(through: server, key: key, entries: .answer(status: 302, fields: ["Location: \(location)"], body: [])).output
        #expect(output.status == 2, "\(output.text) \(output.errorText)")
        #expect(output.errorText.contains("redirects to \(location)"), "\(output.errorText)")
        let followed = elsewhere.requests
        #expect(followed.isEmpty, "followed to \(followed.map(\.target)), with an API key: \(followed.contains { $0.field("Authorization") != nil })")
    }

    @Test("Over HTTP, entries a busy service logged after the checkpoint it served are the next audit's, not unsigned_entries; a row beyond the tree is still named")
    func busyServiceAuditsClean() async throws {
        try workspace()
        let key = try auditKey()
        // The checkpoint the service served when the audit began …
        let served = try #require(try Registry(path: folder.path("ws/zhucan.db")).latestCheckpoint())
        try #require(served.size == 20)
        // … and a certificate issued while the audit read the entries.
        let issued = try zhucan(["issue", "--dir", "ws", "--name", "张三", "--id-number", "330482201001010037", "--category", "1",
                                 "--level", "1", "--region", "330482"])
        try #require(issued.status == 0, "\(issued.errorText)")
        var server = try ServeProcess(directory: "ws", in: folder.url)
        let note = Array(served.note.utf8)
        let earlier = try ScriptedHTTPServer(upstreamPort: server.port) { request in
            request.path == "/v1/log/checkpoint" ? .answer(status: 200, fields: ["Content-Type: text/plain; charset=utf-8"], body: note) : .relay
        }
        let busy = try await zhucan(["audit", "log", "--from", earlier.baseURL.absoluteString, "--api-key", key,
                                     "--trust-anchor", "ws/keys/root.pub.pem"], within: 60)
        earlier.stop()
        server.stop()
        #expect(busy.status == 0, "\(busy.text) \(busy.errorText)")
        #expect(busy.text.hasSuffix("20 entries checked, 0 problems\n"), "\(busy.text)")
        #expect(busy.errorText.contains("since its checkpoint of size 20"), "\(busy.errorText)")
        #expect(busy.errorText.contains("are for the next audit"), "\(busy.errorText)")

        // A row written behind the log's back, past every checkpoint: not read, since the audit
        // stops at the checkpoint, but counted by the service beyond its tree.
        let count = try await database().read { try Int64.fetchOne($0, sql: "SELECT COUNT(*) FROM log_entry") } ?? 0
        let revocation = LogRecord(event: .revoked, at: Int64(Date().timeIntervalSince1970), licenseID: "1.2.156.3005.2.x", reason: "forged")
        try await database().write {
            try $0.execute(sql: "INSERT INTO log_entry (idx, kind, license_id, data) VALUES (?, 'revoked', ?, ?)",
                           arguments: [count, revocation.licenseID, Data(revocation.encoded)])
        }
        server = try ServeProcess(directory: "ws", in: folder.url)
        defer { server.stop() }
        let outside = try await zhucan(["audit", "log", "--from", server.baseURL.absoluteString, "--api-key", key], within: 60)
        #expect(outside.status == 1, "\(outside.text) \(outside.errorText)")
        #expect(outside.text.contains("#\(count) not_in_tree"), "\(outside.text)")
    }
}
