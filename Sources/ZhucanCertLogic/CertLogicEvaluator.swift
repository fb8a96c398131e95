/// Evaluates a validated rule (CertLogic 1.3.3 "Operations"), counting steps against the budget.
///
/// Recursion follows the rule's nesting, which validation bounds; `reduce` iterates, it does
/// not recurse. Paths are built only when something fails, as the failure unwinds.
struct CertLogicEvaluator {
    let limits: CertLogic.Limits
    private(set) var steps = 0

    init(limits: CertLogic.Limits) {
        self.limits = limits
    }

    /// A failure on its way up, collecting its path (innermost component first).
    struct Failure: Error {
        enum Component {
            case key(String)
            case index(Int)
        }

        var code: CertLogicError.Code
        var message: String
        var reversedPath: [Component] = []
        var file: String
        var line: UInt

        init(_ code: CertLogicError.Code, _ message: String, file: String = #fileID, line: UInt = #line) {
            self.code = code
            self.message = message
            self.file = file
            self.line = line
        }

        /// The same failure, one level up: inside operand `index` of operation `key` (or inside
        /// element `index` of an array literal when `key` is nil).
        func within(_ key: String?, _ index: Int) -> Failure {
            var copy = self
            copy.reversedPath.append(.index(index))
            if let key { copy.reversedPath.append(.key(key)) }
            return copy
        }

        var error: CertLogicError {
            var path = JSONPath.root
            for component in reversedPath.reversed() {
                switch component {
                case .key(let key): path = JSONPath.appending(path, key: key)
                case .index(let index): path = JSONPath.appending(path, index: index)
                }
            }
            return CertLogicError(code, message, path: path, file: file, line: line)
        }
    }

    /// Evaluates a whole (validated) rule.
    mutating func evaluateRoot(_ expression: JSONValue, data: CertLogicValue) throws(CertLogicError) -> CertLogicValue {
        do {
            return try evaluate(expression, data: data, depth: 1)
        } catch {
            throw error.error
        }
    }

    private mutating func charge(_ count: Int) throws(Failure) {
        guard count <= limits.maxSteps - steps else {
            throw Failure(.budgetExhausted, "evaluation exceeded the budget of \(limits.maxSteps) steps")
        }
        steps += count
    }

    private mutating func evaluate(_ expression: JSONValue, data: CertLogicValue, depth: Int) throws(Failure) -> CertLogicValue {
        try charge(1)
        // Validation bounds the depth already; this keeps the evaluator safe on its own.
        guard depth <= limits.maxDepth || expression.isScalar else {
            throw Failure(.tooDeep, "rule nested deeper than the limit of \(limits.maxDepth)")
        }
        switch expression {
        case .bool, .integer, .string:
            // "If a JSON object (not an array) is a literal … it evaluates to itself."
            return .json(expression)
        case .number:
            guard expression.integerValue != nil else {
                throw Failure(.malformedExpression, "number literal \(expression.jsonString) is not an integer")
            }
            return .json(expression)
        case .null:
            throw Failure(.malformedExpression, "null is not allowed as a literal")
        case .array(let elements):
            // "A JSON array evaluates to an array with every item evaluated separately."
            if elements.allSatisfy({ $0.isScalar }) {
                try charge(elements.count)
                return .json(expression)
            }
            var values: [CertLogicValue] = []
            values.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() {
                do {
                    values.append(try evaluate(element, data: data, depth: depth + 1))
                } catch {
                    throw error.within(nil, index)
                }
            }
            return try makeList(values)
        case .object(let members):
            guard members.count == 1, let (key, operand) = members.first,
                let operation = CertLogicOperation(rawValue: key)
            else {
                throw Failure(.malformedExpression, "not a CertLogic operation")
            }
            if operation == .var {
                return try evaluateVar(operand, data: data)
            }
            guard case .array(let operands) = operand, operation.arity.contains(operands.count) else {
                throw Failure(.wrongArity, "\(key) takes \(operation.arityText)")
            }
            return try evaluate(operation, operands, data: data, depth: depth)
        }
    }

