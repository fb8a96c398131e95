import Foundation
import HummingbirdTesting
import Testing
import ZhucanHTTP
import ZhucanServer

@Suite("Server: body limit and rate limit")
struct LimitTests {
    @Test("A body over the limit is 413 with a JSON error")
    func tooLarge() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let body = #"{"code": ""# + String(repeating: "A", count: 70_000) + #""}"#
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.post("/v1/verify", token: fixture.token(.verify), body: body)
            #expect(response.status == .contentTooLarge)
            #expect(try response.json()["error"] as? String == "payload_too_large")
            // Just under the limit is answered.
            let fits = #"{"code": ""# + String(repeating: "A", count: 60_000) + #""}"#
            #expect(try await client.post("/v1/verify", token: fixture.token(.verify), body: fits).status == .ok)
        }
    }

    @Test("The limit is configurable")
    func configurableLimit() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let body = #"{"code": ""# + String(repeating: "A", count: 2_000) + #""}"#
        try await fixture.application(maxBodyBytes: 1_024).test(.router) { client async throws in
            #expect(try await client.post("/v1/verify", token: fixture.token(.verify), body: body).status == .contentTooLarge)
        }
    }

    @Test("Past the per-key limit: 429 with Retry-After; other keys go on")
    func rateLimited() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application(rateLimit: 2).test(.router) { client async throws in
            for _ in 0..<2 {
                #expect(try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": "x"]).status == .ok)
            }
            let limited = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": "x"])
            #expect(limited.status == .tooManyRequests)
            #expect(try limited.json()["error"] as? String == "rate_limited")
            let retryAfter = try #require(limited.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...60).contains(retryAfter))
            #expect(try await client.post("/v1/verify", token: fixture.allScopes, json: ["code": "x"]).status == .ok)
            // Public routes are not counted.
            #expect(try await client.get("/v1/trust-list").status == .ok)
        }
    }
}
