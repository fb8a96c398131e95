import Foundation
import Testing
import ZhucanCertLogic

@Suite("CertLogic test-suite files and their runner")
struct CertLogicTestSuiteTests {
    let text = #"""
        {
          "name": "demo",
          "cases": [
            {
              "name": "adds",
              "certLogicExpression": {"+": [{"var": "a"}, 1]},
              "assertions": [
                {"data": {"a": 1}, "expected": 2, "message": "1 + 1"},
                {"data": {"a": 1}, "expected": 3},
                {"data": {"a": "x"}, "expected": 2},
                {"data": {"a": 1}, "expected": 2, "directive": "skip"},
                {"data": null, "expected": "b", "certLogicExpression": {"if": [true, "b", "c"]}}
              ]
            },
            {"name": "skipped case", "directive": "skip", "certLogicExpression": true,
             "assertions": [{"data": {}, "expected": true}]}
          ]
        }
        """#

    @Test("parses the schema's shape and reports each assertion's outcome")
    func runAndReport() throws {
        let suite = try CertLogicTestSuite(parsing: Data(text.utf8))
        #expect(suite.name == "demo")
        #expect(suite.cases.map(\.name) == ["adds", "skipped case"])
        // Decodable through JSONDecoder gives the same suite.
        #expect(try JSONDecoder().decode(CertLogicTestSuite.self, from: Data(text.utf8)) == suite)

        let report = suite.run()
        #expect(report.results.map(\.outcome) == [
            .passed,
            .failed(expected: 3, actual: 2),
            .error(CertLogicError(.typeMismatch, "")),
            .skipped(reason: "assertion has directive \"skip\""),
            .passed,
            .skipped(reason: "case has directive \"skip\""),
        ])
        #expect((report.passedCount, report.failedCount, report.errorCount, report.skippedCount) == (2, 2, 1, 2))
        #expect(!report.isSuccess)
        #expect(report.summary == "demo: 2 passed, 2 failed, 2 skipped")
        let lines = report.description.split(separator: "\n").map(String.init)
        #expect(lines == [
            "FAIL adds #2: expected 3, got 2",
            "ERROR adds #3: typeMismatch: at $.+[0]: operand of + must be an integer, not a string",
            "SKIP adds #4: assertion has directive \"skip\"",
            "SKIP skipped case #1: case has directive \"skip\"",
            "demo: 2 passed, 2 failed, 2 skipped",
        ])
        #expect(report.results[0].description == "PASS adds #1 (1 + 1)")
    }

    @Test("only: anything not marked only is skipped")
    func only() throws {
        var suite = try CertLogicTestSuite(parsing: Data(text.utf8))
        suite.cases[0].assertions[1].directive = .only
        let report = suite.run()
        #expect(report.results.map(\.isPassed) == [false, false, false, false, false, false])
        #expect(report.failedCount == 1)
        #expect(report.skippedCount == 5)
    }

    @Test("a file that does not fit the schema names the faulty field", arguments: [
        (#"{"cases": []}"#, "$.name"),
        (#"{"name": "x", "cases": {}}"#, "$.cases"),
        (#"{"name": "x", "cases": [{"name": "c", "assertions": [{"data": 1}]}]}"#, "$.cases[0].assertions[0]"),
        (#"{"name": "x", "cases": [{"name": "c", "directive": "later", "assertions": []}]}"#, "$.cases[0].directive"),
        (#"[]"#, "$"),
    ])
    func invalidSuite(_ text: String, path: String) {
        expectError(.invalidTestSuite, at: path) { _ = try CertLogicTestSuite(parsing: Data(text.utf8)) }
    }

    @Test("an assertion without any expression is an error, not a pass")
    func missingExpression() {
        let suite = CertLogicTestSuite(name: "s", cases: [.init(name: "c", assertions: [.init(data: nil, expected: nil)])])
        #expect(suite.run().errorCount == 1)
    }
}
