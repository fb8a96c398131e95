import Foundation
import Testing
import ZhucanTesting
import ZhucanCertLogic

/// Parses a rule written as JSON text in a test.
func rule(_ text: String) throws -> JSONValue {
    try JSONValue(parsing: text)
}

/// Expects `body` to throw a `CertLogicError` with this code and path.
func expectError(
    _ code: CertLogicError.Code, at path: String,
    sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record("expected \(code) at \(path), nothing thrown", sourceLocation: sourceLocation)
    } catch let error as CertLogicError {
        #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
        #expect(error.path == path, "\(error)", sourceLocation: sourceLocation)
        #expect(error.reason.hasPrefix("at "), "\(error)", sourceLocation: sourceLocation)
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
    }
}

@Suite("CertLogic validation and hostile rules")
struct CertLogicValidationTests {
    @Test("100,000-deep nesting is a clear parse error naming the path, not a crash")
    func deepNestingText() {
        let depth = 100_000
        let text = String(repeating: #"{"!":["#, count: depth) + "true" + String(repeating: "]}", count: depth)
        do {
            _ = try JSONValue(parsing: text)
            Issue.record("a 100,000-deep rule parsed")
        } catch {
            #expect(error.code == .invalidJSON)
            #expect(error.reason.contains("nesting deeper than the limit of 256"))
            // 256 open containers: 128 times `.!` then `[0]`.
            #expect(error.path == "$" + String(repeating: ".![0]", count: 128))
        }
        // Asking for more depth hits the parser's fixed ceiling instead.
        #expect(throws: CertLogicError(.invalidJSON, "")) {
            try JSONValue(parsing: text, limits: .init(maxDepth: .max))
        }
    }

