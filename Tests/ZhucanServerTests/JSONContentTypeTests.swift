import Testing
import ZhucanHTTP

/// Which `Content-Type` values a JSON body may carry (RFC 6839 §3.1), as `JSONResponse.isJSON`
/// compares them byte by byte.
@Suite("JSON bodies: the Content-Type")
struct JSONContentTypeTests {
    @Test("application/json and +json types, in any case, with parameters and blanks", arguments: [
        "application/json", "Application/JSON", "application/json; charset=utf-8", " application/json ;q=1", "\tapplication/json",
        "application/problem+json", "APPLICATION/VND.ZHUCAN+JSON; v=2",
    ])
    func accepted(_ value: String) {
        #expect(JSONResponse.isJSON(value))
    }

    @Test("everything else", arguments: [
        "", "text/json", "application/jsonx", "application/json5", "application+json", "json", "application/x-www-form-urlencoded",
        "application/ json", "multipart/form-data; boundary=x",
    ])
    func refused(_ value: String) {
        #expect(!JSONResponse.isJSON(value))
    }

    @Test func missing() {
        #expect(!JSONResponse.isJSON(nil))
    }
}
