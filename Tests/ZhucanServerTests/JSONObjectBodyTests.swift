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

    @Test("VerifyRequest and RedeemRequest", arguments: bodies)
    func bodiesReadAsJSONDecoderReadThem(_ body: String) throws {
        let data = Data(body.utf8)
        let members = try #require(try ZhucanCertLogic.JSONValue(parsing: data).objectValue)
        let verify = (read: VerifyRequest(members: members), decoded: try? JSONDecoder().decode(VerifyRequest.self, from: data))
        #expect(verify.read?.code == verify.decoded?.code && verify.read?.service == verify.decoded?.service
            && (verify.read == nil) == (verify.decoded == nil), "verify \(body)")
        let redeem = (read: RedeemRequest(members: members), decoded: try? JSONDecoder().decode(RedeemRequest.self, from: data))
        #expect(redeem.read?.code == redeem.decoded?.code && redeem.read?.service == redeem.decoded?.service
            && (redeem.read == nil) == (redeem.decoded == nil), "redeem \(body)")
    }
}
