import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanHTTP
import ZhucanIdentifiers
import ZhucanIssuer
import ZhucanServer
import ZhucanSigning
import ZhucanTesting

/// The holder's device over HTTP, without a browser: enrolment, DPoP proofs (RFC 9449) and
/// what a proof must be for the service to answer.
@Suite("Server: holder devices and DPoP proofs")
struct HolderDeviceTests {
    /// A device key, as the page's WebCrypto key would be, and the proofs it signs.
    struct Device {
        let key: PrivateKey

        init() throws { key = try PrivateKey.generate(.es256) }

        /// The public JWK's coordinates.
        var jwk: [String: String] {
            let spki = key.publicKey.subjectPublicKeyInfo
            let point = Array(spki.suffix(64))
            return ["kty": "EC", "crv": "P-256", "x": Base64URL.encode(point.prefix(32)), "y": Base64URL.encode(point.suffix(32))]
        }

        /// A proof for `method` `url`, signed now unless told otherwise.
        func proof(
            _ method: String, _ url: String, iat: Any? = nil, jti: String = UUID().uuidString, signer: PrivateKey? = nil, critical: [String]? = nil
        ) throws -> String {
            var fields: [String: Any] = ["typ": "dpop+jwt", "alg": "ES256", "jwk": jwk]
            if let critical { fields["crit"] = critical }
            let header = try JSONSerialization.data(withJSONObject: fields, options: .sortedKeys)
            let payload = try JSONSerialization.data(withJSONObject: [
                "jti": jti, "htm": method, "htu": url, "iat": iat ?? Int64(Date().timeIntervalSince1970),
            ] as [String: Any], options: .sortedKeys)
            let input = Base64URL.encode(header) + "." + Base64URL.encode(payload)
            return input + "." + Base64URL.encode(try (signer ?? key).signature(for: Array(input.utf8), format: .raw))
        }
    }

    /// What HummingbirdTesting's router client names as the authority.
    static let origin = "http://localhost"

