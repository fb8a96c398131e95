/// The static checks behind ``CertLogic/validate(_:limits:)``.
///
/// Recursion follows the rule's nesting but stops at `limits.maxDepth`, so a hostile rule costs
/// bounded stack; the node count is checked before an array's elements are visited, so a huge
/// array literal costs no time either.
struct CertLogicValidator {
    let limits: CertLogic.Limits
    private(set) var findings: [CertLogicValidationError] = []
    private var nodes = 0
    private var stopped = false

    /// Validation stops collecting after this many findings.
    static let maxFindings = 100

    init(limits: CertLogic.Limits) {
        self.limits = limits
    }

    mutating func validate(_ expression: JSONValue) {
        visit(expression, path: JSONPath.root, depth: 1)
    }

    private mutating func visit(_ expression: JSONValue, path: String, depth: Int) {
        guard !stopped, countNodes(1, at: path) else { return }
        switch expression {
        case .bool, .integer, .string:
            return
        case .number(let value):
            // CertLogic 1.3.3 "Literal values": integers only.
            if expression.integerValue == nil {
                let what = value.rounded() == value ? "out of the 64-bit range" : "not an integer"
                report(.malformedExpression, at: path, "number literal \(expression.jsonString) is \(what)")
            }
        case .null:
            // CertLogic 1.3.3 "Literal values": "Literal for … null … not allowed."
            report(.malformedExpression, at: path, "null is not allowed as a literal")
        case .array(let elements):
            guard checkDepth(depth, at: path), hasRoom(for: elements.count, at: path) else { return }
            guard elements.count <= limits.maxArrayLength else {
                report(.arrayTooLong, at: path, "array literal of \(elements.count) elements exceeds the limit of \(limits.maxArrayLength)")
                stopped = true
                return
            }
            for (index, element) in elements.enumerated() {
                visit(element, path: JSONPath.appending(path, index: index), depth: depth + 1)
            }
        case .object(let members):
            guard checkDepth(depth, at: path) else { return }
            visitOperation(members, path: path, depth: depth)
        }
    }

    private mutating func visitOperation(_ members: [String: JSONValue], path: String, depth: Int) {
        // CertLogic 1.3.3 "Introduction": `{ "<operation id>": [ operands… ] }`; literal
        // objects are not allowed ("Literal values").
        guard members.count == 1, let (key, operand) = members.first else {
            let keys = members.keys.sorted().prefix(5).map { JSONValue.string($0).jsonString }.joined(separator: ", ")
            let message = members.isEmpty
                ? "an empty object is neither an operation nor an allowed literal"
                : "an operation object has exactly one key, this one has \(members.count): \(keys)"
            report(.malformedExpression, at: path, message)
            return
        }
        guard let operation = CertLogicOperation(rawValue: key) else {
            report(.unknownOperation, at: path, "\(JSONValue.string(key).jsonString) is not a CertLogic operation")
            return
        }
        let operandPath = JSONPath.appending(path, key: key)
        guard countNodes(1, at: operandPath) else { return }
        if operation == .var {
            // "Data access": `{ "var": "<path>" }`; the schema allows a string only.
            if operand.stringValue == nil {
                report(.invalidOperand, at: operandPath, "var takes a string path, not \(describe(operand))")
            }
            return
        }
        guard case .array(let operands) = operand else {
            report(.malformedExpression, at: operandPath, "the operands of \(key) must be an array, not \(describe(operand))")
            return
        }
        guard hasRoom(for: operands.count, at: operandPath) else { return }
        if !operation.arity.contains(operands.count) {
            report(.wrongArity, at: path, "\(key) takes \(operation.arityText), not \(operands.count)")
        }
        checkOperands(operation, operands, path: operandPath)
        for (index, element) in operands.enumerated() {
            visit(element, path: JSONPath.appending(operandPath, index: index), depth: depth + 1)
        }
    }

