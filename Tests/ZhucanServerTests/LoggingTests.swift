import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing
import ZhucanHTTP
import ZhucanServer
import ZhucanTesting
import ZhucanTransparency

@Suite("Server: logs")
struct LoggingTests {
    @Test("Log lines carry the request id and the reason, never a name, ID number, card number or code")
    func masked() async throws {
        let fixture = try ServerFixture()
        let recorder = LogRecorder()
        let identity = try fixture.identityCode(showCategory: true)
        let service = try fixture.serviceCode("free-bus", oneTime: true)
        let requestID = HTTPField.Name("X-Request-Id")!
        try await fixture.application(logger: recorder.logger).test(.router) { client async throws in
            _ = try await client.post("/v1/verify", token: fixture.token(.verify), body: "{\"code\": \"\(identity)\"}", headers: [requestID: "trace-1"])
            _ = try await client.post("/v1/redeem", token: fixture.token(.redeem), json: ["code": service, "service": "free-bus"])
            _ = try await client.get("/v1/holders/by-ssc/\(ServerFixture.card)?purpose=check", token: fixture.token(.lookup))
            _ = try await client.post("/v1/codes/identity", token: fixture.token(.issue), json: ["certificate": fixture.certificateNumber])
        }
        let lines = recorder.lines
        // One line per request at level info, with what the route added to it (debug lines
        // are the service lifecycle's and the WAL checkpoints').
        let information = lines.filter { $0.hasPrefix("info ") }
        #expect(information.count == 4, "\(information.map { $0.prefix(90) })")
        #expect(information.allSatisfy { $0.hasPrefix("info request ") })
        #expect(information.contains {
            $0.contains("request.id=trace-1") && $0.contains("verify.reason=valid") && $0.contains("http.route=/v1/verify")
                && $0.contains("api_key.id=\(fixture.token(.verify).dropFirst(3).prefix(8))")
        })
        #expect(lines.contains { $0.contains("http.route=/v1/redeem") && $0.contains("verify.reason=valid") })
        #expect(lines.contains { $0.contains("http.route=/v1/holders/by-ssc/{cardNumber}") && $0.contains("lookup.card=A1*****78") })
        #expect(lines.contains { $0.contains("http.route=/v1/codes/identity") && $0.contains("code.minted=identity") })
        let secrets = [ServerFixture.name, "360121197011210013", fixture.certificateNumber, ServerFixture.card, identity, service,
                       String(identity.dropFirst(4).prefix(40)), fixture.token(.verify)]
        for line in lines {
            for secret in secrets {
                #expect(!line.contains(secret), "log line leaks personal data: \(line.prefix(120))")
            }
        }
    }

    @Test("Refused requests are one line each too: unknown key, revoked key, rate limited")
    func refusals() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let recorder = LogRecorder()
        let token = fixture.token(.verify)
        let body = #"{"code": "x"}"#
        try await fixture.application(rateLimit: 1, logger: recorder.logger, apiKeyCacheTTL: .zero).test(.router) { client async throws in
            #expect(try await client.post("/v1/verify", token: "zk_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", body: body).status == .unauthorized)
            #expect(try await client.post("/v1/verify", token: token, body: body).status == .ok)
            #expect(try await client.post("/v1/verify", token: token, body: body).status == .tooManyRequests)
            try fixture.workspace.registry.revokeAPIKey(id: String(token.dropFirst(3).prefix(8)), at: ServerFixture.now)
            #expect(try await client.post("/v1/verify", token: token, body: body).status == .unauthorized)
        }
        let information = recorder.lines.filter { $0.hasPrefix("info ") }
        #expect(information.count == 4, "\(information.map { $0.prefix(90) })")
        #expect(information.allSatisfy { $0.hasPrefix("info request ") })
        #expect(information[0].contains("auth.refused=unknown or wrong key") && information[0].contains("http.status=401"))
        #expect(information[2].contains("rate_limited=true") && information[2].contains("http.status=429"))
        #expect(information[3].contains("auth.refused=revoked key") && information[3].contains("http.status=401"))
    }
}
