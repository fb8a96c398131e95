import Foundation
import HummingbirdTesting
import Testing
import ZhucanIdentifiers
import ZhucanIssuer
import ZhucanRegistry
import ZhucanHTTP
import ZhucanServer
import ZhucanServiceStore

@Suite("Server: GET /v1/holders/by-ssc/{cardNumber}")
struct LookupTests {
    @Test("Without a purpose: 400, and nothing recorded")
    func noPurpose() async throws {
        let fixture = try ServerFixture()
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.get("/v1/holders/by-ssc/\(ServerFixture.card)", token: fixture.token(.lookup))
            #expect(response.status == .badRequest)
            #expect(try response.json()["error"] as? String == "bad_request")
            #expect(try await client.get("/v1/holders/by-ssc/\(ServerFixture.card)?purpose=%20", token: fixture.token(.lookup)).status == .badRequest)
        }
        #expect(try fixture.workspace.registry.lookupEvents().isEmpty)
    }

    @Test("On a day no published edition covers, the window shows no benefit, as no service code can be minted")
    func noEditionInForce() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try fixture.publishEndedCatalogue()
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.get("/v1/holders/by-ssc/\(ServerFixture.card)?purpose=test", token: fixture.token(.lookup))
            #expect(response.status == .ok, "\(response.text)")
            let json = try response.json()
            #expect((json["entitlements"] as? [[String: Any]])?.isEmpty == true, "\(json)")
            #expect(json["catalogueVersion"] == nil || json["catalogueVersion"] is NSNull, "\(json)")
        }
    }

    @Test("With a purpose: status and entitlements, masked, and the lookup recorded")
    func found() async throws {
        let fixture = try ServerFixture()
        let keyID = try #require(APIKeyToken(fixture.token(.lookup))).id
        try await fixture.application().test(.router) { client async throws in
            let response = try await client.get(
                "/v1/holders/by-ssc/\(ServerFixture.card.lowercased())?purpose=%E5%B0%B1%E5%8C%BB%E7%BB%93%E7%AE%97", token: fixture.token(.lookup)
            )
            #expect(response.status == .ok)
            #expect(!response.text.contains(ServerFixture.name))
            #expect(!response.text.contains("360121197011210013"))
            let json = try response.json()
            #expect(json["found"] as? Bool == true)
            let certificate = try #require(json["certificate"] as? [String: Any])
            #expect(certificate["state"] as? String == "active")
            #expect(certificate["category"] as? Int == 4)
            #expect((certificate["number"] as? String)?.contains("*") == true)
            #expect((json["holder"] as? [String: Any])?["name"] as? String == "王*明")
            let entitlements = try #require(json["entitlements"] as? [[String: Any]])
            #expect(entitlements.contains { $0["id"] as? String == "free-bus" && $0["entitled"] as? Bool == true })
            #expect(json["catalogueVersion"] as? String != nil)
        }
        let events = try fixture.workspace.registry.lookupEvents()
        #expect(events.count == 1)
        #expect(events.first?.apiKey == keyID)
        #expect(events.first?.maskedCard == "A1*****78")
        #expect(events.first?.purpose == "就医结算")
        #expect(events.first?.found == true)
        // Which holder was looked up: the masked card cannot tell.
        #expect(events.first?.licenseID == (try fixture.workspace.registry.certificate(socialSecurityCard: "A12345678"))?.licenseID)
    }

    @Test("After a re-assessment the card finds the certificate that replaced the old one, with the card carried over; a card replaced or removed finds no one; a card is one person's; dates say expired or not yet valid")
    func reissuedAndDated() async throws {
        let fixture = try ServerFixture()
        let workspace = fixture.workspace
        // Re-issued at level 2 without the card given again: it is carried over.
        let reissued = try workspace.issue(IssueRequest(
            name: try PersonName(ServerFixture.name), citizenID: try CitizenIDNumber("360121197011210013"), category: .physical, level: .two,
            region: try RegionCode("330482")
        ), now: ServerFixture.now)
        #expect(try workspace.registry.certificate(number: reissued.certificateNumber)?.socialSecurityCard == ServerFixture.card)
        // Another person with that card: refused, naming it masked.
        #expect {
            _ = try workspace.issue(IssueRequest(
                name: try PersonName("张三"), citizenID: try CitizenIDNumber("330482199002020018"), category: .visual, level: .two,
                region: try RegionCode("330482"), socialSecurityCard: try SocialSecurityCardNumber(ServerFixture.card)
            ), now: ServerFixture.now)
        } throws: { error in
            (error as? IssuerError)?.code == .invalidInput && "\(error)".contains("A1*****78") && !"\(error)".contains(ServerFixture.card)
        }
        // Not yet valid: said so, as the holder's page says it.
        _ = try workspace.issue(IssueRequest(
            name: try PersonName("吴十"), citizenID: try CitizenIDNumber("330482199002020018"), category: .visual, level: .two,
            region: try RegionCode("330482"), socialSecurityCard: try SocialSecurityCardNumber("F66666666"),
            validFrom: CivilDate(Date(timeIntervalSince1970: TimeInterval(ServerFixture.now + 60 * 86_400)))
        ), now: ServerFixture.now)
        try await fixture.application().test(.router) { client async throws in
            let found = try await client.get("/v1/holders/by-ssc/\(ServerFixture.card)?purpose=check", token: fixture.token(.lookup)).json()
            let certificate = try #require(found["certificate"] as? [String: Any])
            #expect(certificate["state"] as? String == "active" && certificate["level"] as? Int == 2, "\(found)")
            #expect((found["entitlements"] as? [Any])?.isEmpty == false)
            let later = try await client.get("/v1/holders/by-ssc/F66666666?purpose=check", token: fixture.token(.lookup)).json()
            #expect((later["certificate"] as? [String: Any])?["state"] as? String == "not_yet_valid", "\(later)")
        }
        #expect(try workspace.registry.lookupEvents().first?.licenseID == reissued.licenseID, "recorded against the certificate found")
        // Re-issued again with a new card: the old card (lost, perhaps) is on no certificate.
        _ = try workspace.issue(IssueRequest(
            name: try PersonName(ServerFixture.name), citizenID: try CitizenIDNumber("360121197011210013"), category: .physical, level: .one,
            region: try RegionCode("330482"), socialSecurityCard: try SocialSecurityCardNumber("C99999999")
        ), now: ServerFixture.now)
        try await fixture.application().test(.router) { client async throws in
            let old = try await client.get("/v1/holders/by-ssc/\(ServerFixture.card)?purpose=check", token: fixture.token(.lookup))
            #expect(old.status == .notFound, "\(old.text)")
            #expect(!old.text.contains("王"), "the card's former holder is not shown: \(old.text)")
            let new = try await client.get("/v1/holders/by-ssc/C99999999?purpose=check", token: fixture.token(.lookup)).json()
            #expect((new["certificate"] as? [String: Any])?["level"] as? Int == 1)
        }
        // A card taken off (`zhucan correct --remove-ssc-card`: it was another person's) shows no one.
        let live = try #require(try workspace.registry.liveCertificate(citizenID: "360121197011210013"))
        _ = try workspace.reissueCertificate(number: live.number, with: CertificateChange(card: .remove), now: ServerFixture.now)
        try await fixture.application().test(.router) { client async throws in
            #expect(try await client.get("/v1/holders/by-ssc/C99999999?purpose=check", token: fixture.token(.lookup)).status == .notFound)
        }
    }

    @Test("An unknown card: 404, recorded as not found; a malformed card: 400")
    func notFound() async throws {
        let fixture = try ServerFixture(catalogue: false)
        try await fixture.application().test(.router) { client async throws in
            #expect(try await client.get("/v1/holders/by-ssc/B99999999?purpose=check", token: fixture.token(.lookup)).status == .notFound)
            #expect(try await client.get("/v1/holders/by-ssc/short?purpose=check", token: fixture.token(.lookup)).status == .badRequest)
        }
        let events = try fixture.workspace.registry.lookupEvents()
        #expect(events.count == 1)
        #expect(events.first?.found == false)
        #expect(events.first?.licenseID == nil)
        #expect(events.first?.maskedCard == "B9*****99")
    }
}
