import Foundation
import GRDB
import HummingbirdTesting
import Testing
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanHTTP
import ZhucanIdentifiers
import ZhucanIssuer
import ZhucanServer
import ZhucanStatusList

@Suite("Server: POST /v1/codes/identity and /v1/codes/service")
struct CodeTests {
    @Test("A minted identity code verifies; its lifetime is reported")
    func identity() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            let minted = try await client.post("/v1/codes/identity", token: fixture.token(.issue),
                                               json: ["certificate": fixture.certificateNumber, "ttl": 120, "showCategory": true])
            #expect(minted.status == .ok)
            let json = try minted.json()
            #expect(json["expiresIn"] as? Int == 120)
            let code = try #require(json["code"] as? String)
            #expect(code.hasPrefix("ZC2:"))
            let verified = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": code]).json()
            #expect(verified["valid"] as? Bool == true)
            #expect((verified["holder"] as? [String: Any])?["level"] as? Int == 3)
        }
    }

    @Test("A minted one-time service code redeems once")
    func service() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client async throws in
            let json = try await client.post("/v1/codes/service", token: fixture.token(.issue),
                                             json: ["certificate": fixture.certificateNumber, "service": "free-bus"]).json()
            #expect(json["expiresIn"] as? Int == 600)
            let code = try #require(json["code"] as? String)
            let redeemed = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": code, "service": "free-bus"]).json()
            #expect(redeemed["redeemed"] as? Bool == true)
        }
    }

    @Test("\"format\": 1 mints version 1 for verifiers not yet updated; 2 is the default; anything else is refused")
    func formats() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client async throws in
            let token = fixture.token(.issue)
            for (path, body) in [
                ("/v1/codes/identity", ["certificate": fixture.certificateNumber] as [String: Any]),
                ("/v1/codes/service", ["certificate": fixture.certificateNumber, "service": "free-bus"]),
            ] {
                for (format, prefix) in [(1, "ZC1:"), (2, "ZC2:")] {
                    let minted = try await client.post(path, token: token, json: body.merging(["format": format]) { $1 })
                    #expect(minted.status == .ok, "\(path) format \(format)")
                    let code = try #require(try minted.json()["code"] as? String)
                    #expect(code.hasPrefix(prefix), "\(path) format \(format): \(code.prefix(5))")
                    let verified = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": code]).json()
                    #expect(verified["valid"] as? Bool == true, "\(path) format \(format)")
                }
                let refused = try await client.post(path, token: token, json: body.merging(["format": 3]) { $1 })
                #expect(refused.status == .badRequest)
                #expect((try refused.json()["message"] as? String)?.contains("format must be 2") == true, "\(path)")
            }
        }
    }

    @Test("A code that claims to live longer than a day is refused as malformed, however it was signed")
    func codeLifetimeOnReading() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let stored = try #require(try fixture.workspace.registry.certificate(number: fixture.certificateNumber))
        let now = ServerFixture.now
        try await fixture.application().test(.router) { client async throws in
            for (lifetime, reason) in [(86_400, "valid"), (86_401, "malformed_cbor")] {
                let code = IdentityCode(
                    certificateReference: stored.licenseID, maskedName: "王*明", disclosed: nil,
                    status: try StatusReference(index: Int(stored.statusIndex), uri: fixture.workspace.configuration.statusListURI),
                    issuerCode: fixture.workspace.configuration.issuerCode, issuedAt: now, expiresAt: now + Int64(lifetime), nonce: Array(0..<16)
                )
                let text = try EnvelopeSealer.seal(code.claims, type: ObjectType.identityCode.rawValue, key: try fixture.workspace.issuerKey())
                let answer = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": text]).json()
                #expect(answer["reason"] as? String == reason, "\(lifetime) s: \(answer)")
            }
        }
    }

    @Test("Refusals: malformed number 400, unknown certificate 404, suspended 409, unknown service 400, ttl out of range 400")
    func refusals() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client async throws in
            let token = fixture.token(.issue)
            #expect(try await client.post("/v1/codes/identity", token: token, json: ["certificate": "123"]).status == .badRequest)
            #expect(try await client.post("/v1/codes/identity", token: token, json: ["certificate": "11010519491231002X11"]).status == .notFound)
            #expect(try await client.post("/v1/codes/identity", token: token,
                                           json: ["certificate": fixture.certificateNumber, "ttl": 999_999]).status == .badRequest)
            #expect(try await client.post("/v1/codes/service", token: token,
                                           json: ["certificate": fixture.certificateNumber, "service": "no-such"]).status == .badRequest)
            try fixture.workspace.change(.suspend, certificateNumber: fixture.certificateNumber, reason: "test", now: ServerFixture.now)
            let suspended = try await client.post("/v1/codes/identity", token: token, json: ["certificate": fixture.certificateNumber])
            #expect(suspended.status == .conflict)
            #expect(try suspended.json()["error"] as? String == "not_allowed")

            // Past its validity: a code carries none, so it would verify as valid. (A certificate
            // that would already have expired is not issued: its dates are set back in the registry,
            // as for one carried over from paper that has since run out.)
            let expired = try fixture.workspace.issue(IssueRequest(
                name: try PersonName("李小红"), citizenID: try CitizenIDNumber("11010519491231002X"), category: .visual, level: .two,
                region: try RegionCode("330482")
            ), now: ServerFixture.now)
            try await DatabaseQueue(path: fixture.workspace.directory.appendingPathComponent("zhucan.db").path).write { db in
                try db.execute(sql: "UPDATE certificate SET valid_from = '2015-06-01', valid_until = '2025-06-01' WHERE number = ?",
                               arguments: [expired.certificateNumber])
            }
            for (path, body) in [
                ("/v1/codes/identity", ["certificate": expired.certificateNumber] as [String: Any]),
                ("/v1/codes/service", ["certificate": expired.certificateNumber, "service": "free-bus"]),
                ("/v1/holders/enrollments", ["certificate": expired.certificateNumber]),
            ] {
                let refused = try await client.post(path, token: token, json: body)
                #expect(refused.status == .conflict, "\(path): \(refused.text)")
                #expect(refused.text.contains("was valid until 2025-06-01"), "\(path): \(refused.text)")
            }
            // Not yet valid: issued today to start in 300 days.
            let early = try fixture.workspace.issue(IssueRequest(
                name: try PersonName("赵小燕"), citizenID: try CitizenIDNumber("330482201001010037"), category: .hearing, level: .four,
                region: try RegionCode("330482"), validFrom: ChinaTime.date(of: ServerFixture.now + 300 * 86_400)
            ), now: ServerFixture.now)
            let notYet = try await client.post("/v1/codes/identity", token: token, json: ["certificate": early.certificateNumber])
            #expect(notYet.status == .conflict, "\(notYet.text)")
            #expect(notYet.text.contains("is valid from"), "\(notYet.text)")

            // On its last day: a code may not outlive the certificate.
            // (Ten years ago today: on a day the earlier year's month lacks, there is no such start.)
            let today = ChinaTime.date(of: ServerFixture.now)
            if let start = try? CivilDate(year: today.year - 10, month: today.month, day: today.day),
                ChinaTime.startOfDay(after: today) - ServerFixture.now > 600 {
                let lastDay = try fixture.workspace.issue(IssueRequest(
                    name: try PersonName("钱小英"), citizenID: try CitizenIDNumber("330482199001010029"), category: .speech, level: .four,
                    region: try RegionCode("330482"), validFrom: start
                ), now: ServerFixture.now)
                #expect(lastDay.validUntil == today.description)
                let long = try await client.post("/v1/codes/identity", token: token, json: ["certificate": lastDay.certificateNumber, "ttl": 86_400])
                #expect(long.status == .conflict, "\(long.text)")
                #expect(long.text.contains("may not outlive it"), "\(long.text)")
                let short = try await client.post("/v1/codes/identity", token: token, json: ["certificate": lastDay.certificateNumber, "ttl": 120])
                #expect(short.status == .ok, "\(short.text)")
            }
        }
    }
}
