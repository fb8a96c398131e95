import Foundation
import Testing
import ZhucanCertLogic

@Suite("JSONValue parsing and printing")
struct JSONValueTests {
    @Test("scalars, containers and whitespace parse as RFC 8259 says")
    func parsesValidJSON() throws {
        #expect(try JSONValue(parsing: "null") == .null)
        #expect(try JSONValue(parsing: " \t\r\ntrue ") == .bool(true))
        #expect(try JSONValue(parsing: "false") == .bool(false))
        #expect(try JSONValue(parsing: "\"a\\\"b\\\\c\\/\\b\\f\\n\\r\\t\\u00e9\"") == .string("a\"b\\c/\u{08}\u{0C}\n\r\té"))
        #expect(try JSONValue(parsing: "\"\\ud83d\\ude00\"") == .string("😀"))
        #expect(try JSONValue(parsing: "[1, [], {}, {\"a\": [null]}]")
            == .array([1, .array([]), .object([:]), ["a": [nil]]]))
    }

    @Test("integers stay exact; integral numbers become integers; others are numbers")
    func numbers() throws {
        #expect(try JSONValue(parsing: "9007199254740993") == .integer(9_007_199_254_740_993))
        #expect(try JSONValue(parsing: "-9223372036854775808") == .integer(.min))
        #expect(try JSONValue(parsing: "1.0") == .integer(1))
        #expect(try JSONValue(parsing: "1e3") == .integer(1000))
        #expect(try JSONValue(parsing: "-0") == .integer(0))
        #expect(try JSONValue(parsing: "0.5") == .number(0.5))
        #expect(try JSONValue(parsing: "12345678901234567890") == .number(1.2345678901234567e19))
        if case .integer = try JSONValue(parsing: "2.5e1") {} else { Issue.record("25 should be an integer") }
        // Equality and hashing compare numbers by value, however they were built.
        #expect(JSONValue.number(1.0) == .integer(1))
        #expect(Set<JSONValue>([.number(1.0), .integer(1)]).count == 1)
        #expect(JSONValue.number(1.5) != .integer(1))
    }

    @Test("non-JSON text is rejected with the offset and path of the fault", arguments: [
        ("", 0, "$"), ("{", 1, "$"), ("[1,]", 3, "$[1]"), ("{'a':1}", 1, "$"), ("tru", 0, "$"),
        ("01", 1, "$"), ("\"\\x\"", 1, "$"), ("[1] x", 4, "$"), ("NaN", 0, "$"), ("1e400", 0, "$"),
        ("{\"a\":1,\"a\":2}", 7, "$.a"), ("[\"\\ud800\"]", 2, "$[0]"), ("\"a\u{01}\"", 2, "$"),
        ("\u{FEFF}{}", 0, "$"), ("{\"and\":[true,{\"if\":[1 2]}]}", 22, "$.and[1].if[1]"), ("-", 1, "$"),
        ("1.", 2, "$"), ("[1}", 2, "$[1]"), ("{\"a\" 1}", 5, "$.a"),
    ])
    func rejectsNonJSON(_ text: String, offset: Int, path: String) {
        #expect {
            try JSONValue(parsing: text)
        } throws: { error in
            guard let error = error as? CertLogicError else { return false }
            return error.code == .invalidJSON && error.path == path
                && error.reason.contains("byte offset \(offset)") && error.reason.hasPrefix("at \(path): ")
        }
    }

    @Test("invalid UTF-8 is rejected")
    func rejectsInvalidUTF8() {
        #expect(throws: CertLogicError(.invalidJSON, "")) {
            try JSONValue(parsing: Data([0x22, 0xC3, 0x28, 0x22]))
        }
    }

    @Test("size and depth limits hold, and the depth ceiling cannot be raised past")
    func limits() throws {
        #expect(throws: CertLogicError(.invalidJSON, "")) {
            try JSONValue(parsing: "[1,2,3]", limits: .init(maxBytes: 6))
        }
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: CertLogicError(.invalidJSON, "")) { try JSONValue(parsing: deep) }
        #expect(try JSONValue(parsing: deep, limits: .init(maxDepth: 300)).arrayValue?.count == 1)
        let tooDeep = String(repeating: "[", count: 1_001) + String(repeating: "]", count: 1_001)
        #expect(throws: CertLogicError(.invalidJSON, "")) {
            try JSONValue(parsing: tooDeep, limits: .init(maxDepth: 1_000_000))
        }
    }

    @Test("jsonString is compact, sorted and parses back to the same value")
    func printing() throws {
        let value: JSONValue = ["b": [1, 2.5, "x\"\n\u{01}"], "a": nil, "c": ["d": true]]
        #expect(value.jsonString == #"{"a":null,"b":[1,2.5,"x\"\n\u0001"],"c":{"d":true}}"#)
        #expect(try JSONValue(parsing: value.jsonString) == value)
        #expect(JSONValue.number(1e300).jsonString == "1e+300")
        #expect(try JSONValue(parsing: JSONValue.number(0.1).jsonString) == .number(0.1))
    }

    @Test("agrees with JSONSerialization on valid documents")
    func differential() throws {
        let documents = [
            #"{"a":[1,-2,3.25,true,false,null,"s"],"b":{"c":"\u00e9\ud83d\ude00"}}"#,
            #"[0, -0.5, 1E2, 1e-2, "\/\\", {"": ""}]"#,
            #"  "only a string"  "#,
        ]
        for document in documents {
            let ours = try JSONValue(parsing: document)
            let foundation = try JSONSerialization.jsonObject(with: Data(document.utf8), options: .fragmentsAllowed)
            let reparsed = try JSONSerialization.data(withJSONObject: foundation, options: [.fragmentsAllowed, .sortedKeys])
            #expect(try JSONValue(parsing: reparsed) == ours, "\(document)")
        }
    }

    @Test("Codable round trip through JSONEncoder and JSONDecoder")
    func codable() throws {
        let value: JSONValue = ["n": [1, 2.5, -3], "s": "t", "z": nil, "b": false]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
        #expect(try JSONValue(parsing: data) == value)
    }
}