    @Test("a rule nested deeper than 64 operations is rejected with the path of the first too-deep node")
    func deepNestingRule() throws {
        let text = String(repeating: #"{"!":["#, count: 100) + "true" + String(repeating: "]}", count: 100)
        let expression = try rule(text)
        let findings = CertLogic.validate(expression)
        #expect(findings.count == 1)
        #expect(findings.first?.code == .tooDeep)
        #expect(findings.first?.path == "$" + String(repeating: ".![0]", count: 64))
        expectError(.tooDeep, at: "$" + String(repeating: ".![0]", count: 64)) {
            _ = try CertLogic.evaluate(expression, data: nil)
        }
        // 64 deep is allowed: 64 negations of true.
        let allowed = String(repeating: #"{"!":["#, count: 64) + "true" + String(repeating: "]}", count: 64)
        #expect(try CertLogic.evaluate(rule(allowed), data: nil) == true)
    }

    @Test("a 1,000,000-element array literal is rejected by the node limit before it is walked")
    func hugeArrayLiteral() throws {
        let count = 1_000_000
        let text = #"{"in":[1,["# + String(repeating: "0,", count: count - 1) + "0]]}"
        let expression = try rule(text)
        var findings: [CertLogicValidationError] = []
        // A guard against quadratic work, in CPU time so that a loaded machine does not trip it.
        let cpuSeconds = ThreadCPUTime.measure { findings = CertLogic.validate(expression) }
        #expect(findings.map(\.code) == [.tooManyNodes])
        #expect(findings.first?.path == "$.in[1]")
        #expect(cpuSeconds < 10, "took \(cpuSeconds) s of CPU")
        expectError(.tooManyNodes, at: "$.in[1]") { _ = try CertLogic.evaluate(expression, data: nil) }
    }

    @Test("array literals longer than the limit are rejected; within it they work")
    func arrayLength() throws {
        let long = JSONValue.array((0..<2_000).map { .integer($0) })
        expectError(.arrayTooLong, at: "$.in[1]") {
            _ = try CertLogic.evaluate(["in": [5, long]], data: nil)
        }
        let fine = JSONValue.array((0..<1_000).map { .integer($0) })
        #expect(try CertLogic.evaluate(["in": [999, fine]], data: nil) == true)
    }

    @Test("too many nodes in total", arguments: [false, true])
    func nodeLimit(wide: Bool) throws {
        // 60 * 200 = 12,000 literals, each array within the length limit.
        let chunk = JSONValue.array((0..<200).map { .integer($0) })
        let expression: JSONValue = wide
            ? ["and": .array((0..<60).map { _ in ["in": [1, chunk]] })]
            : .array((0..<60).map { _ in chunk })
        let findings = CertLogic.validate(expression)
        #expect(findings.map(\.code) == [.tooManyNodes])
    }

    @Test("unknown operations are rejected, including JsonLogic ones CertLogic leaves out", arguments: [
        "loop", "==", "!=", "!==", "or", "!!", "map", "filter", "all", "some", "none", "merge", "missing",
        "missing_some", "cat", "substr", "min", "max", "-", "*", "/", "%", "log", "?:", "method",
    ])
    func unknownOperation(_ name: String) {
        expectError(.unknownOperation, at: "$") {
            _ = try CertLogic.evaluate(.object([name: []]), data: nil)
        }
        expectError(.unknownOperation, at: "$.and[1].if[0]") {
            _ = try CertLogic.evaluate(["and": [true, ["if": [.object([name: [1, 2]]), 1, 2]]]], data: nil)
        }
    }

    @Test("wrong arities name the operation's path", arguments: [
        (#"{"if":[true,1]}"#, "$"),
        (#"{"and":[true]}"#, "$"),
        (#"{"===":[1]}"#, "$"),
        (#"{"===":[1,1,1]}"#, "$"),
        (#"{"in":[1]}"#, "$"),
        (#"{"+":[1,2,3]}"#, "$"),
        (#"{"<":[1,2,3,4]}"#, "$"),
        (#"{"after":[{"var":"a"}]}"#, "$"),
        (#"{"!":[]}"#, "$"),
        (#"{"!":[true,false]}"#, "$"),
        (#"{"reduce":[[],{"var":"x"}]}"#, "$"),
        (#"{"extractFromUVCI":["a"]}"#, "$"),
        (#"{"dccDateOfBirth":[]}"#, "$"),
        (#"{"and":[true,{"if":[{"!":[1,2]},1,2]}]}"#, "$.and[1].if[0]"),
        (#"[1,{"if":[true]}]"#, "$[1]"),
    ])
    func wrongArity(_ text: String, path: String) throws {
        let expression = try rule(text)
        let first = CertLogic.validate(expression).first
        #expect(first?.code == .wrongArity)
        #expect(first?.path == path)
        expectError(.wrongArity, at: path) { _ = try CertLogic.evaluate(expression, data: nil) }
    }

    @Test("malformed expressions and statically wrong operands", arguments: [
        (#"{"var":"a","if":[1,2,3]}"#, CertLogicError.Code.malformedExpression, "$"),
        (#"{}"#, .malformedExpression, "$"),
        (#"null"#, .malformedExpression, "$"),
        (#"[1,null]"#, .malformedExpression, "$[1]"),
        (#"1.5"#, .malformedExpression, "$"),
        (#"{"!":true}"#, .malformedExpression, "$.!"),
        (#"{"var":1}"#, .invalidOperand, "$.var"),
        (#"{"var":["a",1]}"#, .invalidOperand, "$.var"),
        (#"{"plusTime":["2021-01-01",1,"week"]}"#, .invalidOperand, "$.plusTime[2]"),
        (#"{"plusTime":["2021-01-01",{"var":"n"},"day"]}"#, .invalidOperand, "$.plusTime[1]"),
        (#"{"plusTime":["2021-13-01",1,"day"]}"#, .invalidDateTime, "$.plusTime[0]"),
        (#"{"plusTime":[{"plusTime":["2021-01-01",0,"day"]},1,"day"]}"#, .invalidOperand, "$.plusTime[0]"),
        (#"{"plusTime":[20210101,1,"day"]}"#, .invalidOperand, "$.plusTime[0]"),
        (#"{"dccDateOfBirth":["2021-01-01T00:00:00Z"]}"#, .invalidDateTime, "$.dccDateOfBirth[0]"),
        (#"{"in":["a","abc"]}"#, .invalidOperand, "$.in[1]"),
        (#"{"+":["1",2]}"#, .invalidOperand, "$.+[0]"),
        (#"{"<":[1,2,"3"]}"#, .invalidOperand, "$.<[2]"),
        (#"{"after":["2021-01-01",{"plusTime":["2021-01-01",0,"day"]}]}"#, .invalidOperand, "$.after[0]"),
        (#"{"before":[{"plusTime":["2021-01-01",0,"day"]},{"+":[1,2]}]}"#, .invalidOperand, "$.before[1]"),
        (#"{"reduce":["abc",{"var":"current"},0]}"#, .invalidOperand, "$.reduce[0]"),
        (#"{"extractFromUVCI":[{"var":"u"},"1"]}"#, .invalidOperand, "$.extractFromUVCI[1]"),
        (#"{"and":[true,{"if":[{"var":"a"},{"plusTime":["x",0,"day"]},1]}]}"#, .invalidDateTime, "$.and[1].if[1].plusTime[0]"),
    ])
    func staticFaults(_ text: String, code: CertLogicError.Code, path: String) throws {
        let expression = try rule(text)
        let first = CertLogic.validate(expression).first
        #expect(first?.code == code, "\(String(describing: first))")
        #expect(first?.path == path, "\(String(describing: first))")
        expectError(code, at: path) { _ = try CertLogic.evaluate(expression, data: nil) }
    }

    @Test("validation reports every fault, in document order")
    func allFindings() throws {
        let expression = try rule(#"{"and":[{"loop":[]},{"if":[1]},{"var":2},{"plusTime":["2021",1,"eon"]}]}"#)
        let findings = CertLogic.validate(expression)
        #expect(findings.map(\.path) == ["$.and[0]", "$.and[1]", "$.and[2].var", "$.and[3].plusTime[2]"])
        #expect(findings.map(\.code) == [.unknownOperation, .wrongArity, .invalidOperand, .invalidOperand])
        #expect(findings[0].description == #"$.and[0]: "loop" is not a CertLogic operation"#)
    }

    @Test("valid rules have no findings", arguments: [
        #"true"#, #"1"#, #""s""#, #"[]"#, #"[1,"a",[true]]"#, #"{"var":""}"#, #"{"var":"a.0.b"}"#,
        #"{"and":[true,true,true,true]}"#, #"{"<":[1,2,3]}"#, #"{"not-before":[{"var":"a"},{"var":"b"},{"var":"c"}]}"#,
        #"{"plusTime":["2021-06-01T12:00:00.123456+02:30",-18,"year"]}"#, #"{"dccDateOfBirth":["1990-06"]}"#,
        #"{"reduce":[{"var":"xs"},{"+":[{"var":"accumulator"},1]},0]}"#, #"{"extractFromUVCI":[{"var":"u"},-1]}"#,
        #"{"in":[{"var":"a"},{"var":"b"}]}"#, #"{"===":[[1],{"var":"x"}]}"#, #"{"!":[{"var":"x"}]}"#,
    ])
    func validRules(_ text: String) throws {
        #expect(CertLogic.validate(try rule(text)) == [])
    }

    @Test("the step budget stops a quadratic reduce over large data")
    func stepBudget() throws {
        let expression = try rule("""
            {"reduce":[{"var":"xs"},{"+":[{"var":"accumulator"},
              {"reduce":[{"var":"current"},{"+":[{"var":"accumulator"},{"var":"current"}]},0]}]},0]}
            """)
        let row = JSONValue.array((0..<1_000).map { .integer($0) })
        let data: JSONValue = ["xs": .array(Array(repeating: row, count: 1_000))]
        let limits = CertLogic.Limits(maxSteps: 200_000)
        let cpuSeconds = ThreadCPUTime.measure {
            do throws(CertLogicError) {
                _ = try CertLogic.evaluate(expression, data: data, limits: limits)
                Issue.record("a million additions fitted in 200,000 steps")
            } catch {
                #expect(error.code == .budgetExhausted)
                // Where the budget ran out: somewhere in the inner reduce.
                #expect(error.path?.hasPrefix("$.reduce[1].+[1]") == true, "\(error)")
            }
        }
        #expect(cpuSeconds < 30, "took \(cpuSeconds) s of CPU")
        // The same rule within budget on small data.
        let small: JSONValue = ["xs": [[1, 2], [3]]]
        #expect(try CertLogic.evaluate(expression, data: small, limits: limits) == 6)
    }

    @Test("a reduce cannot build an ever-deeper accumulator")
    func builtDepth() throws {
        let expression = try rule(#"{"reduce":[{"var":"xs"},{"var":""},0]}"#)
        let data: JSONValue = ["xs": .array(Array(repeating: 1, count: 100_000))]
        expectError(.tooDeep, at: "$") { _ = try CertLogic.evaluate(expression, data: data) }
        let wrapping = try rule(#"{"reduce":[{"var":"xs"},[{"var":"accumulator"}],0]}"#)
        expectError(.tooDeep, at: "$") { _ = try CertLogic.evaluate(wrapping, data: data) }
        // A few levels are fine and come back as JSON.
        #expect(try CertLogic.evaluate(wrapping, data: ["xs": [1, 2]]) == [[0]])
    }

    // A lambda that returns its accumulator twice doubles it every round while sharing it: 45
    // nodes, validated, 40 rounds and 2⁴⁰ values to compare or to write out as JSON. It used to
    // hang a verifier (`===`) or exhaust its memory (returned).
    @Test("a reduce cannot build a shared value too large to compare or return")
    func builtSize() throws {
        let doubling = #"{"reduce":[[\#(Array(repeating: "1", count: 40).joined(separator: ","))],[{"var":"accumulator"},{"var":"accumulator"}],[1]]}"#
        for text in [doubling, #"{"===":[\#(doubling),\#(doubling)]}"#, #"{"in":[1,\#(doubling)]}"#] {
            let expression = try rule(text)
            let cpuSeconds = ThreadCPUTime.measure {
                do throws(CertLogicError) {
                    _ = try CertLogic.evaluate(expression, data: [:])
                    Issue.record("2⁴⁰ values were built: \(text)")
                } catch {
                    #expect(error.code == .budgetExhausted, "\(error)")
                    #expect(error.reason.contains("holds more than the limit of 100000 values"), "\(error)")
                }
            }
            #expect(cpuSeconds < 10, "took \(cpuSeconds) s of CPU")
        }
        // Ten rounds are 2,047 values, well within the limit.
        let ten = try rule(#"{"reduce":[[1,1,1,1,1,1,1,1,1,1],[{"var":"accumulator"},{"var":"accumulator"}],1]}"#)
        guard case .array(let halves) = try CertLogic.evaluate(ten, data: [:]) else {
            Issue.record("not an array")
            return
        }
        #expect(halves.count == 2 && halves[0] == halves[1])
    }

    @Test("a var path is charged before it is split")
    func longPath() throws {
        let expression: JSONValue = ["var": .string(String(repeating: ".", count: 2_000_000))]
        #expect(throws: CertLogicError(.budgetExhausted, "")) { _ = try CertLogic.evaluate(expression, data: [:]) }
    }

    @Test("the parse-validate-evaluate path never traps on mutated rules")
    func fuzz() throws {
        let seeds = [
            #"{"and":[{"var":"payload.dob"},{"after":[{"dccDateOfBirth":[{"var":"payload.dob"}]},{"plusTime":[{"var":"external.validationClock"},-18,"year"]}]}]}"#,
            #"{"reduce":[{"var":"xs"},{"+":[{"var":"accumulator"},{"if":[{"in":[{"var":"current"},[1,2]]},1,0]}]},0]}"#,
            #"{"<=":[1,{"extractFromUVCI":[{"var":"u"},1]},3]}"#,
        ]
        let data = try rule(#"{"payload":{"dob":"2004-02"},"external":{"validationClock":"2022-01-31T00:00:00Z"},"xs":[1,2,3,"a",null],"u":"URN:UVCI:01:NL:187/37512422923"}"#)
        var generator = SplitMix64(seed: 0x5EED)
        let alphabet = Array(#"{}[]",:0123456789-+.eE"\ tnulrfasvi"#.utf8)
        var outcomes = [0, 0, 0]  // not JSON, rejected rule or evaluation error, evaluated
        for _ in 0..<3_000 {
            var bytes = Array(seeds[Int(generator.next() % UInt64(seeds.count))].utf8)
            for _ in 0..<(1 + generator.next() % 4) {
                let position = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 3 {
                case 0: bytes[position] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: position)
                default: bytes.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: position)
                }
            }
            guard let expression = try? JSONValue(parsing: Data(bytes)) else {
                outcomes[0] += 1
                continue
            }
            do {
                _ = try CertLogic.evaluate(expression, data: data)
                outcomes[2] += 1
            } catch {
                #expect(error.path != nil, "\(error)")
                outcomes[1] += 1
            }
        }
        #expect(outcomes.allSatisfy { $0 > 0 }, "\(outcomes)")
    }
}

