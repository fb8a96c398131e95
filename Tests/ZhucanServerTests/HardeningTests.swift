import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
import GRDB
import ZhucanHTTP
import ZhucanRegistry
import ZhucanServer
import ZhucanServiceStore
import ZhucanTesting

/// Issue #15: what an adversarial pass found in the service, each through the interface the
/// attacker used — the router, or a raw socket where HTTP clients are too polite.
@Suite("Server: hardening", .serialized)
struct HardeningTests {
    // MARK: - Item 3: a chunked body over the limit

    @Test("A chunked body over --max-body-bytes is 413, not 500")
    func chunkedBodyOverTheLimit() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.live) { client async throws in
            let port = try #require(client.port)
            let chunk = String(repeating: "A", count: 70_000)
            let request = "POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(fixture.token(.verify))\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n0\r\n\r\n"
            let socket = try RawSocket(port: port)
            // The server answers before the body ends: read while sending.
            let answer = try socket.exchange(request, timeout: .seconds(60))
            #expect(answer.hasPrefix("HTTP/1.1 413"), "\(answer.prefix(200))")
            #expect(answer.contains("payload_too_large"))
            try await Self.expectNoServerErrors(client)
        }
    }

    /// The service still answers, and has counted every request as anything but a 5xx.
    static func expectNoServerErrors(_ client: some TestClientProtocol, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(try await client.get("/healthz").status == .ok, sourceLocation: sourceLocation)
        let metrics = try await client.get("/metrics").text
        #expect(!metrics.contains(#"status="5"#), "\(metrics)", sourceLocation: sourceLocation)
    }

    // Anyone could make the service answer 500 (and count it, and log an error), on any path,
    // with a chunk size NIO's parser refuses or a chunk longer than it said.
    @Test("A malformed chunked body is 400, never a 5xx")
    func malformedChunkedBody() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.live) { client async throws in
            let port = try #require(client.port)
            for (path, body) in [("/nope", "zz\r\n"), ("/v1/verify", "3\r\n{\"code\":\"x\"}\r\n0\r\n\r\n")] {
                let socket = try RawSocket(port: port)
                let answer = try socket.exchange(
                    "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n" + body,
                    timeout: .seconds(10))
                #expect(answer.hasPrefix("HTTP/1.1 400"), "\(path): \(answer.prefix(200))")
            }
            try await Self.expectNoServerErrors(client)
        }
    }

    // `Allow` said GET, HEAD, and HEAD was refused with 405: a health checker probing with HEAD
    // saw the service down.
    @Test("HEAD is answered wherever GET is, without a body")
    func headWhereverGet() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.live) { client async throws in
            for path in ["/healthz", "/v1/trust-list", "/holder", "/v1/log/checkpoint"] {
                let get = try await client.execute(uri: path, method: .get)
                let head = try await client.execute(uri: path, method: .head)
                #expect(head.status == get.status && get.status == .ok, "\(path): \(head.status)")
                #expect(head.body.readableBytes == 0, "\(path)")
                #expect(head.headers[.contentType] == get.headers[.contentType], "\(path)")
            }
            #expect(try await client.execute(uri: "/v1/verify", method: .head).status == .methodNotAllowed)
        }
    }

    // MARK: - Item 4: read and idle timeouts

    @Test("Slow clients are cut off: idle, half-sent headers, a stalled body, a dripping body")
    func slowClientsTimeOut() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application(idleTimeout: .seconds(2), bodyReadTimeout: .seconds(3)).test(.live) { client async throws in
            let port = try #require(client.port)
            let start = ContinuousClock.now
            // Connected and silent.
            let silent = try RawSocket(port: port)
            // Half the headers.
            let halfHeaders = try RawSocket(port: port)
            try halfHeaders.send("POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            // Headers, then a body that stops.
            let stalled = try RawSocket(port: port)
            try stalled.send("POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(fixture.token(.verify))\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"code\":")
            for socket in [silent, halfHeaders, stalled] {
                #expect(try socket.receiveUntilClosed(timeout: .seconds(10)), "a slow connection stayed open")
            }
            #expect(ContinuousClock.now - start < .seconds(12))

            // A body dripping one byte every 250 ms never goes idle, but runs out of time: 408,
            // or — when the server is slow to write it — a closed connection; never the 250 s
            // the whole body would take.
            let dripping = try RawSocket(port: port)
            try dripping.send("POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(fixture.token(.verify))\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
            let dripStart = ContinuousClock.now
            var answer = ""
            while answer.isEmpty, !dripping.isClosed, ContinuousClock.now - dripStart < .seconds(60) {
                try? dripping.send(" ")
                answer = (try? dripping.receive(timeout: .milliseconds(250))) ?? ""
            }
            #expect(answer.hasPrefix("HTTP/1.1 408") || (answer.isEmpty && dripping.isClosed),
                    "after \(ContinuousClock.now - dripStart), closed: \(dripping.isClosed): \(answer.prefix(200))")
            #expect(ContinuousClock.now - dripStart < .seconds(60), "a dripping body held its connection")

            // An idle keep-alive connection is closed after its request.
            let keptAlive = try RawSocket(port: port)
            try keptAlive.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            // Answers get a minute: they come in milliseconds, unless the CLI suites running
            // beside this one hold Swift's cooperative pool, where the handlers run.
            #expect(try keptAlive.receive(timeout: .seconds(60)).hasPrefix("HTTP/1.1 200"))
            #expect(try keptAlive.receiveUntilClosed(timeout: .seconds(10)))

            // The test client's own connection went idle too: ask on a new one.
            let fresh = try RawSocket(port: port)
            #expect(try fresh.exchange("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", timeout: .seconds(60)).hasPrefix("HTTP/1.1 200"))
        }
    }

    // MARK: - Item 5: log and audit-trail forging

    @Test("A service id outside the catalogue's syntax is 400 and never reaches the log")
    func serviceIDSyntax() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let recorder = LogRecorder()
        let code = try fixture.identityCode()
        try await fixture.application(logger: recorder.logger).test(.router) { client async throws in
            for service in ["free-bus\n2026-12-02T10:00:00+0800 info zhucan.server: forged", "Free-Bus", String(repeating: "a", count: 49), "bus\t1"] {
                for route in ["/v1/verify", "/v1/redeem"] {
                    let token = route == "/v1/verify" ? fixture.token(.verify) : fixture.token(.redeem)
                    let response = try await client.post(route, token: token, json: ["code": code, "service": service])
                    #expect(response.status == .badRequest, "\(route) \(service.debugDescription)")
                    #expect(try response.json()["message"] as? String == "service must be a catalogue service id: 1–48 characters of a–z, 0–9 and '-'")
                }
            }
        }
        #expect(!recorder.lines.joined().contains("forged"), "\(recorder.lines)")
    }

    @Test("A lookup's purpose with control characters or a combining-mark run is 400")
    func purposeIsOneLine() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            func lookup(_ purpose: String) async throws -> HTTPResponse.Status {
                let query = purpose.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
                return try await client.get("/v1/holders/by-ssc/\(ServerFixture.card)?purpose=\(query)", token: fixture.token(.lookup)).status
            }
            #expect(try await lookup("窗口办理") == .ok)
            #expect(try await lookup("窗口办理\nforged\tkey\tA12345678\tyes") == .badRequest)
            #expect(try await lookup("办理\u{202E}") == .badRequest)
            #expect(try await lookup("a" + String(repeating: "\u{0301}", count: 5_000)) == .badRequest)
            #expect(try await lookup(String(repeating: "\u{20000}", count: 201)) == .badRequest)
        }
    }

    @Test("The log handler keeps one event on one line, whatever a value holds")
    func logLinesCannotBeForged() throws {
        var pipe: [Int32] = [0, 0]
        #expect(Glibc.pipe(&pipe) == 0)
        defer { close(pipe[0]) }
        let logger = Logger(label: "zhucan.server") { label in ServiceLogHandler(label: label, descriptor: pipe[1]) }
        logger.info("request\nforged line", metadata: ["verify.service": "bus\n2026-12-02T10:00:00+0800 info zhucan.server: forged", "x": "\u{2028}\u{1B}[31m"])
        close(pipe[1])
        let text = String(decoding: FileHandle(fileDescriptor: pipe[0]).readDataToEndOfFile(), as: UTF8.self)
        #expect(text.split(separator: "\n").count == 1, "\(text)")
        #expect(text.contains(#"verify.service=bus\n2026"#))
        #expect(text.contains(#"x=\u{2028}\u{1B}[31m"#))
        #expect(text.hasSuffix(#"request\nforged line"# + "\n"))
    }

    // MARK: - Item 10: HTTP and the spec

    @Test("An undeclared method is 405 with Allow; an unknown path stays 404")
    func methodNotAllowed() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            let get = try await client.executeRequest(uri: "/v1/verify", method: .get, headers: [:], body: nil)
            #expect(get.status == .methodNotAllowed)
            #expect(get.headers[.allow] == "POST")
            #expect(try get.json()["error"] as? String == "method_not_allowed")
            let delete = try await client.executeRequest(uri: "/v1/status-lists/1", method: .delete, headers: [:], body: nil)
            #expect(delete.status == .methodNotAllowed)
            #expect(delete.headers[.allow] == "GET, HEAD")
            #expect(try await client.executeRequest(uri: "/v1/nothing", method: .delete, headers: [:], body: nil).status == .notFound)
        }
    }

    @Test("Bodies: not JSON is 415; a duplicated member, a null member or a non-object is 400")
    func strictBodies() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let code = try fixture.identityCode()
        try await fixture.application().test(.router) { client async throws in
            var plain = HTTPFields()
            plain[.authorization] = "Bearer \(fixture.token(.verify))"
            plain[.contentType] = "text/plain"
            let body = ByteBuffer(string: #"{"code": "\#(code)"}"#)
            #expect(try await client.executeRequest(uri: "/v1/verify", method: .post, headers: plain, body: body).status == .unsupportedMediaType)
            plain[.contentType] = nil
            let missing = try await client.executeRequest(uri: "/v1/verify", method: .post, headers: plain, body: body)
            #expect(missing.status == .unsupportedMediaType)
            #expect(try missing.json()["error"] as? String == "unsupported_media_type")
            plain[.contentType] = "application/json; charset=utf-8"
            #expect(try await client.executeRequest(uri: "/v1/verify", method: .post, headers: plain, body: body).status == .ok)

            let token = fixture.token(.verify)
            let duplicated = try await client.post("/v1/verify", token: token, body: #"{"code": "x", "code": "\#(code)"}"#)
            #expect(duplicated.status == .badRequest)
            #expect((try duplicated.json()["message"] as? String)?.contains("duplicate") == true)
            let null = try await client.post("/v1/verify", token: token, body: #"{"code": "\#(code)", "service": null}"#)
            #expect(null.status == .badRequest)
            #expect((try null.json()["message"] as? String)?.contains(#""service" must not be null"#) == true)
            #expect(try await client.post("/v1/verify", token: token, body: #"["\#(code)"]"#).status == .badRequest)
            #expect(try await client.post("/v1/verify", token: token, body: #"{"code": "\#(code)"} x"#).status == .badRequest)
        }
    }

    @Test("API errors name fields, never CLI flags")
    func noCLIFlagsInAPIErrors() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client async throws in
            let token = fixture.token(.issue)
            for (route, body) in [
                ("/v1/codes/identity", ["certificate": "123"]),
                ("/v1/codes/identity", ["certificate": fixture.certificateNumber, "ttl": 0]),
                ("/v1/codes/service", ["certificate": fixture.certificateNumber, "service": "no-such-service"]),
            ] as [(String, [String: Any])] {
                let response = try await client.post(route, token: token, json: body)
                #expect(response.status.code >= 400 && response.status.code < 500, "\(route) \(body)")
                let message = try #require(try response.json()["message"] as? String)
                #expect(!message.contains("--"), "\(route): \(message)")
            }
        }
    }
}

