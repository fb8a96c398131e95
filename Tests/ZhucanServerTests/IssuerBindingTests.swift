import Foundation
import Testing
import ZhucanCatalogue
import ZhucanCertLogic
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIssuer
import ZhucanSigning
import ZhucanStatusList

/// A trust list may name several issuers (a province's root over its counties). Each speaks
/// only for its own certificates (Docs/format.md §8 steps 4 and 5): another issuer's key can
/// neither sign a code in this issuer's name nor a status list that un-revokes its codes.
@Suite("Issuers are bound to their own codes and status lists")
struct IssuerBindingTests {
    /// A second county's issuer, in the trust list beside the fixture's.
    static let otherIssuer = "91110000600037341L"

    /// The fixture's lists with `other` added to its trust list (signed again by the root).
    private static func trustingAnotherIssuer(_ fixture: ServerFixture, other: PrivateKey) throws -> CredentialVerifier.Lists {
        let workspace = fixture.workspace
        var lists = try workspace.verifierLists()
        let text = try #require(lists.trustList)
        var trustList = try TrustList(claims: try #require(EnvelopeLayers(reading: text).claims))
        var entry = try #require(trustList.entries.first)
        entry.key = other.publicKey
        entry.issuerCode = otherIssuer
        entry.issuerName = "另一县残联"
        trustList.entries.append(entry)
        lists.trustList = try EnvelopeSealer.seal(trustList.claims, type: ObjectType.trustList.rawValue, key: try workspace.rootKey())
        return lists
    }

    /// A status list for `uri` in which every certificate is valid, signed by `key` at `at`.
    private static func allValidList(uri: String, key: PrivateKey, at: Int64, sequence: Int64 = 1) throws -> [UInt8] {
        let list = try CertificateStatusList(count: CertificateStatusList.minimumEntries)
        let token = try StatusListToken(statusList: list.statusList, uri: uri, issuedAt: at, expiration: at + 86_400)
        let claims = StatusListPublication.claims(of: token, sequence: sequence)
        return try CoseSign1.sign(payload: claims.cbor.encoded(), type: ObjectType.statusList.rawValue, key: key).encoded(tagged: true)
    }

    private static func verify(_ code: String, _ lists: CredentialVerifier.Lists) -> CredentialVerification {
        CredentialVerifier(lists: lists, configuration: .init(validationTime: ServerFixture.now)).verify(code)
    }

    @Test("Another issuer's status list for this issuer's URI is not used: before the issuer's own, after it, or alone")
    func otherIssuersStatusList() throws {
        let fixture = try ServerFixture(catalogue: false)
        let identity = try fixture.identityCode()
        try fixture.workspace.change(.revoke, certificateNumber: fixture.certificateNumber, reason: "test", now: ServerFixture.now)
        let other = try PrivateKey.generate(.es256)
        var lists = try Self.trustingAnotherIssuer(fixture, other: other)
        let own = try #require(lists.statusLists.first)
        let uri = fixture.workspace.configuration.statusListURI
        let forged = try Self.allValidList(uri: uri, key: other, at: ServerFixture.now + 60, sequence: 1_000)

        #expect(Self.verify(identity, lists).reason == .revoked)
        lists.statusLists = [forged, own]
        #expect(Self.verify(identity, lists).reason == .revoked)
        lists.statusLists = [own, forged]
        #expect(Self.verify(identity, lists).reason == .revoked)
        lists.statusLists = [forged]
        let alone = Self.verify(identity, lists)
        #expect(alone.reason == .statusUnknown)
        #expect(alone.detail == "the status list for \(uri) is signed by issuer \(Self.otherIssuer), not by the code's issuer \(fixture.workspace.configuration.issuerCode)")
    }

    @Test("Of the issuer's own lists for one URI the latest signed by the time of the check counts, in any order; an unusable one hides none")
    func latestOwnList() throws {
        let fixture = try ServerFixture(catalogue: false)
        let workspace = fixture.workspace
        let certificate = try #require(try workspace.registry.certificate(number: fixture.certificateNumber)).code
        let before = try #require(try workspace.verifierLists().statusLists.first)
        let later = ServerFixture.now + 3_600
        try workspace.change(.suspend, certificateNumber: fixture.certificateNumber, reason: "test", now: later)
        var lists = try workspace.verifierLists()
        let after = try #require(lists.statusLists.first)
        var tampered = after
        tampered[tampered.count - 1] ^= 1
        func verify(at time: Int64) -> CredentialVerification {
            CredentialVerifier(lists: lists, configuration: .init(validationTime: time)).verify(certificate)
        }

        for order in [[before, after], [after, before], [tampered, before, after], [after, tampered, before]] {
            lists.statusLists = order
            #expect(verify(at: later).reason == .suspended)
            // Checked at a time before the suspension was signed (`zhucan verify --at`): the
            // list in force then.
            #expect(verify(at: ServerFixture.now).reason == .valid)
        }
        lists.statusLists = [after]
        let early = verify(at: ServerFixture.now)
        #expect(early.reason == .statusUnknown)
        #expect(early.detail.contains("was signed at \(Timestamp.iso(later)), after the time of the check"))
        lists.statusLists = [tampered]
        #expect(verify(at: later).detail.contains("is not signed by a trusted issuer key"))
    }

    @Test("A version-1 code in this issuer's name signed by another issuer's key is unknown_key")
    func codeInAnotherIssuersName() throws {
        let fixture = try ServerFixture(catalogue: false)
        let other = try PrivateKey.generate(.es256)
        let lists = try Self.trustingAnotherIssuer(fixture, other: other)
        let standard = try fixture.workspace.identityCode(
            certificateNumber: fixture.certificateNumber, seconds: nil, showCategory: false, format: .standard, now: ServerFixture.now
        )
        #expect(Self.verify(standard, lists).reason == .valid)

        let claims = try #require(EnvelopeLayers(reading: standard).claims)
        let forged = try EnvelopeSealer.seal(claims, type: ObjectType.identityCode.rawValue, key: other)
        let answer = Self.verify(forged, lists)
        #expect(answer.reason == .unknownKey)
        #expect(answer.detail == "the code names issuer \(fixture.workspace.configuration.issuerCode), but key \(other.publicKey.keyID.hex) is issuer \(Self.otherIssuer)'s")
    }

    @Test("A config.json edited to a lower-case USCC names the issuer as GB 32100 writes it: its lists and codes verify")
    func lowerCaseIssuerCode() throws {
        let fixture = try ServerFixture(catalogue: false)
        let url = fixture.workspace.directory.appendingPathComponent(Workspace.configurationFile)
        let text = try String(contentsOf: url, encoding: .utf8)
        let upper = fixture.workspace.configuration.issuerCode
        try text.replacingOccurrences(of: upper, with: upper.lowercased()).write(to: url, atomically: true, encoding: .utf8)
        let workspace = try Workspace(opening: fixture.workspace.directory)
        #expect(workspace.configuration.issuerCode == upper)
        // The log keeps the name its checkpoints were signed under: nodes pinned with its key
        // know it by that name.
        #expect(try workspace.logOrigin() == "zhucan.log/" + upper)
        #expect(try workspace.signCheckpoint(now: ServerFixture.now).note.hasPrefix("zhucan.log/\(upper)\n"))
        try workspace.publishTrustList(now: ServerFixture.now)
        let lists = try workspace.verifierLists()
        let certificate = try #require(try workspace.registry.certificate(number: fixture.certificateNumber)).code
        for format in [CodeFormat.standard, .compact] {
            let code = try workspace.identityCode(
                certificateNumber: fixture.certificateNumber, seconds: nil, showCategory: false, format: format, now: ServerFixture.now
            )
            #expect(Self.verify(code, lists).reason == .valid, "\(format)")
        }
        #expect(Self.verify(certificate, lists).reason == .valid)
    }

    @Test("A trust list that names its issuer in lower case, as a hand-edited workspace published it, is read as GB 32100 writes it")
    func lowerCaseTrustList() throws {
        let fixture = try ServerFixture(catalogue: false)
        let workspace = fixture.workspace
        var lists = try workspace.verifierLists()
        let text = try #require(lists.trustList)
        var trustList = try TrustList(claims: try #require(EnvelopeLayers(reading: text).claims))
        trustList.entries = trustList.entries.map { entry in
            var lower = entry
            lower.issuerCode = entry.issuerCode.lowercased()
            return lower
        }
        lists.trustList = try EnvelopeSealer.seal(trustList.claims, type: ObjectType.trustList.rawValue, key: try workspace.rootKey())
        let certificate = try #require(try workspace.registry.certificate(number: fixture.certificateNumber)).code
        var codes = [certificate]
        for format in [CodeFormat.standard, .compact] {
            codes.append(try workspace.identityCode(
                certificateNumber: fixture.certificateNumber, seconds: nil, showCategory: false, format: format, now: ServerFixture.now
            ))
        }
        for code in codes {
            #expect(Self.verify(code, lists).reason == .valid, "\(code.prefix(4))")
        }
    }

    @Test("Another issuer's catalogue with the same version decides nothing of this issuer's service codes, given before or after its own")
    func otherIssuersCatalogue() throws {
        let fixture = try ServerFixture()
        let care = try fixture.serviceCode("care-subsidy")
        let other = try PrivateKey.generate(.es256)
        var lists = try Self.trustingAnotherIssuer(fixture, other: other)
        let own = try #require(lists.catalogues.last)
        #expect(Self.verify(care, lists).reason == .notEntitled)

        // The same version, with a rule every holder meets.
        var json = try #require(try JSONSerialization.jsonObject(with: Data(own.catalogue.json.jsonString.utf8)) as? [String: Any])
        var services = try #require(json["services"] as? [[String: Any]])
        let index = try #require(services.firstIndex { $0["id"] as? String == "care-subsidy" })
        services[index]["rule"] = ["in": [["var": "holder.level"], [1, 2, 3, 4]]]
        json["services"] = services
        let lenient = try Catalogue(parsing: try JSONSerialization.data(withJSONObject: json))
        #expect(lenient.version == own.catalogue.version)
        let forged = IssuerCatalogue(issuerCode: Self.otherIssuer, catalogue: lenient)

        for order in [[own, forged], [forged, own]] {
            lists.catalogues = order
            #expect(Self.verify(care, lists).reason == .notEntitled)
        }
        lists.catalogues = [forged]
        let alone = Self.verify(care, lists)
        #expect(alone.reason == .statusUnknown)
        #expect(alone.detail == "catalogue \(own.catalogue.version), which this service code names, is held only from issuer \(Self.otherIssuer), not from the code's issuer \(own.issuerCode)")
        // The issuer's own edition with that rule would entitle: the forged one was judged by its issuer, not its rule.
        lists.catalogues = [IssuerCatalogue(issuerCode: own.issuerCode, catalogue: lenient)]
        #expect(Self.verify(care, lists).reason == .valid)
    }
}
