import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZhucanRegistry
import ZhucanHTTP
import ZhucanServer
import ZhucanServiceStore

@Suite("Server: API keys and scopes")
struct AuthTests {
    static let body = #"{"code": "hello"}"#

    @Test("No key is 401 with a Bearer challenge")
    func noKey() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.post("/v1/verify", token: nil, body: Self.body)
            #expect(response.status == .unauthorized)
            #expect(try response.json()["error"] as? String == "unauthorized")
            #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
    }

    @Test("A wrong key is 401", arguments: [
        "zk_00000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",  // well formed, unknown id
        "nonsense",
        "",
    ])
    func wrongKey(_ token: String) async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.post("/v1/verify", token: token, body: Self.body)
            #expect(response.status == .unauthorized)
            #expect(try response.json()["error"] as? String == "unauthorized")
        }
    }

    @Test("Bearer with any number of spaces before the key (RFC 6750 §2.1: 1*SP) is the same key")
    func spacesBeforeTheKey() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            for spaces in [" ", "   "] {
                let response = try await client.executeRequest(
                    uri: "/v1/verify", method: .post,
                    headers: [.authorization: "Bearer\(spaces)\(fixture.token(.verify))", .contentType: "application/json"],
                    body: ByteBuffer(string: Self.body)
                )
                #expect(response.status == .ok, "\(spaces.count) spaces")
            }
        }
    }

    @Test("A known id with a wrong secret is 401")
    func wrongSecret() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let good = fixture.token(.verify)
        // Same id, last character of the secret changed.
        let forged = String(good.dropLast()) + (good.last == "A" ? "B" : "A")
        try await fixture.application().test(.router) { client async throws in
            #expect(try await client.post("/v1/verify", token: good, body: Self.body).status == .ok)
            #expect(try await client.post("/v1/verify", token: forged, body: Self.body).status == .unauthorized)
        }
    }

    @Test("A revoked key is 401 from the next request on, with the key cache off")
    func revokedKey() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let token = fixture.token(.verify)
        let id = try #require(APIKeyToken(token)).id
        try await fixture.application(apiKeyCacheTTL: .zero).test(.router) { client async throws in
            #expect(try await client.post("/v1/verify", token: token, body: Self.body).status == .ok)
            try fixture.workspace.registry.revokeAPIKey(id: id, at: ServerFixture.now)
            let response = try await client.post("/v1/verify", token: token, body: Self.body)
            #expect(response.status == .unauthorized)
            #expect((try response.json()["message"] as? String)?.contains("revoked") == true)
        }
    }

    @Test("A key without the route's scope is 403", arguments: [
        ("/v1/verify", APIKey.Scope.redeem), ("/v1/redeem", .verify), ("/v1/codes/identity", .verify), ("/v1/codes/service", .lookup),
    ])
    func wrongScope(_ route: String, _ scope: APIKey.Scope) async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.post(route, token: fixture.token(scope), body: Self.body)
            #expect(response.status == .forbidden)
            #expect(try response.json()["error"] as? String == "forbidden")
        }
    }

    @Test("GET routes check scopes too: lookup and stats")
    func wrongScopeOnGet() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            #expect(try await client.get("/v1/holders/by-ssc/A12345678?purpose=x", token: fixture.token(.verify)).status == .forbidden)
            #expect(try await client.get("/v1/stats", token: fixture.token(.lookup)).status == .forbidden)
            #expect(try await client.get("/v1/stats").status == .unauthorized)
            #expect(try await client.get("/v1/stats", token: fixture.token(.audit)).status == .ok)
        }
    }

    @Test("Keys are stored as hashes: the token's secret is nowhere in the database")
    func storedAsHash() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let token = fixture.token(.verify)
        let secret = String(token.split(separator: "_", maxSplits: 2)[2])
        let database = try Data(contentsOf: fixture.workspace.directory.appendingPathComponent("zhucan.db"))
        let wal = (try? Data(contentsOf: fixture.workspace.directory.appendingPathComponent("zhucan.db-wal"))) ?? Data()
        #expect(database.range(of: Data(secret.utf8)) == nil)
        #expect(wal.range(of: Data(secret.utf8)) == nil)
        let listed = try fixture.workspace.registry.apiKeys()
        #expect(listed.count == 6)
        #expect(listed.first { $0.name == "verify" }?.scopes == [.verify])
    }

    @Test("GET /v1/api-key names the key presented and its scopes, for a key of any scope; 401 without one, with a wrong one or a revoked one")
    func keyPresented() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let made = try fixture.workspace.registry.createAPIKey(name: "平湖公交 / buses", scopes: [.redeem, .verify], at: ServerFixture.now)
        try await fixture.application(apiKeyCacheTTL: .zero).test(.router) { client async throws in
            let answer = try await client.get("/v1/api-key", token: made.token)
            #expect(answer.status == .ok)
            let json = try answer.json()
            #expect(json["id"] as? String == made.key.id)
            #expect(json["name"] as? String == "平湖公交 / buses")
            #expect(json["scopes"] as? [String] == ["verify", "redeem"])
            #expect(!answer.text.contains(String(made.token.suffix(43))))
            #expect(try await client.get("/v1/api-key", token: fixture.token(.audit)).json()["scopes"] as? [String] == ["audit"])

            for token in [nil, "nonsense", String(made.token.dropLast()) + (made.token.last == "A" ? "B" : "A")] {
                let refused = try await client.get("/v1/api-key", token: token)
                #expect(refused.status == .unauthorized)
                #expect(refused.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            }
            try fixture.workspace.registry.revokeAPIKey(id: made.key.id, at: ServerFixture.now)
            #expect(try await client.get("/v1/api-key", token: made.token).status == .unauthorized)
        }
    }
}
