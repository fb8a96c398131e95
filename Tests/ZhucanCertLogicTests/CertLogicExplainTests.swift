import Testing
import ZhucanCertLogic

@Suite("CertLogic first failing clause")
struct CertLogicExplainTests {
    let rule: JSONValue = [
        "and": [
            ["var": "registered"],
            [">=": [["var": "age"], 18]],
            ["and": [
                ["in": [["var": "category"], ["mobility", "visual"]]],
                ["<": [["var": "degree"], 101]],
            ]],
        ],
    ]

    @Test("names the first falsy operand of and, descending into nested ands")
    func failingClause() throws {
        let minor = CertLogic.firstFailingClause(of: rule, data: ["registered": true, "age": 16])
        #expect(minor?.path == "$.and[1]")
        #expect(minor?.clause == [">=": [["var": "age"], 18]])

        let unregistered = CertLogic.firstFailingClause(of: rule, data: ["registered": false, "age": 16])
        #expect(unregistered?.path == "$.and[0]")

        let wrongCategory = CertLogic.firstFailingClause(
            of: rule, data: ["registered": true, "age": 30, "category": "hearing", "degree": 50]
        )
        #expect(wrongCategory?.path == "$.and[2].and[0]")
        #expect(wrongCategory?.clause == ["in": [["var": "category"], ["mobility", "visual"]]])
    }

    @Test("nothing to explain when the rule holds, is invalid, or fails to evaluate")
    func noClause() throws {
        let eligible: JSONValue = ["registered": true, "age": 30, "category": "visual", "degree": 50]
        #expect(try CertLogic.evaluate(rule, data: eligible) == true)
        #expect(CertLogic.firstFailingClause(of: rule, data: eligible) == nil)
        #expect(CertLogic.firstFailingClause(of: rule, data: ["registered": true, "age": "thirty"]) == nil)
        #expect(CertLogic.firstFailingClause(of: ["and": [false, ["==": [1, 1]]]], data: nil) == nil)
    }

    @Test("a falsy rule that is not an and is its own failing clause")
    func wholeRule() {
        let single: JSONValue = ["<": [["var": "age"], 18]]
        let result = CertLogic.firstFailingClause(of: single, data: ["age": 20])
        #expect(result?.path == "$")
        #expect(result?.clause == single)
    }
}
