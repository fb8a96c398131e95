import Foundation
import Testing
import ZhucanCertLogic
import ZhucanTesting

/// What the upstream expression schema (`CertLogic-expression.json`) says about one operation.
struct SchemaOperation: Sendable, CustomTestStringConvertible {
    let name: String
    let minItems: Int
    let maxItems: Int?
    /// Per position: a sample operand the schema allows there.
    let samples: [JSONValue]

    var testDescription: String { name }

    /// `count` operands that the schema allows (positional types where given, else a `var`).
    func operands(_ count: Int) -> JSONValue {
        .array((0..<count).map { $0 < samples.count ? samples[$0] : ["var": "x"] })
    }
}

enum CertLogicSchema {
    /// The operations the schema defines, read from its `definitions`.
    static let operations: [SchemaOperation] = {
        guard let schema = try? JSONValue(parsing: TestVectors.data("certlogic/CertLogic-expression.json")),
            let definitions = schema.objectValue?["definitions"]?.objectValue
        else { return [] }
        var operations: [SchemaOperation] = []
        for (_, definition) in definitions.sorted(by: { $0.key < $1.key }) {
            guard let object = definition.objectValue else { continue }
            let properties = object["properties"]?.objectValue ?? [:]
            var named: [(String, JSONValue)] = properties.map { ($0.key, $0.value) }
            // "<|>|<=|>=|after|…" and "===|in|\\+": alternatives of one operand specification.
            for (pattern, specification) in object["patternProperties"]?.objectValue ?? [:] {
                for name in pattern.split(separator: "|") {
                    named.append((name.replacingOccurrences(of: "\\", with: ""), specification))
                }
            }
            for (name, specification) in named {
                guard let spec = specification.objectValue, spec["type"] == "array" else { continue }
                var samples: [JSONValue] = []
                for item in spec["items"]?.arrayValue ?? [] {
                    if item.objectValue?["type"] == "integer" {
                        samples.append(1)
                    } else if let choices = item.objectValue?["enum"]?.arrayValue, let first = choices.first {
                        samples.append(first)
                    } else {
                        samples.append(["var": "x"])
                    }
                }
                operations.append(SchemaOperation(
                    name: name,
                    minItems: spec["minItems"]?.integerValue.map(Int.init) ?? 0,
                    maxItems: spec["maxItems"]?.integerValue.map(Int.init),
                    samples: samples
                ))
            }
        }
        return operations
    }()
}

@Suite("CertLogic validation against the expression schema", .enabled(if: TestVectors.shouldRun))
struct CertLogicSchemaTests {
    @Test("the schema defines exactly the operations the validator knows")
    func operationSet() {
        let names = Set(CertLogicSchema.operations.map(\.name))
        #expect(names == [
            "and", "<", ">", "<=", ">=", "after", "before", "not-after", "not-before", "if", "!", "plusTime",
            "reduce", "===", "in", "+", "extractFromUVCI", "dccDateOfBirth",
        ])
    }

    @Test("arities: the schema's item counts validate, one fewer or one more is wrongArity",
          arguments: CertLogicSchema.operations)
    func arity(_ operation: SchemaOperation) {
        for count in [operation.minItems, operation.maxItems ?? operation.minItems + 3] {
            let findings = CertLogic.validate(.object([operation.name: operation.operands(count)]))
            #expect(findings == [], "\(operation.name) with \(count): \(findings)")
        }
        var wrong = [operation.minItems - 1]
        if let max = operation.maxItems { wrong.append(max + 1) }
        for count in wrong where count >= 0 {
            let findings = CertLogic.validate(.object([operation.name: operation.operands(count)]))
            #expect(findings.first?.code == .wrongArity, "\(operation.name) with \(count): \(findings)")
            #expect(findings.first?.path == "$")
        }
    }

    @Test("DataAccess: var takes a string, per the schema")
    func dataAccess() {
        #expect(CertLogic.validate(["var": "a.b"]) == [])
        #expect(CertLogic.validate(["var": 0]).map(\.code) == [.invalidOperand])
        #expect(CertLogic.validate(["var": ["a", 1]]).map(\.code) == [.invalidOperand])
    }

    @Test("positional item types: integer amounts and indices, the unit enum")
    func positionalTypes() {
        #expect(CertLogic.validate(["plusTime": [["var": "d"], "1", "day"]]).map(\.path) == ["$.plusTime[1]"])
        #expect(CertLogic.validate(["plusTime": [["var": "d"], 1, "days"]]).map(\.path) == ["$.plusTime[2]"])
        #expect(CertLogic.validate(["extractFromUVCI": [["var": "u"], true]]).map(\.path) == ["$.extractFromUVCI[1]"])
    }
}
