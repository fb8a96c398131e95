import Foundation
import Testing
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIssuer

/// Compact codes (Docs/format.md §15) as the issuer mints them and its verifier reads them:
/// the certificate and its status list come back from the trust list's `ltc` and `slb`.
@Suite("Compact codes through the issuer's workspace and verifier")
struct CompactCodeVerificationTests {
    func verify(_ fixture: ServerFixture, _ code: String, service: String? = nil) throws -> CredentialVerification {
        CredentialVerifier(lists: try fixture.workspace.verifierLists(), configuration: .init(validationTime: ServerFixture.now))
            .verify(code, service: service)
    }

    @Test("Identity and service codes are minted compact, name the certificate and its status, and stop when it is revoked")
    func verifyAndRevoke() throws {
        let fixture = try ServerFixture()
        let stored = try #require(try fixture.workspace.registry.certificate(number: fixture.certificateNumber))
        let identity = try fixture.identityCode(showCategory: true)
        let service = try fixture.serviceCode("free-bus", oneTime: true)
        #expect(identity.hasPrefix("ZC2:") && identity.count <= 259, "\(identity.count) characters")
        #expect(service.hasPrefix("ZC2"))

        let identityAnswer = try verify(fixture, identity)
        #expect(identityAnswer.reason == .valid, "\(identityAnswer.detail)")
        guard case .identityCode(let code)? = identityAnswer.credential else { Issue.record("not an identity code"); return }
        #expect(code.certificateReference == stored.licenseID)
        #expect(code.status.index == Int(stored.statusIndex))
        #expect(code.status.uri == fixture.workspace.configuration.statusListURI)
        #expect(code.maskedName == "王*明" && code.disclosed?.level == .three)
        #expect(identityAnswer.keyID == (try fixture.workspace.issuerKey()).publicKey.keyID)

        let serviceAnswer = try verify(fixture, service, service: "free-bus")
        #expect(serviceAnswer.reason == .valid, "\(serviceAnswer.detail)")
        guard case .serviceCode(let serviceCode)? = serviceAnswer.credential else { Issue.record("not a service code"); return }
        #expect(serviceCode.certificateReference == stored.licenseID && serviceCode.isOneTime && serviceCode.nonce.count == 8)
        #expect(serviceAnswer.service?.isEntitled == true)

        try fixture.workspace.change(.revoke, certificateNumber: fixture.certificateNumber, reason: "test", now: ServerFixture.now)
        #expect(try verify(fixture, identity).reason == .revoked)
        #expect(try verify(fixture, service, service: "free-bus").reason == .revoked)
    }

    @Test("Until the trust list names ltc and slb the issuer mints version 1, and its compact codes are status_unknown; format 1 on request")
    func trustListBeforeTheCompactFormat() throws {
        let fixture = try ServerFixture(catalogue: false)
        let workspace = fixture.workspace
        let compact = try fixture.identityCode()
        #expect(compact.hasPrefix("ZC2:"))
        #expect(try workspace.identityCode(certificateNumber: fixture.certificateNumber, seconds: nil, showCategory: false, format: .standard, now: ServerFixture.now)
            .hasPrefix("ZC1:"))

        // A trust list as published before the compact format: no ltc, no slb.
        let published = try #require(try workspace.registry.latestPublication(.trustList))
        var list = try TrustList(claims: try #require(EnvelopeLayers(reading: published.text).claims))
        list.entries = list.entries.map { entry in
            var old = entry
            old.licenseTypeCode = nil
            old.statusListBase = nil
            return old
        }
        list.sequence = try workspace.registry.nextSequence(of: .trustList)
        let text = try EnvelopeSealer.seal(list.claims, type: ObjectType.trustList.rawValue, key: try workspace.rootKey())
        _ = try workspace.registry.publish(.trustList, sequence: list.sequence, text: text, issuedAt: list.issuedAt, expiresAt: list.expiresAt)

        #expect(try !workspace.compactCodesReady(workspace.signingKey(at: Int64(Date().timeIntervalSince1970)).entry))
        let fallback = try fixture.identityCode()
        #expect(fallback.hasPrefix("ZC1:"))
        #expect(try verify(fixture, fallback).reason == .valid)
        let stale = try verify(fixture, compact)
        #expect(stale.reason == .statusUnknown)
        #expect(stale.detail.contains("publish a new trust list"))

        try workspace.publishTrustList(now: ServerFixture.now)
        #expect(try fixture.identityCode().hasPrefix("ZC2:"))
        #expect(try verify(fixture, compact).reason == .valid)
    }
}
