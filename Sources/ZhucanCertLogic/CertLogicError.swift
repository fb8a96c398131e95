/// An error from CertLogic: text that is not JSON, a rule that is not valid CertLogic, a rule
/// that exceeds a limit, or a valid rule that fails on this data (a type mismatch the spec
/// leaves to evaluation time, CertLogic 1.3.3 "Introduction").
///
/// When the fault is inside a rule or a JSON document, ``path`` names it (`$.and[1].if[0]`)
/// and the ``reason`` starts with it. Equality and hashing use the code only.
public struct CertLogicError: Error, Hashable, CustomStringConvertible, Sendable {
    /// What kind of failure this is; extensible, compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The text is not JSON (RFC 8259), or breaks a parsing limit (size, depth, duplicate key).
        public static let invalidJSON = Code("invalidJSON")
        /// An object whose single key is not a CertLogic operation (e.g. `==`, `or`, `loop`).
        public static let unknownOperation = Code("unknownOperation")
        /// A known operation with the wrong number of operands.
        public static let wrongArity = Code("wrongArity")
        /// A rule that is not of the form the spec requires: an object with zero or several keys,
        /// operands not in an array, a `null`, object or non-integer number literal.
        public static let malformedExpression = Code("malformedExpression")
        /// An operand whose kind is wrong and can be seen without data (a `var` path that is not a
        /// string, an unknown `plusTime` unit, a literal string where a date-time is needed).
        public static let invalidOperand = Code("invalidOperand")
        /// An operand evaluated to a value of the wrong type for its operation.
        public static let typeMismatch = Code("typeMismatch")
        /// A value that must be truthy or falsy is neither (CertLogic 1.3.3 "Truthy and falsy").
        public static let notTruthyOrFalsy = Code("notTruthyOrFalsy")
        /// A date(-time) string not in one of the formats of CertLogic 1.3.3 `plusTime`.
        public static let invalidDateTime = Code("invalidDateTime")
        /// Integer arithmetic or a date-time left its range.
        public static let outOfRange = Code("outOfRange")
        /// A rule nested deeper than the limit (or a value built deeper than the limit).
        public static let tooDeep = Code("tooDeep")
        /// A rule with more nodes than the limit.
        public static let tooManyNodes = Code("tooManyNodes")
        /// An array literal longer than the limit.
        public static let arrayTooLong = Code("arrayTooLong")
        /// Evaluation used up its step budget.
        public static let budgetExhausted = Code("budgetExhausted")
        /// A test-suite file that does not have the shape of the CertLogic test-suite schema.
        public static let invalidTestSuite = Code("invalidTestSuite")
    }

    /// The kind of failure.
    public let code: Code
    /// A one-line human explanation, starting with the path when there is one.
    public let reason: String
    /// Where in the rule (or JSON document) the fault is, as a JSONPath (`$.and[1].if[0]`).
    public let path: String?
    /// Where the error was made.
    public let file: String
    /// Where the error was made.
    public let line: UInt

    /// Makes an error; a non-nil `path` is prefixed to the reason.
    public init(_ code: Code, _ reason: String, path: String? = nil, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = path.map { "at \(Self.abbreviated($0)): \(reason)" } ?? reason
        self.path = path
        self.file = file
        self.line = line
    }

    public var description: String { "CertLogicError.\(code): \(reason)" }

    /// A path short enough for a one-line reason (a hostile rule's path can be thousands of
    /// characters; ``path`` keeps it whole).
    private static func abbreviated(_ path: String) -> String {
        guard path.count > 160 else { return path }
        return "\(path.prefix(60))…\(path.suffix(80))"
    }

    public static func == (lhs: CertLogicError, rhs: CertLogicError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
