import Foundation
import HummingbirdTesting
import Testing
import ZhucanHTTP
import ZhucanServer

@Suite("Server: POST /v1/redeem")
struct RedeemTests {
    @Test("Once redeemed, then already_redeemed")
    func once() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let code = try fixture.serviceCode("free-bus", oneTime: true)
        try await fixture.application().test(.router) { client async throws in
            let first = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": code, "service": "free-bus"])
            #expect(first.status == .ok)
            let firstJSON = try first.json()
            #expect(firstJSON["redeemed"] as? Bool == true)
            #expect(firstJSON["valid"] as? Bool == true)

            let second = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": code, "service": "free-bus"])
            #expect(second.status == .ok)
            let secondJSON = try second.json()
            #expect(secondJSON["redeemed"] as? Bool == false)
            #expect(secondJSON["valid"] as? Bool == false)
            #expect(secondJSON["reason"] as? String == "already_redeemed")
        }
        let events = try fixture.workspace.registry.verificationEvents()
        #expect(events.map(\.reason) == ["valid", "already_redeemed"])
        #expect(events.allSatisfy { $0.route == .redeem && $0.service == "free-bus" })
    }

    @Test("50 concurrent redemptions of one code: exactly one succeeds")
    func concurrent() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let code = try fixture.serviceCode("free-bus", oneTime: true)
        let token = fixture.token(.redeem)
        try await fixture.application().test(.router) { client async throws in
            let results = try await withThrowingTaskGroup(of: (Bool, String).self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let json = try await client.post("/v1/redeem", token: token, json: ["code": code, "service": "free-bus"]).json()
                        return (json["redeemed"] as? Bool ?? false, json["reason"] as? String ?? "")
                    }
                }
                var all: [(Bool, String)] = []
                for try await result in group { all.append(result) }
                return all
            }
            #expect(results.count == 50)
            #expect(results.filter(\.0).count == 1)
            #expect(results.filter { !$0.0 }.allSatisfy { $0.1 == "already_redeemed" })
        }
    }

    @Test("A code that does not verify is not redeemed: valid false with its reason")
    func invalidCode() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let code = try fixture.serviceCode("free-bus", oneTime: true)
        try await fixture.application().test(.router) { client async throws in
            let wrong = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": code, "service": "park"]).json()
            #expect(wrong["redeemed"] as? Bool == false)
            #expect(wrong["reason"] as? String == "wrong_service")
            let garbage = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": "hello", "service": "park"]).json()
            #expect(garbage["reason"] as? String == "malformed_prefix")
            // The refusals did not use the code up.
            let right = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": code, "service": "free-bus"]).json()
            #expect(right["redeemed"] as? Bool == true)
        }
    }

    @Test("A valid code that is not one-time: 422 not_one_time; an identity code: wrong_service")
    func notOneTime() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let reusable = try fixture.serviceCode("park", oneTime: false)
        let identity = try fixture.identityCode()
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": reusable, "service": "park"])
            #expect(response.status == .unprocessableContent)
            #expect(try response.json()["error"] as? String == "not_one_time")
            let json = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": identity, "service": "park"]).json()
            #expect(json["reason"] as? String == "wrong_service")
        }
    }

    @Test("A redeem body without a service is 400")
    func missingService() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            #expect(try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": "x"]).status == .badRequest)
            #expect(try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": "x", "service": ""]).status == .badRequest)
        }
    }
}
