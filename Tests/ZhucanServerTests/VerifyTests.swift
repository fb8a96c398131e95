import Foundation
import Synchronization
import HummingbirdTesting
import Testing
import ZhucanRegistry
import ZhucanHTTP
import ZhucanServer
import ZhucanServiceStore

@Suite("Server: POST /v1/verify")
struct VerifyTests {
    @Test("A valid identity code: valid, masked name, no category unless the holder shows it")
    func validIdentityCode() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let hidden = try fixture.identityCode()
        let shown = try fixture.identityCode(showCategory: true)
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": hidden])
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["valid"] as? Bool == true)
            #expect(json["reason"] as? String == "valid")
            #expect(json["type"] as? String == "identity_code")
            let holder = try #require(json["holder"] as? [String: Any])
            #expect(holder["name"] as? String == "王*明")
            #expect(holder["category"] == nil)
            #expect(json["checkedAt"] as? String != nil)
            #expect((json["requestId"] as? String)?.isEmpty == false)
            #expect(!response.text.contains(ServerFixture.name))

            let withCategory = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": shown]).json()
            let shownHolder = try #require(withCategory["holder"] as? [String: Any])
            #expect(shownHolder["category"] as? Int == 4)
            #expect(shownHolder["level"] as? Int == 3)
        }
    }

    @Test("A valid service code for its service: entitled, with the catalogue version")
    func validServiceCode() async throws {
        let fixture = try ServerFixture()
        let code = try fixture.serviceCode("free-bus")
        try await fixture.application().test(.router) { client async throws in
            let json = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": code, "service": "free-bus"]).json()
            #expect(json["valid"] as? Bool == true)
            let service = try #require(json["service"] as? [String: Any])
            #expect(service["id"] as? String == "free-bus")
            #expect(service["entitled"] as? Bool == true)
            #expect(service["failedClause"] == nil)
            #expect(json["catalogueVersion"] as? String != nil)
            #expect(json["oneTime"] as? Bool == true)  // the catalogue makes free-bus one-time
        }
    }

    @Test("A service code shown for another service: wrong_service")
    func wrongService() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let code = try fixture.serviceCode("free-bus")
        try await fixture.application().test(.router) { client async throws in
            let json = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": code, "service": "park"]).json()
            #expect(json["valid"] as? Bool == false)
            #expect(json["reason"] as? String == "wrong_service")
        }
    }

    @Test("Any garbage is a 200 with valid false and its reason", arguments: [
        ("hello", "malformed_prefix"),
        ("ZC1:@@@@", "malformed_base45"),
        ("ZC1:", nil),
        (String(repeating: "Z", count: 60_000), nil),
        ("ZC1:\u{0}\u{FFFF}😀", nil),
    ] as [(String, String?)])
    func garbage(_ code: String, _ reason: String?) async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": code])
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["valid"] as? Bool == false)
            if let reason { #expect(json["reason"] as? String == reason) } else { #expect(json["reason"] as? String != "valid") }
        }
    }

    @Test("A tampered code: bad_signature, still 200")
    func tampered() async throws {
        let fixture = try ServerFixture(catalogue: false)
        var characters = Array(try fixture.identityCode())
        // Change one base45 character near the end (inside the signature).
        let index = characters.count - 3
        characters[index] = characters[index] == "0" ? "1" : "0"
        let code = String(characters)
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": code])
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["valid"] as? Bool == false)
            #expect(json["reason"] as? String != "valid")
        }
    }

    @Test("A suspended certificate is seen within the refresh interval (cached lists reload)")
    func suspendedAfterStart() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let code = try fixture.identityCode()
        try await fixture.application().test(.router) { client async throws in
            #expect(try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": code]).json()["valid"] as? Bool == true)
            try fixture.workspace.change(.suspend, certificateNumber: fixture.certificateNumber, reason: "test", now: ServerFixture.now)
            try await Task.sleep(for: .milliseconds(1_100))
            let json = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": code]).json()
            #expect(json["reason"] as? String == "suspended")
        }
    }

    @Test("Every verification is recorded: key, route, service, reason, certificate reference")
    func recorded() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let code = try fixture.serviceCode("free-bus")
        let keyID = try #require(APIKeyToken(fixture.token(.verify))).id
        try await fixture.application().test(.router) { client async throws in
            _ = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": code])
            _ = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": "hello", "service": "park"])
        }
        let events = try fixture.workspace.registry.verificationEvents()
        #expect(events.count == 2)
        #expect(events.first?.route == .verify)
        #expect(events.first?.apiKey == keyID)
        #expect(events.first?.service == "free-bus")
        #expect(events.first?.reason == "valid")
        #expect(events.first?.licenseID?.isEmpty == false)
        #expect(events.last?.reason == "malformed_prefix")
        // A service no catalogue edition lists, nor the code: anything a window sends there.
        #expect(events.last?.service == VerificationController.unlistedService)
        #expect(events.last?.licenseID == nil)
    }

    @Test("200 concurrent verifications share commits, and each is recorded before its answer")
    func groupCommit() async throws {
        let fixture = try ServerFixture(catalogue: false)
        let code = try fixture.identityCode()
        let token = fixture.token(.verify)
        let registry = fixture.workspace.registry
        let answered = Counter()
        try await fixture.application(rateLimit: 1_000_000).test(.router) { client async throws in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<200 {
                    group.addTask {
                        let answer = try await client.post("/v1/verify", token: token, json: ["code": code]).json()
                        #expect(answer["valid"] as? Bool == true)
                        // Answered means committed: at least as many events are readable as
                        // answers have been given, this one included.
                        let answeredSoFar = answered.withLock { count in
                            count += 1
                            return count
                        }
                        #expect(try registry.verificationEvents(limit: 1_000).count >= answeredSoFar)
                    }
                }
                try await group.waitForAll()
            }
        }
        let events = try registry.verificationEvents(limit: 1_000)
        #expect(events.count == 200)
        #expect(events.allSatisfy { $0.reason == "valid" && $0.route == .verify })
    }
}

/// A count shared by concurrent tasks.
final class Counter: Sendable {
    private let value = Mutex(0)

    /// Runs `body` with the count, under the lock.
    func withLock<T: Sendable>(_ body: (inout Int) -> T) -> T { value.withLock { body(&$0) } }
}