    private mutating func evaluate(
        _ operation: CertLogicOperation, _ operands: [JSONValue], data: CertLogicValue, depth: Int
    ) throws(Failure) -> CertLogicValue {
        let key = operation.rawValue
        /// Evaluates operand `index`, placing any failure inside it.
        func operand(_ index: Int, data context: CertLogicValue? = nil) throws(Failure) -> CertLogicValue {
            do {
                return try evaluate(operands[index], data: context ?? data, depth: depth + 1)
            } catch {
                throw error.within(key, index)
            }
        }
        /// A failure located at operand `index`.
        func mismatch(_ index: Int, _ message: String, _ code: CertLogicError.Code = .typeMismatch) -> Failure {
            Failure(code, message).within(key, index)
        }

        switch operation {
        case .var:
            return try evaluateVar(.array(operands), data: data)

        case .if:
            // "If the <guard> evaluates to a truthy value, then the <then> expression is evaluated
            // (and not before), otherwise the <else> expression."
            let guardValue = try operand(0)
            switch guardValue.truth {
            case .truthy: return try operand(1)
            case .falsy: return try operand(2)
            case .neither:
                throw mismatch(0, "the guard of if is a \(guardValue.kindName), neither truthy nor falsy", .notTruthyOrFalsy)
            }

        case .and:
            // "returns the first of its operand that evaluates to a falsy value, or the
            // evaluation of the last value", lazily and in order.
            var value = CertLogicValue.null
            for index in operands.indices {
                value = try operand(index)
                switch value.truth {
                case .falsy: return value
                case .truthy: continue
                case .neither:
                    throw mismatch(index, "operand of and is a \(value.kindName), neither truthy nor falsy", .notTruthyOrFalsy)
                }
            }
            return value

        case .not:
            let value = try operand(0)
            switch value.truth {
            case .truthy: return .json(.bool(false))
            case .falsy: return .json(.bool(true))
            case .neither:
                throw mismatch(0, "operand of ! is a \(value.kindName), neither truthy nor falsy", .notTruthyOrFalsy)
            }

        case .strictEquals:
            let lhs = try operand(0)
            let rhs = try operand(1)
            return .json(.bool(CertLogicValue.strictlyEqual(lhs, rhs)))

        case .in:
            // "operating on a non-array <operand 2> is considered an error."
            let needle = try operand(0)
            let haystack = try operand(1)
            switch haystack {
            case .json(.array(let elements)):
                try charge(elements.count)
                return .json(.bool(elements.contains { CertLogicValue.strictlyEqual(needle, .json($0)) }))
            case .list(let elements, _):
                try charge(elements.count)
                return .json(.bool(elements.contains { CertLogicValue.strictlyEqual(needle, $0) }))
            default:
                throw mismatch(1, "the right operand of in must be an array, not a \(haystack.kindName)")
            }

        case .plus:
            let lhs = try operand(0)
            let rhs = try operand(1)
            guard let l = lhs.integerValue else { throw mismatch(0, "operand of + must be an integer, not a \(lhs.kindName)") }
            guard let r = rhs.integerValue else { throw mismatch(1, "operand of + must be an integer, not a \(rhs.kindName)") }
            let (sum, overflow) = l.addingReportingOverflow(r)
            guard !overflow else { throw Failure(.outOfRange, "\(l) + \(r) overflows a 64-bit integer") }
            return .json(.integer(sum))

        case .less, .greater, .lessOrEqual, .greaterOrEqual:
            // "It's an error if not all operands are of integer type."
            var values: [Int64] = []
            for index in operands.indices {
                let value = try operand(index)
                guard let integer = value.integerValue else {
                    throw mismatch(index, "operand of \(key) must be an integer, not a \(value.kindName)")
                }
                values.append(integer)
            }
            return .json(.bool(Self.holds(operation, values)))

        case .after, .before, .notAfter, .notBefore:
            // "All operands … must be date-times."
            var values: [Int64] = []
            for index in operands.indices {
                let value = try operand(index)
                guard case .dateTime(let dateTime) = value else {
                    throw mismatch(index, "operand of \(key) must be a date-time, not a \(value.kindName)")
                }
                values.append(dateTime.milliseconds)
            }
            return .json(.bool(Self.holds(operation, values)))

        case .plusTime:
            let value = try operand(0)
            guard let text = value.stringValue else {
                throw mismatch(0, "plusTime takes a date(-time) string, not a \(value.kindName)")
            }
            guard let dateTime = CertLogicDateTime.parse(text) else {
                throw mismatch(0, "\(JSONValue.string(text).jsonString) is not a date(-time) in a format plusTime accepts", .invalidDateTime)
            }
            guard let amount = operands[1].integerValue,
                let unit = operands[2].stringValue.flatMap(CertLogicDateTime.Unit.init(rawValue:))
            else {
                throw Failure(.invalidOperand, "plusTime needs an integer amount and a time unit")
            }
            guard let result = dateTime.adding(amount, unit) else {
                throw Failure(.outOfRange, "\(text) plus \(amount) \(unit.rawValue)(s) is outside the date-time range")
            }
            return .dateTime(result)

        case .dccDateOfBirth:
            let value = try operand(0)
            guard let text = value.stringValue else {
                throw mismatch(0, "dccDateOfBirth takes a string, not a \(value.kindName)")
            }
            guard let dateTime = CertLogicDateTime.parseDateOfBirth(text) else {
                throw mismatch(0, "\(JSONValue.string(text).jsonString) is not a YYYY, YYYY-MM or YYYY-MM-DD date", .invalidDateTime)
            }
            return .dateTime(dateTime)

        case .reduce:
            // A left fold with data context `{ "current", "accumulator" }`; "the reduce of an
            // empty-array <operand> evaluates to <initial>" (and, as in certlogic-js, so does null).
            let collection = try operand(0)
            if case .json(.null) = collection {
                return try operand(2)
            }
            guard let count = collection.elementCount else {
                throw mismatch(0, "the operand of reduce must be an array, not a \(collection.kindName)")
            }
            var accumulator = try operand(2)
            for position in 0..<count {
                try charge(1)
                let current: CertLogicValue
                switch collection {
                case .json(.array(let elements)): current = .json(elements[position])
                case .list(let elements, _): current = elements[position]
                default: current = .null
                }
                let context = try makeRecord(["current": current, "accumulator": accumulator])
                accumulator = try operand(1, data: context)
            }
            return accumulator

        case .extractFromUVCI:
            let value = try operand(0)
            if case .json(.null) = value { return .null }
            guard let text = value.stringValue else {
                throw mismatch(0, "extractFromUVCI takes a string or null, not a \(value.kindName)")
            }
            guard let index = operands[1].integerValue else {
                throw Failure(.invalidOperand, "extractFromUVCI needs an integer index")
            }
            try charge(1)
            return Self.extractFromUVCI(text, index).map { .json(.string($0)) } ?? .null
        }
    }