    /// Operand kinds that are wrong whatever the data ("Type mismatches can only be detected
    /// after evaluation of operands" — except these).
    private mutating func checkOperands(_ operation: CertLogicOperation, _ operands: [JSONValue], path: String) {
        let name = operation.rawValue
        func at(_ index: Int) -> String { JSONPath.appending(path, index: index) }
        switch operation {
        case .in where operands.count == 2:
            if let kind = literalKind(operands[1]), kind != "array" {
                report(.invalidOperand, at: at(1), "the right operand of in must be an array, not a \(kind) literal")
            }
        case .plus, .less, .greater, .lessOrEqual, .greaterOrEqual:
            for (index, operand) in operands.enumerated() {
                if let kind = literalKind(operand), kind != "integer" {
                    report(.invalidOperand, at: at(index), "the operands of \(name) must be integers, not a \(kind) literal")
                }
            }
        case .after, .before, .notAfter, .notBefore:
            for (index, operand) in operands.enumerated() where !mayYieldDateTime(operand) {
                report(.invalidOperand, at: at(index), "the operands of \(name) must be date-times (from plusTime or dccDateOfBirth), not \(describe(operand))")
            }
        case .plusTime where operands.count == 3:
            checkDateString(operands[0], of: name, at: at(0), parse: CertLogicDateTime.parse)
            if operands[1].integerValue == nil {
                report(.invalidOperand, at: at(1), "the amount of plusTime must be an integer literal, not \(describe(operands[1]))")
            }
            if operands[2].stringValue.flatMap(CertLogicDateTime.Unit.init(rawValue:)) == nil {
                let units = CertLogicDateTime.Unit.allCases.map(\.rawValue).joined(separator: ", ")
                report(.invalidOperand, at: at(2), "the unit of plusTime must be one of \(units), not \(describe(operands[2]))")
            }
        case .dccDateOfBirth where operands.count == 1:
            checkDateString(operands[0], of: name, at: at(0), parse: CertLogicDateTime.parseDateOfBirth)
        case .reduce where operands.count == 3:
            if let kind = literalKind(operands[0]), kind != "array" {
                report(.invalidOperand, at: at(0), "the operand of reduce must be an array, not a \(kind) literal")
            }
        case .extractFromUVCI where operands.count == 2:
            if let kind = literalKind(operands[0]), kind != "string" {
                report(.invalidOperand, at: at(0), "the operand of extractFromUVCI must be a string, not a \(kind) literal")
            }
            if operands[1].integerValue == nil {
                report(.invalidOperand, at: at(1), "the index of extractFromUVCI must be an integer literal, not \(describe(operands[1]))")
            }
        default:
            break
        }
    }

    /// The date operand of `plusTime` / `dccDateOfBirth`: a string (literal or computed), never a
    /// date-time ("plusTime does not permit anything other than a string").
    private mutating func checkDateString(
        _ operand: JSONValue, of name: String, at path: String, parse: (String) -> CertLogicDateTime?
    ) {
        if let text = operand.stringValue {
            if parse(text) == nil {
                report(.invalidDateTime, at: path, "\(operand.jsonString) is not a date(-time) in a format \(name) accepts")
            }
        } else if let kind = literalKind(operand) {
            report(.invalidOperand, at: path, "the operand of \(name) must be a string, not a \(kind) literal")
        } else if let operation = operationOf(operand), operation == .plusTime || operation == .dccDateOfBirth {
            report(.invalidOperand, at: path, "the operand of \(name) must be a string, not a date-time from \(operation.rawValue)")
        }
    }

    /// An operand of `after` & co.: an operation that can yield a date-time (or a fault that
    /// `visit` reports anyway).
    private func mayYieldDateTime(_ operand: JSONValue) -> Bool {
        if case .object = operand {
            return operationOf(operand).map(\.canYieldDateTime) ?? true
        }
        return literalKind(operand) == nil
    }

    /// The kind of an allowed literal (`nil` for an operation, and for `null` or a fractional
    /// number, which `visit` reports itself).
    private func literalKind(_ value: JSONValue) -> String? {
        switch value {
        case .bool: "boolean"
        case .integer: "integer"
        case .number: value.integerValue == nil ? nil : "integer"
        case .string: "string"
        case .array: "array"
        case .null, .object: nil
        }
    }

    private func operationOf(_ value: JSONValue) -> CertLogicOperation? {
        guard case .object(let members) = value, members.count == 1, let key = members.keys.first else { return nil }
        return CertLogicOperation(rawValue: key)
    }

    /// A short description of a JSON value for messages: scalars in full, containers by kind.
    private func describe(_ value: JSONValue) -> String {
        switch value {
        case .array: "an array"
        case .object: operationOf(value).map { "a \($0.rawValue) operation" } ?? "an object"
        case .string(let text) where text.utf8.count > 40: "a long string"
        default: value.jsonString
        }
    }

    private mutating func checkDepth(_ depth: Int, at path: String) -> Bool {
        guard depth <= limits.maxDepth else {
            report(.tooDeep, at: path, "rule nested deeper than the limit of \(limits.maxDepth)")
            stopped = true
            return false
        }
        return true
    }

    /// Counts one node.
    private mutating func countNodes(_ count: Int, at path: String) -> Bool {
        guard hasRoom(for: count, at: path) else { return false }
        nodes += count
        return true
    }

    /// Checks, before visiting a container's elements, that they would fit under the node limit.
    private mutating func hasRoom(for count: Int, at path: String) -> Bool {
        guard count <= limits.maxNodes - nodes else {
            report(.tooManyNodes, at: path, "rule has more than the limit of \(limits.maxNodes) nodes")
            stopped = true
            return false
        }
        return true
    }

    private mutating func report(_ code: CertLogicError.Code, at path: String, _ message: String) {
        guard findings.count < Self.maxFindings else {
            stopped = true
            return
        }
        findings.append(CertLogicValidationError(code, path: path, message: message))
    }
}
