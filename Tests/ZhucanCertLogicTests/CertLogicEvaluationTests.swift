import Foundation
import Testing
import ZhucanCertLogic

/// `{ "plusTime": [ {var: "d"}, amount, unit ] }` evaluated on `d`.
func plusTime(_ date: String, _ amount: Int64 = 0, _ unit: String = "day") throws -> JSONValue {
    try CertLogic.evaluate(["plusTime": [["var": "d"], .integer(amount), .string(unit)]], data: ["d": .string(date)])
}

@Suite("CertLogic evaluation")
struct CertLogicEvaluationTests {
    @Test("plusTime reads every format of CertLogic 1.3.3 and normalises to milliseconds in UTC", arguments: [
        ("2021", "2021-12-31T00:00:00.000Z"),
        ("2020-02", "2020-02-29T00:00:00.000Z"),
        ("2021-02", "2021-02-28T00:00:00.000Z"),
        ("2021-06-01", "2021-06-01T00:00:00.000Z"),
        ("2021-06-01T12:34:56", "2021-06-01T12:34:56.000Z"),
        ("2021-06-01T12:34:56Z", "2021-06-01T12:34:56.000Z"),
        ("2021-06-01T12:34:56+2", "2021-06-01T10:34:56.000Z"),
        ("2021-06-01T12:34:56-02", "2021-06-01T14:34:56.000Z"),
        ("2021-06-01T12:34:56+230", "2021-06-01T10:04:56.000Z"),
        ("2021-06-01T12:34:56+0230", "2021-06-01T10:04:56.000Z"),
        ("2021-06-01T12:34:56-2:30", "2021-06-01T15:04:56.000Z"),
        ("2021-06-01T12:34:56+02:30", "2021-06-01T10:04:56.000Z"),
        ("2021-06-01T12:34:56.1", "2021-06-01T12:34:56.100Z"),
        ("2021-06-01T12:34:56.1Z", "2021-06-01T12:34:56.100Z"),
        ("2021-06-01T12:34:56.123456789+1", "2021-06-01T11:34:56.123Z"),
        ("2021-06-01T12:34:56.9999-01:00", "2021-06-01T13:34:56.999Z"),
        ("2021-06-01T00:30:00+01:00", "2021-05-31T23:30:00.000Z"),
        ("2021-06-01T12:34:56.5+0", "2021-06-01T12:34:56.500Z"),
    ])
    func formats(_ input: String, _ expected: String) throws {
        #expect(try plusTime(input) == .string(expected))
    }

    @Test("other date(-time) strings are errors, not guesses", arguments: [
        "2021-09-99", "2022-13", "2021-02-29", "21-06-01", "2021-6-1", "2021-06-01T12:34", "2021-06-01 12:34:56",
        "2021-06-01t12:34:56", "2021-06-01T12:34:56z", "2021-06-01T24:00:00", "2021-06-01T12:60:00",
        "2021-06-01T12:34:60", "2021-06-01T12:34:56.", "2021-06-01T12:34:56+12345", "2021-06-01T12:34:56+1:5",
        "2021-06-01T12:34:56+24", "", "２０２１", "2021-06-01T12:34:56+02:30Z",
    ])
    func invalidDates(_ input: String) {
        expectError(.invalidDateTime, at: "$.plusTime[0]") { _ = try plusTime(input) }
    }

    @Test("offsetting follows the JavaScript Date setters, leap days included", arguments: [
        // The spec's leap-day table.
        ("2020-02-29", 1, "day", "2020-03-01T00:00:00.000Z"),
        ("2020-02-29", 1, "month", "2020-03-29T00:00:00.000Z"),
        ("2020-02-29", 1, "year", "2021-03-01T00:00:00.000Z"),
        // setUTCMonth past the end of a shorter month rolls over (MakeDay).
        ("2020-01-31", 1, "month", "2020-03-02T00:00:00.000Z"),
        ("2021-03-31", -1, "month", "2021-03-03T00:00:00.000Z"),
        ("2021-01-15T10:00:00Z", -13, "month", "2019-12-15T10:00:00.000Z"),
        ("2021-01-01T00:00:00Z", -1, "hour", "2020-12-31T23:00:00.000Z"),
        ("2021-03-28T00:30:00Z", 24, "hour", "2021-03-29T00:30:00.000Z"),
        ("2022-01-31T00:00:00.000", -18, "year", "2004-01-31T00:00:00.000Z"),
        ("2024-02-29T12:00:00+01:00", -4, "year", "2020-02-29T11:00:00.000Z"),
        ("0000-01-01", -1, "day", "-000001-12-31T00:00:00.000Z"),
        ("9999-12-31", 1, "day", "+010000-01-01T00:00:00.000Z"),
        ("2021-01-01", 270_000, "year", "+272021-01-01T00:00:00.000Z"),
    ])
    func offsets(_ date: String, _ amount: Int64, _ unit: String, _ expected: String) throws {
        #expect(try plusTime(date, amount, unit) == .string(expected))
    }

