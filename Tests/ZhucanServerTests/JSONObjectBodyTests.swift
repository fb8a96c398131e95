import Foundation
import Testing
import ZhucanCertLogic
import ZhucanHTTP

/// The verify and redeem bodies read from the strict parse give what `JSONDecoder` gave: the
/// same values for every body it accepts, and a refusal for every body it refuses.
@Suite("JSON bodies read from the one parse, as JSONDecoder read them")
struct JSONObjectBodyTests {
    static let bodies = [
        #"{"code": "ZC2:ABC"}"#, #"{"code": "ZC2:ABC", "service": "free-bus"}"#, #"{"code": "", "service": ""}"#,
        #"{"code": "ZC2:ABC", "other": [1, {"x": true}]}"#, #"{"service": "free-bus"}"#, #"{"code": 5}"#, #"{"code": "x", "service": 5}"#,
        #"{"code": ["x"]}"#, #"{"code": "x", "service": {"id": "free-bus"}}"#, #"{}"#, #"{"code": "\u00e9\ud83d\ude00"}"#,
        #"{"CODE": "x"}"#, #"{"code": "x", "service": false}"#,
    ]

    @Test("VerifyRequest", arguments: bodies)
    func verify(_ body: String) throws {
        let members = try #require(try ZhucanCertLogic.JSONValue(parsing: Data(body.utf8)).objectValue)
        let decoded = try? JSONDecoder().decode(VerifyRequest.self, from: Data(body.utf8))
        let read = VerifyRequest(members: members)
        #expect(read?.code == decoded?.code && read?.service == decoded?.service && (read == nil) == (decoded == nil), "\(body)")
    }

    @Test("RedeemRequest", arguments: bodies)
    func redeem(_ body: String) throws {
        let members = try #require(try ZhucanCertLogic.JSONValue(parsing: Data(body.utf8)).objectValue)
        let decoded = try? JSONDecoder().decode(RedeemRequest.self, from: Data(body.utf8))
        let read = RedeemRequest(members: members)
        #expect(read?.code == decoded?.code && read?.service == decoded?.service && (read == nil) == (decoded == nil), "\(body)")
    }
}
