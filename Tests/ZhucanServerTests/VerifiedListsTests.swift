import Foundation
import Testing
import ZhucanCredentials
import ZhucanEnvelope

/// Lists checked once (`VerifiedLists`, what the service caches) give the same answers as
/// lists checked per verification, at every validation time: expiry is still judged per call.
@Suite("VerifiedLists: signatures once, times per verification")
struct VerifiedListsTests {
    @Test("Same reason and detail as unprepared lists: now, past the status list's expiry, past the trust list's, before its signing")
    func sameAnswers() throws {
        let fixture = try ServerFixture(catalogue: false)
        let lists = try fixture.workspace.verifierLists()
        let prepared = VerifiedLists(lists)
        let stored = try #require(try fixture.workspace.registry.certificate(number: fixture.certificateNumber))
        let now = ServerFixture.now
        for time in [now, now + 2 * 86_400, now + 200 * 86_400, now - 3_600] {
            let configuration = EnvelopeVerifier.Configuration(validationTime: time)
            let once = CredentialVerifier(verified: prepared, configuration: configuration).verify(stored.code)
            let each = CredentialVerifier(lists: lists, configuration: configuration).verify(stored.code)
            #expect(once.reason == each.reason, "at \(time - now) s")
            #expect(once.detail == each.detail, "at \(time - now) s")
        }
        let at = { (offset: Int64) in
            CredentialVerifier(verified: prepared, configuration: .init(validationTime: now + offset)).verify(stored.code)
        }
        #expect(at(0).reason == .valid)
        #expect(at(2 * 86_400).reason == .statusUnknown)
        #expect(at(2 * 86_400).detail.contains("status list expired"))
        #expect(at(200 * 86_400).detail.contains("trust list expired"))
        #expect(at(-3_600).reason != .valid)
    }

    @Test("A trust list under another anchor is unusable for every verification")
    func wrongAnchor() throws {
        let fixture = try ServerFixture(catalogue: false)
        var lists = try fixture.workspace.verifierLists()
        lists.trustAnchors = [try fixture.workspace.issuerKey().publicKey]
        let stored = try #require(try fixture.workspace.registry.certificate(number: fixture.certificateNumber))
        let answer = CredentialVerifier(verified: VerifiedLists(lists), configuration: .init(validationTime: ServerFixture.now)).verify(stored.code)
        #expect(answer.reason == .statusUnknown)
        #expect(answer.detail.contains("does not verify under the trust anchor"))
    }
}
