import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import ZhucanHTTP
import ZhucanServer

@Suite("Server: health, request ids, error bodies")
struct HealthAndErrorTests {
    @Test("GET /healthz answers ok with a generated request id")
    func health() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.get("/healthz")
            #expect(response.status == .ok)
            #expect(try response.json()["status"] as? String == "ok")
            let id = try #require(response.headers[HTTPField.Name("X-Request-Id")!])
            #expect(id.count == 16)
        }
    }

    @Test("Every answer that is not a page is neither sniffed nor framed, errors included; the pages keep their own policy")
    func securityHeaders() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            let answers: [(String, TestResponse)] = [
                ("health", try await client.get("/healthz")),
                ("signed object", try await client.get("/v1/trust-list")),
                ("no such path", try await client.get("/nonexistent")),
                ("no such asset", try await client.get("/assets/nope")),
                ("wrong method", try await client.executeRequest(uri: "/v1/verify", method: .options, headers: [:], body: nil)),
                ("no key", try await client.post("/v1/verify", token: nil, json: ["code": "x"])),
            ]
            for (name, answer) in answers {
                #expect(answer.headers[.xContentTypeOptions] == "nosniff", "\(name)")
                #expect(answer.headers[.contentSecurityPolicy] == "default-src 'none'; frame-ancestors 'none'", "\(name)")
            }
            let page = try await client.get("/holder")
            #expect(page.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'; script-src 'self'") == true)
            #expect(page.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test("GET /readyz: ready while the store answers and the lists are unexpired; 503 saying why and what to do otherwise, and ready again")
    func readiness() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let store = UnansweringStore(fixture.workspace.registry)
        try await fixture.application(store: store).test(.router) { client async throws in
            let ready = try await client.get("/readyz")
            #expect(ready.status == .ok)
            #expect(try ready.json()["status"] as? String == "ready")
            #expect(try ready.json()["message"] == nil)

            // The store gone: said once the last probe is a second old, without the store's
            // error, which can name hosts and users (the log has it).
            store.answers = false
            try await Task.sleep(for: .seconds(1.1))
            let gone = try await client.get("/readyz")
            #expect(gone.status == .serviceUnavailable)
            #expect(try gone.json()["status"] as? String == "unavailable")
            #expect(try gone.json()["message"] as? String == "the store does not answer: see the service's log")
            #expect(try await client.get("/healthz").status == .ok)
            // Many callers at once share one probe.
            let probes = store.probes
            try await Task.sleep(for: .seconds(1.1))
            try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<20 { group.addTask { try await client.get("/readyz").status } }
                for try await status in group { #expect(status == .serviceUnavailable) }
            }
            #expect(store.probes == probes + 1)
            store.answers = true
            try await Task.sleep(for: .seconds(1.1))
            #expect(try await client.get("/readyz").status == .ok)

            // The newest status list signed 30 days ago: long expired.
            _ = try fixture.workspace.publishStatusList(now: ServerFixture.now - 30 * 86_400)
            let stale = try await client.get("/readyz")
            #expect(stale.status == .serviceUnavailable)
            #expect(try stale.json()["status"] as? String == "expired")
            let message = try #require(try stale.json()["message"] as? String)
            #expect(message.hasPrefix("the status-list expired at "))
            #expect(message.contains("every answer would be status_unknown"))
            #expect(message.contains("zhucan status-list publish"))
            _ = try fixture.workspace.publishStatusList(now: ServerFixture.now)
            #expect(try await client.get("/readyz").status == .ok)
        }
    }

    @Test("A sane X-Request-Id is echoed; one that could forge log lines is replaced")
    func requestID() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let name = HTTPField.Name("X-Request-Id")!
        try await fixture.application().test(.router) { client async throws in
            let echoed = try await client.get("/healthz", headers: [name: "abc-123.x_y"])
            #expect(echoed.headers[name] == "abc-123.x_y")
            let replaced = try await client.get("/healthz", headers: [name: "evil\" request.id=forged"])
            #expect(replaced.headers[name] != nil)
            #expect(replaced.headers[name]?.contains("evil") == false)
        }
    }

    @Test("An unknown route is a JSON 404")
    func unknownRoute() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.get("/v1/nothing-here")
            #expect(response.status == .notFound)
            #expect(try response.json()["error"] as? String == "not_found")
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
        }
    }

    @Test("A body that is not the documented JSON is 400", arguments: [
        "not json at all", "{\"service\": \"free-bus\"}", "{\"code\": 42}", "[\"ZC1:\"]", "",
    ])
    func badBody(_ body: String) async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.post("/v1/verify", token: fixture.token(.verify), body: body)
            #expect(response.status == .badRequest)
            let json = try response.json()
            #expect(json["error"] as? String == "bad_request")
            #expect((json["message"] as? String)?.isEmpty == false)
        }
    }
}