    /// `{ "var": "<path>" }` (CertLogic 1.3.3 "Data access"): `""` is the whole context, other
    /// paths drill down fragment by fragment, and anything missing is `null`.
    private mutating func evaluateVar(_ operand: JSONValue, data: CertLogicValue) throws(Failure) -> CertLogicValue {
        guard let path = operand.stringValue else {
            throw Failure(.invalidOperand, "var takes a string path")
        }
        if path.isEmpty { return data }
        // Charged before splitting: the fragments of a path of millions of dots would take
        // memory before the budget refused them.
        try charge(path.utf8.reduce(1) { $1 == UInt8(ascii: ".") ? $0 + 1 : $0 })
        let fragments = path.split(separator: ".", omittingEmptySubsequences: false)
        var value = data
        for fragment in fragments {
            if case .json(.null) = value { return .null }
            value = value.member(fragment)
        }
        return value
    }

    /// The infix comparison, or its ternary "between" form: `(a op b) and (b op c)`.
    private static func holds(_ operation: CertLogicOperation, _ values: [Int64]) -> Bool {
        func compare(_ l: Int64, _ r: Int64) -> Bool {
            switch operation {
            case .less, .before: l < r
            case .greater, .after: l > r
            case .lessOrEqual, .notAfter: l <= r
            case .greaterOrEqual, .notBefore: l >= r
            default: false
            }
        }
        return zip(values, values.dropFirst()).allSatisfy { compare($0, $1) }
    }

    /// CertLogic 1.3.3 `extractFromUVCI`: drop an optional `URN:UVCI:` prefix, split on `/`, `#`
    /// and `:`, and return fragment `index`, or `null` when there is none.
    static func extractFromUVCI(_ text: String, _ index: Int64) -> String? {
        guard index >= 0 else { return nil }
        // Work on scalars, not characters: a separator followed by a combining mark is still a
        // separator (JavaScript splits on code units).
        let scalars = text.unicodeScalars
        let prefix = "URN:UVCI:".unicodeScalars
        let body = scalars.starts(with: prefix) ? scalars.dropFirst(prefix.count) : scalars[...]
        let fragments = body.split(omittingEmptySubsequences: false) { "/#:".unicodeScalars.contains($0) }
        guard index < fragments.count else { return nil }
        return String(Substring(fragments[Int(index)]))
    }

    private mutating func makeList(_ values: [CertLogicValue]) throws(Failure) -> CertLogicValue {
        .list(values, try extent(of: values))
    }

    private mutating func makeRecord(_ values: [String: CertLogicValue]) throws(Failure) -> CertLogicValue {
        .record(values, try extent(of: values.values))
    }

    /// The extent of a container built of `values`, within the limits. Sizing a JSON value
    /// visits it, so that is charged.
    private mutating func extent(of values: some Collection<CertLogicValue>) throws(Failure) -> CertLogicValue.Extent {
        var depth = 0, size = 1
        for value in values {
            depth = max(depth, value.builtDepth)
            let valueSize = value.size
            if case .json = value { try charge(valueSize) }
            // Sizes never exceed the limit, so the sum cannot overflow.
            size += valueSize
            guard size <= limits.maxBuiltSize else {
                throw Failure(.budgetExhausted, "a value built during evaluation holds more than the limit of \(limits.maxBuiltSize) values")
            }
        }
        guard depth + 1 <= limits.maxBuiltDepth else {
            throw Failure(.tooDeep, "a value built during evaluation nests deeper than the limit of \(limits.maxBuiltDepth)")
        }
        return CertLogicValue.Extent(depth: depth + 1, size: size)
    }
}

extension JSONValue {
    /// How many values this is, itself and every element and member at every level.
    var size: Int {
        switch self {
        case .array(let elements): elements.reduce(1) { $0 + $1.size }
        case .object(let members): members.values.reduce(1) { $0 + $1.size }
        default: 1
        }
    }

    /// Whether this is not an array or object.
    var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }
}
