/// The operations of CertLogic 1.3.3, exactly: anything else (JsonLogic's `==`, `or`, `map`,
/// `cat`, …) is an unknown operation.
enum CertLogicOperation: String, CaseIterable, Sendable {
    case `var` = "var"
    case `if` = "if"
    case strictEquals = "==="
    case and = "and"
    case less = "<"
    case greater = ">"
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
    case `in` = "in"
    case plus = "+"
    case not = "!"
    case after = "after"
    case before = "before"
    case notAfter = "not-after"
    case notBefore = "not-before"
    case plusTime = "plusTime"
    case reduce = "reduce"
    case extractFromUVCI = "extractFromUVCI"
    case dccDateOfBirth = "dccDateOfBirth"

    /// How many operands the operation takes (`var` takes a path, not an operand array).
    var arity: ClosedRange<Int> {
        switch self {
        case .var: 1...1
        case .if, .plusTime, .reduce: 3...3
        case .strictEquals, .in, .plus, .extractFromUVCI: 2...2
        // "The and operator can be used variadically: … any number of operands greater than 1."
        case .and: 2...Int.max
        // "…can be used in (the customary) infix form (n = 2), or in the ternary form (n = 3)."
        case .less, .greater, .lessOrEqual, .greaterOrEqual, .after, .before, .notAfter, .notBefore: 2...3
        case .not, .dccDateOfBirth: 1...1
        }
    }

    /// The arity in words, for messages.
    var arityText: String {
        switch arity.upperBound {
        case Int.max: "at least \(arity.lowerBound) operands"
        case arity.lowerBound: arity.lowerBound == 1 ? "exactly 1 operand" : "exactly \(arity.lowerBound) operands"
        default: "\(arity.lowerBound) or \(arity.upperBound) operands"
        }
    }

    /// Whether the result can be a date-time (the operands of `after` & co. must be).
    var canYieldDateTime: Bool {
        switch self {
        case .plusTime, .dccDateOfBirth, .var, .if, .reduce: true
        default: false
        }
    }
}