    /// Sends a DPoP request.
    static func send(
        _ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, proof: String?, body: String? = nil
    ) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let proof { headers[HTTPField.Name("DPoP")!] = proof }
        if body != nil { headers[.contentType] = "application/json" }
        return try await client.executeRequest(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Enrols `device` through the API and returns its state answer.
    static func enrol(_ client: some TestClientProtocol, _ fixture: ServerFixture, _ device: Device, agent: [String: Any] = [:]) async throws -> [String: Any] {
        var request: [String: Any] = ["certificate": fixture.certificateNumber]
        request.merge(agent) { $1 }
        let enrolment = try await client.post("/v1/holders/enrollments", token: fixture.token(.issue), json: request)
        #expect(enrolment.status == .ok, "\(enrolment.text)")
        let link = try #require(try enrolment.json()["link"] as? String)
        #expect(!link.contains(fixture.certificateNumber) && !link.contains("王"), "the link names no person")
        let token = try #require(link.components(separatedBy: "#enrol=").last)
        let registered = try await send(
            client, .post, "/v1/holder/device", proof: try device.proof("POST", origin + "/v1/holder/device"),
            body: #"{"enrollment": "\#(token)"}"#
        )
        #expect(registered.status == .ok, "\(registered.text)")
        return try registered.json()
    }

    @Test("Enrol, read the state, mint an identity code that verifies; the link works once")
    func enrolAndMint() async throws {
        let fixture = try ServerFixture()
        let device = try Device()
        try await fixture.application().test(.router) { client in
            let state = try await Self.enrol(client, fixture, device)
            #expect(state["state"] as? String == "active")
            // The enrolment is logged and signed over at once.
            #expect(try fixture.workspace.registry.latestCheckpoint()?.size == fixture.workspace.registry.logEntryCount())
            #expect(state["holder"] as? String == "王*明")
            #expect((state["entitlements"] as? [[String: Any]])?.isEmpty == false)

            let minted = try await Self.send(client, .post, "/v1/holder/codes/identity", proof: try device.proof("POST", Self.origin + "/v1/holder/codes/identity"), body: "{}")
            #expect(minted.status == .ok, "\(minted.text)")
            let answer = try minted.json()
            let code = try #require(answer["code"] as? String)
            #expect((answer["qrSVG"] as? String)?.contains("<svg") == true)
            #expect((answer["label"] as? String)?.hasPrefix("身份码，有效至 ") == true)
            let verified = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": code])
            #expect(try verified.json()["reason"] as? String == "valid")

            // The device minted a code: recorded by device, never the code.
            let events = try fixture.workspace.registry.holderCodeEvents(deviceID: try #require(state["device"] as? String))
            #expect(events.map(\.kind) == ["identity"])

            // The same link again, for another key: refused.
            let other = try Device()
            let again = try await client.post("/v1/holders/enrollments", token: fixture.token(.issue), json: ["certificate": fixture.certificateNumber])
            let token = try #require((try again.json()["link"] as? String)?.components(separatedBy: "#enrol=").last)
            #expect(try await Self.send(client, .post, "/v1/holder/device", proof: try other.proof("POST", Self.origin + "/v1/holder/device"),
                                        body: #"{"enrollment": "\#(token)"}"#).status == .ok)
            let third = try Device()
            let reused = try await Self.send(client, .post, "/v1/holder/device", proof: try third.proof("POST", Self.origin + "/v1/holder/device"),
                                             body: #"{"enrollment": "\#(token)"}"#)
            #expect(reused.status == .conflict, "\(reused.text)")
            #expect(reused.text.contains("used already"))
        }
    }

    @Test("Each device keeps which API key made its link; the holder's state counts the phones that show the certificate, the revoked left out")
    func enrolledByAndCounted() async throws {
        let fixture = try ServerFixture()
        let holder = try Device(), agent = try Device()
        try await fixture.application().test(.router) { client in
            let first = try await Self.enrol(client, fixture, holder)
            #expect(first["devices"] as? Int == 1)
            let second = try await Self.enrol(client, fixture, agent, agent: ["agentName": "张三丰", "relation": "family"])
            #expect(second["devices"] as? Int == 2)
            let state = try await Self.send(client, .get, "/v1/holder/state", proof: try holder.proof("GET", Self.origin + "/v1/holder/state"))
            #expect(try state.json()["devices"] as? Int == 2, "\(state.text)")

            // zk_<8 hex id>_<secret>: the key that made both links.
            let keyID = String(fixture.token(.issue).dropFirst(3).prefix(8))
            let enrolled = try fixture.workspace.holderDevices(enrolledBy: Workspace.enrolledBy(apiKey: keyID))
            #expect(Set(enrolled.map(\.device.id)) == [try #require(first["device"] as? String), try #require(second["device"] as? String)])
            #expect(enrolled.allSatisfy { $0.certificate.number == fixture.certificateNumber })
            #expect(try fixture.workspace.holderDevices(enrolledBy: Workspace.enrolledBy(apiKey: "00000000")).isEmpty)
            // A link made with `zhucan holder enroll` names the operating-system user.
            let made = try fixture.workspace.enroll(
                certificateNumber: fixture.certificateNumber, agent: nil, seconds: nil, madeBy: Workspace.enrolledByCommandLine, now: ServerFixture.now)
            let third = try Device()
            let registered = try fixture.workspace.registerDevice(token: made.token, publicKey: third.key.publicKey, deviceID: "third", now: ServerFixture.now)
            #expect(registered.enrolledBy == "cli:" + ProcessInfo.processInfo.userName)
            try fixture.workspace.revokeHolderDevice(id: "third", reason: "test", now: ServerFixture.now)

            try fixture.workspace.revokeHolderDevice(id: try #require(second["device"] as? String), reason: "not known to the holder", now: ServerFixture.now)
            let after = try await Self.send(client, .get, "/v1/holder/state", proof: try holder.proof("GET", Self.origin + "/v1/holder/state"))
            #expect(try after.json()["devices"] as? Int == 1)
            let revoked = try await Self.send(client, .get, "/v1/holder/state", proof: try agent.proof("GET", Self.origin + "/v1/holder/state"))
            #expect(try revoked.json()["devices"] == nil, "a revoked device learns nothing more")
        }
    }

    @Test("Each benefit says what its service code shows the verifier, whatever the holder chose for the identity code, and the code carries exactly that")
    func serviceCodesSayWhatTheyShow() async throws {
        let fixture = try ServerFixture()
        let device = try Device()
        try await fixture.application().test(.router) { client in
            let state = try await Self.enrol(client, fixture, device)
            let entitlements = try #require(state["entitlements"] as? [[String: Any]])
            let bus = try #require(entitlements.first { $0["id"] as? String == "free-bus" })
            #expect(bus["discloses"] as? String == "残疾类别、残疾等级 / disability category, disability level")

            let minted = try await Self.send(client, .post, "/v1/holder/codes/service",
                                             proof: try device.proof("POST", Self.origin + "/v1/holder/codes/service"), body: #"{"service": "free-bus"}"#)
            let code = try #require(try minted.json()["code"] as? String)
            let verifier = CredentialVerifier(
                lists: try fixture.workspace.verifierLists(), configuration: EnvelopeVerifier.Configuration(validationTime: ServerFixture.now))
            guard case .serviceCode(let service) = verifier.verify(code).credential else {
                Issue.record("not a service code that verifies")
                return
            }
            #expect(Set(service.facts.keys) == ["holder.category", "holder.level"])
        }
    }

    @Test("A replayed proof, a proof signed by another key, a wrong htu and an iat outside the window each get 401 with the reason")
    func badProofs() async throws {
        let fixture = try ServerFixture()
        let device = try Device()
        try await fixture.application().test(.router) { client in
            _ = try await Self.enrol(client, fixture, device)
            let url = Self.origin + "/v1/holder/state"
            let proof = try device.proof("GET", url)
            let state = try await Self.send(client, .get, "/v1/holder/state", proof: proof)
            #expect(state.status == .ok)
            // Proved by a DPoP header, not Authorization: no shared cache may keep it (RFC 9111 §3.5).
            #expect(state.headers[.cacheControl] == "no-store")
            // A NumericDate may have a fraction (RFC 7519 §2).
            let fractional = try device.proof("GET", url, iat: Date().timeIntervalSince1970)
            #expect(try await Self.send(client, .get, "/v1/holder/state", proof: fractional).status == .ok)

            let cases: [(String, String?)] = [
                ("replayed_proof", proof),
                ("bad_signature", try device.proof("GET", url, signer: try PrivateKey.generate(.es256))),
                ("wrong_htu", try device.proof("GET", "http://evil.example/v1/holder/state")),
                ("wrong_htm", try device.proof("POST", url)),
                ("iat_outside_window", try device.proof("GET", url, iat: Int64(Date().timeIntervalSince1970) - 600)),
                // Near Int64's limits: iat - now overflowed, and the process trapped.
                ("iat_outside_window", try device.proof("GET", url, iat: Int64(1e15) - 1)),
                ("malformed_proof", try device.proof("GET", url, iat: Int64.min + 800)),
                ("malformed_proof", try device.proof("GET", url, iat: Int64.max)),
                ("malformed_proof", try device.proof("GET", url, iat: -1e300)),
                ("malformed_proof", try device.proof("GET", url, iat: "now")),
                // RFC 7515 §4.1.11: an extension the server does not understand, marked critical.
                ("malformed_proof", try device.proof("GET", url, critical: ["exp"])),
                ("unknown_device", try Device().proof("GET", url)),
                ("missing_proof", nil),
                ("malformed_proof", "a.b.c"),
            ]
            for (reason, proof) in cases {
                let answer = try await Self.send(client, .get, "/v1/holder/state", proof: proof)
                #expect(answer.status == .unauthorized, "\(reason): \(answer.text)")
                #expect(answer.text.contains(reason), "\(reason): \(answer.text)")
                #expect(answer.headers[.wwwAuthenticate]?.hasPrefix("DPoP") == true)
                #expect(answer.headers[.cacheControl] == "no-store")
            }
        }
    }

    @Test("A registration whose proof is refused spends no link: the proof is used before the link, and the page may try again")
    func registrationProofBeforeLink() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            func link() async throws -> String {
                let enrolment = try await client.post("/v1/holders/enrollments", token: fixture.token(.issue), json: ["certificate": fixture.certificateNumber])
                return try #require((try enrolment.json()["link"] as? String)?.components(separatedBy: "#enrol=").last)
            }
            let url = Self.origin + "/v1/holder/device"
            let first = try Device(), second = try Device()
            let jti = UUID().uuidString
            let enrolled = try await Self.send(client, .post, "/v1/holder/device", proof: try first.proof("POST", url, jti: jti),
                                               body: #"{"enrollment": "\#(try await link())"}"#)
            #expect(enrolled.status == .ok, "\(enrolled.text)")
            // Another key's proof with a jti already seen: refused before the link is touched…
            let token = try await link()
            let reused = try await Self.send(client, .post, "/v1/holder/device", proof: try second.proof("POST", url, jti: jti),
                                             body: #"{"enrollment": "\#(token)"}"#)
            #expect(reused.status == .unauthorized, "\(reused.text)")
            #expect(reused.text.contains("replayed_proof"))
            // …so the same link still enrols that key with a fresh proof.
            let again = try await Self.send(client, .post, "/v1/holder/device", proof: try second.proof("POST", url), body: #"{"enrollment": "\#(token)"}"#)
            #expect(again.status == .ok, "\(again.text)")
            // A link nobody made: refused by a read, before any proof is used.
            let unknown = try await Self.send(client, .post, "/v1/holder/device", proof: try Device().proof("POST", url),
                                              body: #"{"enrollment": "he_0000000000000000_\#(String(repeating: "A", count: 43))"}"#)
            #expect(unknown.status == .notFound, "\(unknown.text)")
        }
    }

    @Test("With a public origin (serve --public-url), links begin with it and proofs must name it, whatever Host the proxy passes on")
    func publicOrigin() async throws {
        let fixture = try ServerFixture()
        let origin = try PublicOrigin("HTTPS://Zhucan.Example:443/")
        #expect(origin.description == "https://zhucan.example")
        try await fixture.application(publicOrigin: origin).test(.router) { client in
            let enrolment = try await client.post("/v1/holders/enrollments", token: fixture.token(.issue), json: ["certificate": fixture.certificateNumber])
            let link = try #require(try enrolment.json()["link"] as? String)
            #expect(link.hasPrefix("https://zhucan.example/holder/#enrol="), "\(link)")
            let token = try #require(link.components(separatedBy: "#enrol=").last)
            let device = try Device()
            // The address the request came in on (HummingbirdTesting's localhost) is no longer the proof's.
            let local = try await Self.send(client, .post, "/v1/holder/device", proof: try device.proof("POST", Self.origin + "/v1/holder/device"),
                                            body: #"{"enrollment": "\#(token)"}"#)
            #expect(local.status == .unauthorized, "\(local.text)")
            #expect(local.text.contains("wrong_htu"))
            let registered = try await Self.send(client, .post, "/v1/holder/device", proof: try device.proof("POST", "https://zhucan.example/v1/holder/device"),
                                                 body: #"{"enrollment": "\#(token)"}"#)
            #expect(registered.status == .ok, "\(registered.text)")
        }
        for (text, reason) in [
            ("https://zhucan.example/app", "has a path"), ("ftp://zhucan.example", "not an http"), ("https://", "no host"),
            ("https://a@zhucan.example", "user name"), ("https://zhucan.example/?x=1", "query"),
        ] {
            do {
                _ = try PublicOrigin(text)
                Issue.record("\(text) was taken as an origin")
            } catch {
                #expect(error.description.contains(reason), "\(text): \(error)")
            }
        }
        #expect(try PublicOrigin("http://[::1]:8080").description == "http://[::1]:8080")
        #expect(try PublicOrigin("http://127.0.0.1:80").description == "http://127.0.0.1")
    }

    @Test("One device gets 60 requests a minute, then 429 with Retry-After")
    func deviceRateLimit() async throws {
        let fixture = try ServerFixture()
        let device = try Device()
        try await fixture.application().test(.router) { client in
            _ = try await Self.enrol(client, fixture, device)
            let url = Self.origin + "/v1/holder/state"
            for index in 1...60 {
                let answer = try await Self.send(client, .get, "/v1/holder/state", proof: try device.proof("GET", url))
                try #require(answer.status == .ok, "request \(index): \(answer.text)")
            }
            let limited = try await Self.send(client, .get, "/v1/holder/state", proof: try device.proof("GET", url))
            #expect(limited.status == .tooManyRequests, "\(limited.text)")
            #expect(limited.headers[.retryAfter].flatMap(Int.init).map { (1...60).contains($0) } == true)
            #expect(limited.text.contains("rate_limited"))
            // Another device is not held by this one's count.
            let other = try Device()
            _ = try await Self.enrol(client, fixture, other)
            let answered = try await Self.send(client, .get, "/v1/holder/state", proof: try other.proof("GET", url))
            #expect(answered.status == .ok, "\(answered.text)")
        }
    }

    @Test("A replayed proof is refused before it counts against the device's rate")
    func replaysSpendNoRate() async throws {
        let fixture = try ServerFixture()
        let device = try Device()
        try await fixture.application().test(.router) { client in
            _ = try await Self.enrol(client, fixture, device)
            let seen = try device.proof("POST", Self.origin + "/v1/holder/codes/identity")
            #expect(try await Self.send(client, .post, "/v1/holder/codes/identity", proof: seen, body: "{}").status == .ok)
            for _ in 1...70 {
                let replayed = try await Self.send(client, .post, "/v1/holder/codes/identity", proof: seen, body: "{}")
                try #require(replayed.status == .unauthorized && replayed.text.contains("replayed_proof"), "\(replayed.text)")
            }
            // The phone's own next request is answered: the replays spent none of its 60 a minute.
            let fresh = try await Self.send(client, .post, "/v1/holder/codes/identity",
                                            proof: try device.proof("POST", Self.origin + "/v1/holder/codes/identity"), body: "{}")
            #expect(fresh.status == .ok, "\(fresh.text)")
        }
    }

    @Test("Over HTTP, an agent's ID number without the agent's name is refused, as the CLI refuses it, rather than enrolling the holder")
    func agentIDNumberNeedsName() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client in
            let refused = try await client.post("/v1/holders/enrollments", token: fixture.token(.issue),
                                                json: ["certificate": fixture.certificateNumber, "agentIdNumber": "11010519491231002X"])
            #expect(refused.status == .badRequest, "\(refused.text)")
            #expect(refused.text.contains("agentIdNumber needs agentName"), "\(refused.text)")
        }
    }

    @Test("A revoked device gets 此设备已停用 and no code; a suspended certificate a suspended state and no code")
    func revokedAndSuspended() async throws {
        let fixture = try ServerFixture()
        let device = try Device()
        try await fixture.application().test(.router) { client in
            let state = try await Self.enrol(client, fixture, device)
            let id = try #require(state["device"] as? String)
            func mint() async throws -> TestResponse {
                try await Self.send(client, .post, "/v1/holder/codes/identity", proof: try device.proof("POST", Self.origin + "/v1/holder/codes/identity"), body: "{}")
            }
            func read() async throws -> [String: Any] {
                try await Self.send(client, .get, "/v1/holder/state", proof: try device.proof("GET", Self.origin + "/v1/holder/state")).json()
            }
            try fixture.workspace.change(.suspend, certificateNumber: fixture.certificateNumber, reason: "test", now: ServerFixture.now)
            #expect(try await read()["state"] as? String == "suspended")
            #expect((try await read()["stateText"] as? String)?.contains("证件已暂停") == true)
            #expect(try await mint().status == .conflict)
            try fixture.workspace.change(.reinstate, certificateNumber: fixture.certificateNumber, reason: "test", now: ServerFixture.now)
            #expect(try await mint().status == .ok)

            try fixture.workspace.revokeHolderDevice(id: id, reason: "phone lost", now: ServerFixture.now)
            let revoked = try await read()
            #expect(revoked["stateText"] as? String == "此设备已停用 / this device was revoked")
            #expect(revoked["state"] as? String == "device_revoked")
            // A lost phone learns nothing more of the certificate.
            for key in ["holder", "certificate", "category", "level", "categoryText", "validUntil", "agent"] {
                #expect(revoked[key] == nil, "\(key) shown to a revoked device: \(revoked)")
            }
            #expect((revoked["entitlements"] as? [Any])?.isEmpty == true)
            let refused = try await mint()
            #expect(refused.status == .forbidden)
            #expect(refused.text.contains("此设备已停用"))
            // Enrolment and revocation are log events.
            let size = try fixture.workspace.registry.logEntryCount()
            let kinds = try fixture.workspace.registry.logEntries(in: 0..<size).map { String(decoding: $0.data, as: UTF8.self) }
            #expect(kinds.contains { $0.contains("device-enrolled") })
            #expect(kinds.contains { $0.contains("device-revoked") })
            // …each covered by a checkpoint at once, as every change is: an audit finds no
            // entry unsigned.
            #expect(try fixture.workspace.registry.latestCheckpoint()?.size == UInt64(size))
        }
    }

    @Test("A certificate re-issued at a new level carries its enrolled phones over: the state and codes are the new certificate's")
    func reissueKeepsTheDevice() async throws {
        let fixture = try ServerFixture()
        let device = try Device()
        try await fixture.application().test(.router) { client in
            let enrolled = try await Self.enrol(client, fixture, device)
            let reissued = try fixture.workspace.issue(IssueRequest(
                name: try PersonName(ServerFixture.name), citizenID: try CitizenIDNumber("360121197011210013"), category: .physical, level: .two,
                region: try RegionCode("330482"), socialSecurityCard: try SocialSecurityCardNumber(ServerFixture.card)
            ), now: ServerFixture.now)
            #expect(reissued.superseded == fixture.certificateNumber)
            let state = try await Self.send(client, .get, "/v1/holder/state", proof: try device.proof("GET", Self.origin + "/v1/holder/state")).json()
            #expect(state["state"] as? String == "active", "\(state)")
            #expect(state["level"] as? Int == 2)
            let minted = try await Self.send(client, .post, "/v1/holder/codes/identity", proof: try device.proof("POST", Self.origin + "/v1/holder/codes/identity"), body: "{}")
            #expect(minted.status == .ok, "\(minted.text)")
            let verified = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": try #require(try minted.json()["code"] as? String)])
            #expect(try verified.json()["reason"] as? String == "valid", "\(verified.text)")
            // Listed under the new certificate's number; revoked, the new certificate's phone stops.
            let devices = try fixture.workspace.holderDevices(certificateNumber: reissued.certificateNumber)
            #expect(devices.map(\.id) == [try #require(enrolled["device"] as? String)])
            try fixture.workspace.change(.revoke, certificateNumber: reissued.certificateNumber, reason: "test", now: ServerFixture.now)
            let after = try await Self.send(client, .get, "/v1/holder/state", proof: try device.proof("GET", Self.origin + "/v1/holder/state")).json()
            #expect(after["state"] as? String == "revoked")
        }
    }

    @Test("A corrected certificate (zhucan correct) carries its enrolled phones over: the state shows the corrected name, and codes verify")
    func correctionKeepsTheDevice() async throws {
        let fixture = try ServerFixture()
        let device = try Device()
        try await fixture.application().test(.router) { client in
            _ = try await Self.enrol(client, fixture, device)
            let corrected = try fixture.workspace.reissueCertificate(
                number: fixture.certificateNumber, with: CertificateChange(name: try PersonName("张晓明"), region: try RegionCode("330481")),
                now: ServerFixture.now
            )
            #expect(corrected.certificateNumber == fixture.certificateNumber && corrected.superseded == fixture.certificateNumber)
            let state = try await Self.send(client, .get, "/v1/holder/state", proof: try device.proof("GET", Self.origin + "/v1/holder/state")).json()
            #expect(state["state"] as? String == "active", "\(state)")
            #expect("\(state["holder"] ?? "")".contains("张*明"), "the corrected name, masked: \(state)")
            let minted = try await Self.send(client, .post, "/v1/holder/codes/identity", proof: try device.proof("POST", Self.origin + "/v1/holder/codes/identity"), body: "{}")
            #expect(minted.status == .ok, "\(minted.text)")
            let verified = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": try #require(try minted.json()["code"] as? String)])
            #expect(try verified.json()["reason"] as? String == "valid", "\(verified.text)")
            #expect(try fixture.workspace.registry.liveCertificate(citizenID: "360121197011210013")?.name == "张晓明")
        }
    }

    @Test("Within 90 days of a certificate's end, when the catalogue offers its renewal (换领), the holder's page says it may be renewed, and still shows codes; six months before, not yet")
    func renewalIsAnnounced() async throws {
        let fixture = try ServerFixture()
        let device = try Device()
        try await fixture.application().test(.router) { client in
            let enrolled = try await Self.enrol(client, fixture, device)
            #expect(enrolled["stateText"] as? String == "证件有效 / certificate valid", "\(enrolled)")
            // Re-assessed on a term that ends `months` from now: the phone follows it.
            func reassess(_ level: DisabilityLevel, endingIn months: Int) throws {
                let today = ChinaTime.date(of: ServerFixture.now)
                let month = today.month + months
                let start = try CivilDate(year: today.year - 10 + (month > 12 ? 1 : 0), month: month > 12 ? month - 12 : month, day: min(today.day, 28))
                _ = try fixture.workspace.issue(IssueRequest(
                    name: try PersonName(ServerFixture.name), citizenID: try CitizenIDNumber("360121197011210013"), category: .physical, level: level,
                    region: try RegionCode("330482"), validFrom: start
                ), now: ServerFixture.now)
            }
            func state() async throws -> [String: Any] {
                try await Self.send(client, .get, "/v1/holder/state", proof: try device.proof("GET", Self.origin + "/v1/holder/state")).json()
            }
            func offersRenewal(_ state: [String: Any]) -> Bool {
                (state["entitlements"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == "certificate-renewal-transfer" }
            }
            try reassess(.two, endingIn: 6)
            let early = try await state()
            #expect(early["stateText"] as? String == "证件有效 / certificate valid", "\(early)")
            #expect(!offersRenewal(early))
            try reassess(.one, endingIn: 2)
            let due = try await state()
            #expect(due["state"] as? String == "active", "\(due)")
            #expect((due["stateText"] as? String)?.contains("可到发证的残联换领") == true, "\(due)")
            #expect(offersRenewal(due), "the page says so exactly when the catalogue's renewal service is offered: \(due)")
            let minted = try await Self.send(client, .post, "/v1/holder/codes/identity", proof: try device.proof("POST", Self.origin + "/v1/holder/codes/identity"), body: "{}")
            #expect(minted.status == .ok, "\(minted.text)")
        }
    }

    @Test("On a day no published edition covers, the holder's page lists no service and says why; the identity code is shown")
    func noEditionInForce() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try fixture.publishEndedCatalogue()
        let device = try Device()
        try await fixture.application().test(.router) { client in
            let state = try await Self.enrol(client, fixture, device)
            #expect((state["entitlements"] as? [[String: Any]])?.isEmpty == true, "\(state)")
            #expect((state["stateText"] as? String)?.contains("service codes are unavailable") == true, "\(state)")
            let minted = try await Self.send(client, .post, "/v1/holder/codes/identity", proof: try device.proof("POST", Self.origin + "/v1/holder/codes/identity"), body: "{}")
            #expect(minted.status == .ok, "\(minted.text)")
        }
    }

    @Test("In the last minutes of a certificate's last day, the holder's codes live to its end, not the configured lifetime, and are minted")
    func codesLiveToTheEndOfTheTerm() throws {
        let fixture = try ServerFixture()
        let stored = try fixture.workspace.storedCertificate(number: fixture.certificateNumber)
        let end = ChinaTime.startOfDay(after: try CivilDate(stored.validUntil))
        #expect(stored.codeLifetime(atMost: 600, now: end - 100) == 100)
        #expect(stored.codeLifetime(atMost: 600, now: end - 10_000) == 600)
        #expect(stored.codeLifetime(atMost: 600, now: end) == 1)
        // What the holder's route mints with: a code of the last 100 seconds is issued.
        let code = try fixture.workspace.identityCode(
            certificateNumber: fixture.certificateNumber, seconds: stored.codeLifetime(atMost: 300, now: end - 100), showCategory: false, now: end - 100)
        #expect(!code.isEmpty)
        #expect(throws: IssuerError.self) {
            try fixture.workspace.identityCode(certificateNumber: fixture.certificateNumber, seconds: 300, showCategory: false, now: end - 100)
        }
    }

    @Test("An agent's device mints codes whose verification names the agent, masked, with the relation")
    func agentCodes() async throws {
        let fixture = try ServerFixture()
        let device = try Device()
        try await fixture.application().test(.router) { client in
            // A slip in the agent's details typed at the window: 400 naming it, not 500.
            for (agent, field) in [
                (["agentName": "张三丰", "agentIdNumber": "110105194912310021", "relation": "guardian"], "ID number"),
                (["agentName": "张\n丰", "relation": "guardian"], "name"),
            ] {
                let refused = try await client.post(
                    "/v1/holders/enrollments", token: fixture.token(.issue), json: agent.merging(["certificate": fixture.certificateNumber]) { $1 })
                #expect(refused.status == .badRequest, "\(refused.text)")
                #expect(refused.text.contains("the agent's \(field) is not valid"), "\(refused.text)")
            }
            let state = try await Self.enrol(client, fixture, device, agent: ["agentName": "张三丰", "agentIdNumber": "11010519491231002X", "relation": "guardian"])
            let agent = try #require(state["agent"] as? [String: Any])
            #expect(agent["name"] as? String == "张*丰")
            for (path, body) in [("/v1/holder/codes/identity", "{}"), ("/v1/holder/codes/service", #"{"service": "free-bus"}"#)] {
                let minted = try await Self.send(client, .post, path, proof: try device.proof("POST", Self.origin + path), body: body)
                #expect(minted.status == .ok, "\(minted.text)")
                let code = try #require(try minted.json()["code"] as? String)
                let verified = try await client.post("/v1/verify", token: fixture.token(.verify), json: ["code": code]).json()
                let named = try #require(verified["agent"] as? [String: Any], "\(verified)")
                #expect(named["relation"] as? String == "guardian")
                #expect((named["name"] as? String)?.hasPrefix("张") == true)
                #expect(named["name"] as? String != "张三丰")
            }
        }
    }
}
