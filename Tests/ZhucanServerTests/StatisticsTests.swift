import Foundation
import HummingbirdTesting
import Testing
import ZhucanHTTP
import ZhucanServer
import ZhucanTesting

@Suite("Server: GET /v1/stats")
struct StatisticsTests {
    @Test("Verifications and redemptions per service per day")
    func perServicePerDay() async throws {
        let fixture = try ServerFixture()
        let bus = try fixture.serviceCode("free-bus", oneTime: true)
        try await fixture.application().test(.router) { client async throws in
            let all = fixture.allScopes
            _ = try await client.post("/v1/verify", token: all, json: ["code": bus, "service": "free-bus"])
            _ = try await client.post("/v1/verify", token: all, json: ["code": "hello", "service": "free-bus"])
            _ = try await client.post("/v1/redeem", token: all, json: ["code": bus, "service": "free-bus"])
            _ = try await client.post("/v1/redeem", token: all, json: ["code": bus, "service": "free-bus"])
            _ = try await client.post("/v1/verify", token: all, json: ["code": try fixture.identityCode()])

            let json = try await client.get("/v1/stats", token: fixture.token(.audit)).json()
            let days = try #require(json["days"] as? [[String: Any]])
            let bus = try #require(days.first { $0["service"] as? String == "free-bus" })
            #expect(bus["verifications"] as? Int == 2)
            #expect(bus["valid"] as? Int == 1)
            #expect(bus["redemptions"] as? Int == 1)
            #expect(bus["refusedRedemptions"] as? Int == 1)
            #expect((bus["date"] as? String)?.count == 10)
            let identity = try #require(days.first { $0["service"] as? String == "" })
            #expect(identity["verifications"] as? Int == 1)

            let future = try await client.get("/v1/stats?since=2099-01-01", token: fixture.token(.audit)).json()
            #expect((future["days"] as? [Any])?.isEmpty == true)
            #expect(try await client.get("/v1/stats?since=yesterday", token: fixture.token(.audit)).status == .badRequest)
        }
    }
}

extension StatisticsTests {
    @Test("A service id no catalogue edition lists is counted, logged and stored as (unlisted): a window may send an ID number there")
    func unlistedService() async throws {
        let fixture = try ServerFixture()
        let recorder = LogRecorder()
        let idNumber = "360121197011210013"
        let identity = try fixture.identityCode()
        try await fixture.application(logger: recorder.logger).test(.router) { client async throws in
            let all = fixture.allScopes
            let verified = try await client.post("/v1/verify", token: all, json: ["code": identity, "service": idNumber]).json()
            #expect(verified["reason"] as? String == "wrong_service")
            let redeemed = try await client.post("/v1/redeem", token: all, json: ["code": identity, "service": idNumber]).json()
            #expect(redeemed["redeemed"] as? Bool == false)
            _ = try await client.post("/v1/verify", token: all, json: ["code": identity, "service": "free-bus"])

            let json = try await client.get("/v1/stats", token: fixture.token(.audit)).json()
            let days = try #require(json["days"] as? [[String: Any]])
            let unlisted = try #require(days.first { $0["service"] as? String == VerificationController.unlistedService })
            #expect(unlisted["verifications"] as? Int == 1)
            #expect(unlisted["refusedRedemptions"] as? Int == 1)
            #expect(days.contains { $0["service"] as? String == "free-bus" })
            #expect(!days.contains { ($0["service"] as? String)?.contains(idNumber) == true })
        }
        #expect(recorder.lines.filter { $0.contains("verify.service=(unlisted)") }.count == 2)
        #expect(!recorder.lines.contains { $0.contains(idNumber) })
        let stored = try fixture.workspace.registry.verificationEvents().map(\.service)
        #expect(!stored.contains(idNumber))
    }
}
