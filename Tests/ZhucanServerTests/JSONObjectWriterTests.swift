import Foundation
import Testing
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanHTTP
import ZhucanServer

@Suite("Server: hand-written JSON, byte for byte JSONEncoder's")
struct JSONObjectWriterTests {
    /// What `JSONResponse.make` writes.
    static func encoded(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }

    struct Sample: Encodable {
        let a: String
        let b: Bool?
        let c: Int?
        let d: UInt64?
    }

    @Test("Strings with quotes, backslashes, slashes, control characters, Chinese and emoji", arguments: [
        "", "plain", "say \"hi\"", #"C:\path"#, "a/b", "line\nbreak\r\ttab", "\u{08}\u{0C}\u{00}\u{01}\u{1F}\u{7F}",
        "王*明 残疾人证", "👩🏽‍🦽", "1.2.156.3005.2.11100000MB0000001T001.11330482MB1234567N.20261130000001.001.L",
    ])
    func strings(_ text: String) throws {
        var writer = JSONObjectWriter()
        writer.member("a", text)
        writer.member("b", true)
        writer.member("c", -42)
        writer.member("d", UInt64.max)
        #expect(writer.finished() == (try Self.encoded(Sample(a: text, b: true, c: -42, d: .max))))
    }

    @Test("Absent optionals are left out, as encodeIfPresent does")
    func absent() throws {
        var writer = JSONObjectWriter()
        writer.member("a", "x")
        writer.member("b", nil as Bool?)
        writer.member("c", nil as Int?)
        writer.member("d", nil as UInt64?)
        #expect(writer.finished() == (try Self.encoded(Sample(a: "x", b: nil, c: nil, d: nil))))
    }

    @Test("POST /v1/verify's answer: valid and invalid codes, certificates with their log index, service codes with and without the entitlement")
    func verifyResponses() throws {
        let fixture = try ServerFixture()
        let lists = VerifiedLists(try fixture.workspace.verifierLists())
        let verifier = CredentialVerifier(verified: lists, configuration: .init(validationTime: ServerFixture.now))
        let certificate = try #require(try fixture.workspace.registry.certificate(number: fixture.certificateNumber)).code
        let cases: [(code: String, service: String?, logIndex: UInt64?)] = [
            (try fixture.identityCode(showCategory: true), nil, nil),
            (try fixture.identityCode(), "free-bus", nil),
            (try fixture.serviceCode("free-bus", oneTime: true), "free-bus", nil),
            (try fixture.serviceCode("free-bus"), "park-entry", nil),
            (certificate, nil, 7),
            ("ZC1:not base45 \"quoted\" \\ /", nil, nil),
            ("", "x", nil),
        ]
        var reasons: Set<String> = []
        for (code, service, logIndex) in cases {
            var response = VerificationReport(verifier.verify(code, service: service), clock: "server clock", skew: 120, logIndex: logIndex, requestID: "r-1")
            if logIndex != nil { response.at = "2026-12-03T09:15:30+08:00 (no zone given: China Standard Time)" }
            #expect(response.json == (try Self.encoded(response)), "\(String(decoding: response.json, as: UTF8.self))")
            reasons.insert(String(decoding: response.json, as: UTF8.self))
        }
        #expect(reasons.count == cases.count)
        // Every member is exercised somewhere.
        for member in [#""service":{"entitled""#, #""logIndex":7"#, #""oneTime":true"#, #""category":"#, #""catalogueVersion""#, #""valid":false"#,
                       #""services":["free-bus"]"#, #""kid":""#, #""at":""#, #""statusListExpires":""#, #""skewSeconds":120"#] {
            #expect(reasons.contains { $0.contains(member) }, "no answer has \(member)")
        }
    }
}
