import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
import ZhucanHTTP
import ZhucanServer

@Suite("Server: through a live socket")
struct LiveServerTests {
    @Test("Health, verify, redeem twice, ETag and 304, 401 — over HTTP/1.1 on loopback")
    func live() async throws {
        let fixture = try ServerFixture()
        let code = try fixture.serviceCode("free-bus", oneTime: true)
        try await fixture.application().test(.live) { client async throws in
            #expect(client.port != nil)
            #expect(try await client.get("/healthz").status == .ok)

            let verified = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": code, "service": "free-bus"])
            #expect(verified.status == .ok)
            #expect(try verified.json()["valid"] as? Bool == true)
            #expect(verified.headers[HTTPField.Name("X-Request-Id")!] != nil)

            let first = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": code, "service": "free-bus"]).json()
            #expect(first["redeemed"] as? Bool == true)
            let second = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": code, "service": "free-bus"]).json()
            #expect(second["reason"] as? String == "already_redeemed")

            let list = try await client.get("/v1/trust-list")
            let tag = try #require(list.headers[.eTag])
            #expect(try await client.get("/v1/trust-list", headers: [.ifNoneMatch: tag]).status == .notModified)

            #expect(try await client.post("/v1/verify", token: nil, json: ["code": code]).status == .unauthorized)
            let large = #"{"code": ""# + String(repeating: "A", count: 100_000) + #""}"#
            #expect(try await client.post("/v1/verify", token: fixture.token(.verify), body: large).status == .contentTooLarge)
        }
    }
}