/// The registry as the service's store, but a full disk for redemptions.
private struct FullDiskStore: ServiceStore {
    let registry: any ServiceStore
    static let full = RegistryError(.storage, "database or disk is full: INSERT … 360121197011210013", cause: "database or disk is full")

    func probe() async throws { try await registry.probe() }
    func createAPIKey(name: String, scopes: Set<APIKey.Scope>, at time: Int64) async throws -> (key: APIKey, token: String) {
        try await registry.createAPIKey(name: name, scopes: scopes, at: time)
    }
    func apiKeys() async throws -> [APIKey] { try await registry.apiKeys() }
    func revokeAPIKey(id: String, at time: Int64) async throws { try await registry.revokeAPIKey(id: id, at: time) }
    func authenticate(token text: String) async throws -> APIKey? { try await registry.authenticate(token: text) }
    func recordVerification(_ event: VerificationEvent) async throws { throw Self.full }
    func recordVerifications(_ events: [VerificationEvent]) async throws { throw Self.full }
    func redeem(tokenID: String, licenseID: String, service: String, recording event: VerificationEvent, refusedReason: String) async throws -> Bool {
        throw Self.full
    }
    func redemptionsByService(before end: Int64) async throws -> [String: Set<String>] { try await registry.redemptionsByService(before: end) }
    func verificationEvents(limit: Int) async throws -> [VerificationEvent] { try await registry.verificationEvents(limit: limit) }
    func listFloors() async throws -> [String: ListFloor] { try await registry.listFloors() }
    func raiseListFloor(_ list: String, to floor: ListFloor) async throws { throw Self.full }
    func recordLookup(_ event: LookupEvent) async throws { throw Self.full }
    func lookupEvents(limit: Int, licenseIDs: [String]?) async throws -> [LookupEvent] { try await registry.lookupEvents(limit: limit, licenseIDs: licenseIDs) }
    func serviceStatistics(since: Int64) async throws -> [ServiceDayStatistics] { try await registry.serviceStatistics(since: since) }
}

extension HardeningTests {
    @Test("A store that fails (a full disk) is a 500 whose log line says the store's cause in its own words, and quotes nothing of the request")
    func storeFailureIsNamed() async throws {
        let fixture = try ServerFixture()
        let recorder = LogRecorder()
        let code = try fixture.serviceCode("free-bus", oneTime: true)
        let store = FullDiskStore(registry: fixture.workspace.registry)
        try await fixture.application(store: store, logger: recorder.logger).test(.router) { client async throws in
            let answer = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": code, "service": "free-bus"])
            #expect(answer.status == .internalServerError)
        }
        let failed = try #require(recorder.lines.first { $0.contains("request failed") })
        #expect(failed.contains("error.code=storage") && failed.contains("error.cause=database or disk is full"), "\(failed)")
        #expect(!recorder.lines.contains { $0.contains("360121197011210013") })
        // The registry names SQLite's cause so.
        #expect(Registry.storageError(DatabaseError(resultCode: .SQLITE_FULL)).cause == "database or disk is full")
    }
}
