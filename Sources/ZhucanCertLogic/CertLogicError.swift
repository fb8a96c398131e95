/// An error from CertLogic: text that is not JSON, a rule that is not valid CertLogic, a rule
/// that exceeds a limit, or a valid rule that fails on this data (a type mismatch the spec
/// leaves to evaluation time, CertLogic 1.3.3 "Introduction").
///
/// When the fault is inside a rule or a JSON document, ``path`` names it (`$.and[1].if[0]`)
/// and the ``reason`` starts with it. Equality and hashing use the code only.
package struct CertLogicError: Error, Hashable, CustomStringConvertible, Sendable {
    /// What kind of failure this is; extensible, compare against the static members.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { name }

        /// The text is not JSON (RFC 8259), or breaks a parsing limit (size, depth, duplicate key).
        package static let invalidJSON = Code("invalidJSON")
        /// An object whose single key is not a CertLogic operation (e.g. `==`, `or`, `loop`).
        package static let unknownOperation = Code("unknownOperation")
        /// A known operation with the wrong number of operands.
        package static let wrongArity = Code("wrongArity")
        /// A rule that is not of the form the spec requires: an object with zero or several keys,
        /// operands not in an array, a `null`, object or non-integer number literal.
        package static let malformedExpression = Code("malformedExpression")
        /// An operand whose kind is wrong and can be seen without data (a `var` path that is not a
        /// string, an unknown `plusTime` unit, a literal string where a date-time is needed).
        package static let invalidOperand = Code("invalidOperand")
        /// An operand evaluated to a value of the wrong type for its operation.
        package static let typeMismatch = Code("typeMismatch")
        /// A value that must be truthy or falsy is neither (CertLogic 1.3.3 "Truthy and falsy").
        package static let notTruthyOrFalsy = Code("notTruthyOrFalsy")
        /// A date(-time) string not in one of the formats of CertLogic 1.3.3 `plusTime`.
        package static let invalidDateTime = Code("invalidDateTime")
        /// Integer arithmetic or a date-time left its range.
        package static let outOfRange = Code("outOfRange")
        /// A rule nested deeper than the limit (or a value built deeper than the limit).
        package static let tooDeep = Code("tooDeep")
        /// A rule with more nodes than the limit.
        package static let tooManyNodes = Code("tooManyNodes")
        /// An array literal longer than the limit.
        package static let arrayTooLong = Code("arrayTooLong")
        /// Evaluation used up its step budget.
        package static let budgetExhausted = Code("budgetExhausted")
        /// A test-suite file that does not have the shape of the CertLogic test-suite schema.
        package static let invalidTestSuite = Code("invalidTestSuite")
    }

    /// The kind of failure.
    package let code: Code
    /// A one-line human explanation, starting with the path when there is one.
    package let reason: String
    /// Where in the rule (or JSON document) the fault is, as a JSONPath (`$.and[1].if[0]`).
    package let path: String?
    /// Where the error was made.
    package let file: String
    /// Where the error was made.
    package let line: UInt

    /// Makes an error; a non-nil `path` is prefixed to the reason.
    package init(_ code: Code, _ reason: String, path: String? = nil, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = path.map { "at \(Self.abbreviated($0)): \(reason)" } ?? reason
        self.path = path
        self.file = file
        self.line = line
    }

    package var description: String { "CertLogicError.\(code): \(reason)" }

    /// A path short enough for a one-line reason (a hostile rule's path can be thousands of
    /// characters; ``path`` keeps it whole).
    private static func abbreviated(_ path: String) -> String {
        guard path.count > 160 else { return path }
        return "\(path.prefix(60))…\(path.suffix(80))"
    }

    package static func == (lhs: CertLogicError, rhs: CertLogicError) -> Bool { lhs.code == rhs.code }
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