    @Test("amounts beyond the Date range are errors, never traps", arguments: [
        (Int64(1_000_000), "year"), (Int64.min, "day"), (Int64.max, "hour"), (Int64.min, "month"), (Int64.max, "year"),
        (Int64(120_000_000), "day"),
    ])
    func outOfRange(_ amount: Int64, _ unit: String) {
        expectError(.outOfRange, at: "$") { _ = try plusTime("2021-01-01", amount, unit) }
    }

    @Test("date-time comparisons, binary and ternary")
    func dateComparisons() throws {
        func compare(_ op: String, _ dates: [String]) throws -> JSONValue {
            let operands = dates.map { JSONValue.object(["plusTime": [.string($0), 0, "day"]]) }
            return try CertLogic.evaluate(.object([op: .array(operands)]), data: nil)
        }
        #expect(try compare("after", ["2021-01-02", "2021-01-01"]) == true)
        #expect(try compare("after", ["2021-01-01", "2021-01-01"]) == false)
        #expect(try compare("before", ["2021-01-01", "2021-01-01T00:00:00.001"]) == true)
        #expect(try compare("not-after", ["2021-01-01", "2021-01-01"]) == true)
        #expect(try compare("not-before", ["2021-01-01T01:00:00+01:00", "2021-01-01"]) == true)
        #expect(try compare("before", ["2021-01-01", "2021-06-01", "2021-12-31"]) == true)
        #expect(try compare("before", ["2021-01-01", "2021-12-31", "2021-06-01"]) == false)
        #expect(try compare("not-after", ["2021-01-01", "2021-01-01", "2021-01-01"]) == true)
        // A string is not a date-time, even a well-formed one.
        expectError(.typeMismatch, at: "$.after[0]") {
            _ = try CertLogic.evaluate(["after": [["var": "d"], ["plusTime": ["2021-01-01", 0, "day"]]]], data: ["d": "2021-01-02"])
        }
    }

    @Test("dccDateOfBirth is the last instant consistent with a partial date")
    func dateOfBirth() throws {
        func dob(_ value: JSONValue) throws -> JSONValue {
            try CertLogic.evaluate(["dccDateOfBirth": [["var": "dob"]]], data: ["dob": value])
        }
        #expect(try dob("2004") == "2004-12-31T00:00:00.000Z")
        #expect(try dob("2004-02") == "2004-02-29T00:00:00.000Z")
        #expect(try dob("2004-02-03") == "2004-02-03T00:00:00.000Z")
        expectError(.invalidDateTime, at: "$.dccDateOfBirth[0]") { _ = try dob("2004-13") }
        expectError(.invalidDateTime, at: "$.dccDateOfBirth[0]") { _ = try dob("2004-02-03T00:00:00Z") }
        expectError(.typeMismatch, at: "$.dccDateOfBirth[0]") { _ = try dob(nil) }
    }

    @Test("integers: comparisons, +, and their type errors")
    func integers() throws {
        #expect(try CertLogic.evaluate(["<": [1, ["var": "x"], 3]], data: ["x": 2]) == true)
        #expect(try CertLogic.evaluate([">=": [["var": "x"], 2]], data: ["x": 2.0]) == true)
        #expect(try CertLogic.evaluate(["+": [["var": "x"], -5]], data: ["x": 9_007_199_254_740_993]) == 9_007_199_254_740_988)
        expectError(.outOfRange, at: "$") {
            _ = try CertLogic.evaluate(["+": [["var": "x"], 1]], data: ["x": .integer(.max)])
        }
        expectError(.typeMismatch, at: "$.+[0]") { _ = try CertLogic.evaluate(["+": [["var": "x"], 1]], data: ["x": "1"]) }
        expectError(.typeMismatch, at: "$.+[1]") { _ = try CertLogic.evaluate(["+": [1, ["var": "x"]]], data: ["x": 1.5]) }
        expectError(.typeMismatch, at: "$.<[1]") { _ = try CertLogic.evaluate(["<": [1, ["var": "x"]]], data: nil) }
    }

    @Test("truthiness: a fraction or a date-time is neither truthy nor falsy")
    func truthiness() throws {
        expectError(.notTruthyOrFalsy, at: "$.if[0]") {
            _ = try CertLogic.evaluate(["if": [["var": "x"], 1, 2]], data: ["x": 1.5])
        }
        expectError(.notTruthyOrFalsy, at: "$.![0]") {
            _ = try CertLogic.evaluate(["!": [["plusTime": ["2021", 0, "day"]]]], data: nil)
        }
        expectError(.notTruthyOrFalsy, at: "$.and[1]") {
            _ = try CertLogic.evaluate(["and": [true, ["plusTime": ["2021", 0, "day"]]]], data: nil)
        }
        #expect(try CertLogic.evaluate(["if": [["var": "x"], 1, 2]], data: ["x": 2.0]) == 1)
        #expect(try CertLogic.evaluate(["!": [["var": "x"]]], data: ["x": ["k": nil]]) == false)
        #expect(CertLogic.isTruthy("0") && CertLogic.isFalsy(0) && CertLogic.isFalsy([:]) && !CertLogic.isTruthy(0.5))
    }

    @Test("=== and in compare without coercion, arrays and objects by content")
    func equality() throws {
        #expect(try CertLogic.evaluate(["===": [1, ["var": "x"]]], data: ["x": 1.0]) == true)
        #expect(try CertLogic.evaluate(["===": [1, ["var": "x"]]], data: ["x": "1"]) == false)
        #expect(try CertLogic.evaluate(["===": [[1, ["var": "x"]], ["var": "y"]]], data: ["x": 2, "y": [1, 2]]) == true)
        #expect(try CertLogic.evaluate(["in": [["var": "x"], [[1], [2]]]], data: ["x": [2]]) == true)
        #expect(try CertLogic.evaluate(["in": [["var": "x"], ["var": "y"]]], data: ["x": nil, "y": [nil]]) == true)
        #expect(try CertLogic.evaluate(
            ["===": [["plusTime": ["2021-01-01T01:00:00+01:00", 0, "day"]], ["plusTime": ["2021-01-01", 0, "hour"]]]], data: nil
        ) == true)
        expectError(.typeMismatch, at: "$.in[1]") { _ = try CertLogic.evaluate(["in": ["a", ["var": "s"]]], data: ["s": "abc"]) }
        expectError(.typeMismatch, at: "$.in[1]") { _ = try CertLogic.evaluate(["in": ["a", ["var": "s"]]], data: nil) }
    }

    @Test("var drills into objects and arrays; anything missing is null")
    func dataAccess() throws {
        let data: JSONValue = ["a": [["b": "x"], 7], "": ["": 1], "k.j": 2]
        #expect(try CertLogic.evaluate(["var": "a.0.b"], data: data) == "x")
        #expect(try CertLogic.evaluate(["var": "a.1"], data: data) == 7)
        #expect(try CertLogic.evaluate(["var": "a.-1"], data: data) == nil)
        #expect(try CertLogic.evaluate(["var": "a.2"], data: data) == nil)
        #expect(try CertLogic.evaluate(["var": "a.1.x"], data: data) == nil)
        #expect(try CertLogic.evaluate(["var": "a.99999999999999999999999"], data: data) == nil)
        #expect(try CertLogic.evaluate(["var": "."], data: data) == 1)
        #expect(try CertLogic.evaluate(["var": "k.j"], data: data) == nil)
        #expect(try CertLogic.evaluate(["var": "a.0.b.c"], data: data) == nil)
    }

    @Test("reduce folds with current and accumulator; null gives the initial value")
    func reduce() throws {
        let sum: JSONValue = ["reduce": [["var": "xs"], ["+": [["var": "accumulator"], ["var": "current.n"]]], 10]]
        #expect(try CertLogic.evaluate(sum, data: ["xs": [["n": 1], ["n": 2]]]) == 13)
        #expect(try CertLogic.evaluate(sum, data: ["xs": []]) == 10)
        #expect(try CertLogic.evaluate(sum, data: nil) == 10)
        expectError(.typeMismatch, at: "$.reduce[0]") { _ = try CertLogic.evaluate(sum, data: ["xs": "ab"]) }
        expectError(.typeMismatch, at: "$.reduce[1].+[1]") { _ = try CertLogic.evaluate(sum, data: ["xs": [["n": "1"]]]) }
        // Over an evaluated array literal, and returning the whole context.
        let context: JSONValue = ["reduce": [[["var": "a"], 2], ["var": ""], 0]]
        #expect(try CertLogic.evaluate(context, data: ["a": 1])
            == ["current": 2, "accumulator": ["current": 1, "accumulator": 0]])
        // Date-times flow through the accumulator and come out as text.
        let latest: JSONValue = ["reduce": [["var": "ds"], ["plusTime": [["var": "current"], 0, "day"]], 0]]
        #expect(try CertLogic.evaluate(latest, data: ["ds": ["2021", "2022-02"]]) == "2022-02-28T00:00:00.000Z")
    }

    @Test("extractFromUVCI splits on / # : after an optional URN:UVCI: prefix")
    func extract() throws {
        func extract(_ value: JSONValue, _ index: Int64) throws -> JSONValue {
            try CertLogic.evaluate(["extractFromUVCI": [["var": "u"], .integer(index)]], data: ["u": value])
        }
        #expect(try extract("URN:UVCI:01:NL:187/37512422923", 1) == "NL")
        #expect(try extract("urn:uvci:01", 0) == "urn")
        #expect(try extract("a:/\u{301}b", 2) == "\u{301}b")
        #expect(try extract("a", .max) == nil)
        #expect(try extract(nil, 0) == nil)
        expectError(.typeMismatch, at: "$.extractFromUVCI[0]") { _ = try extract(5, 0) }
    }

    @Test("if evaluates only the branch it takes")
    func lazyIf() throws {
        let expression: JSONValue = ["if": [["var": "ok"], "yes", ["plusTime": [["var": "bad"], 0, "day"]]]]
        #expect(try CertLogic.evaluate(expression, data: ["ok": true, "bad": "nonsense"]) == "yes")
        expectError(.invalidDateTime, at: "$.if[2].plusTime[0]") {
            _ = try CertLogic.evaluate(expression, data: ["ok": false, "bad": "nonsense"])
        }
    }
}
