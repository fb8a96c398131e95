/// CertLogic 1.3.3: the restricted JsonLogic of the EU DCC business rules, used here for the
/// eligibility rules of the service catalogue.
///
/// Rules are data, never code: a rule cannot loop (only `reduce` iterates, over data the
/// caller bounds), cannot allocate without bound (`+` adds integers only; there is no string
/// or array building besides array literals), and reads nothing but its data. On top of that,
/// ``validate(_:limits:)`` bounds a rule's size and depth, and evaluation runs on a step
/// budget, so hostile rules end with a ``CertLogicError`` rather than a crash or a hang.
///
/// Choices where the specification is open:
/// - Numbers are integers (`Int64`, exact); a non-integer number in the data is neither
///   truthy nor falsy and is rejected by comparisons and `+`. `+` fails on overflow.
/// - `var` takes a string path only (as the expression schema says); `{ "var": 0 }` is invalid.
/// - `===` and `in` compare arrays and objects by content, date-times by instant.
/// - `and` requires every evaluated operand, the last one included, to be truthy or falsy.
/// - `reduce` over `null` gives its initial value (as certlogic-js does); over anything else
///   that is not an array it fails. Its lambda sees only `current` and `accumulator`.
/// - A date-time result is returned as its `toISOString` text (`2021-03-01T00:00:00.000Z`).
package enum CertLogic {
    /// The version of the CertLogic specification implemented.
    package static let specificationVersion = "1.3.3"

    /// Hard limits on rules and on their evaluation.
    package struct Limits: Hashable, Sendable {
        /// The deepest nesting of operations and array literals (`{"!":[{"!":[true]}]}` has 2).
        package var maxDepth: Int
        /// The most JSON values a rule may contain, counting every literal, operation and operand array.
        package var maxNodes: Int
        /// The longest array literal.
        package var maxArrayLength: Int
        /// The most evaluation steps (one per evaluated operation or literal, one per element
        /// that `reduce` or `in` visits) before evaluation gives up.
        package var maxSteps: Int
        /// The deepest nesting of arrays and objects built during evaluation.
        package var maxBuiltDepth: Int
        /// The most values an array or object built during evaluation may hold, counting what
        /// it holds at every level: a bound on what comparing or returning it visits.
        package var maxBuiltSize: Int

        /// Makes limits; the defaults are far above what an eligibility rule needs.
        package init(
            maxDepth: Int = 64,
            maxNodes: Int = 10_000,
            maxArrayLength: Int = 1_024,
            maxSteps: Int = 1_000_000,
            maxBuiltDepth: Int = 64,
            maxBuiltSize: Int = 100_000
        ) {
            self.maxDepth = maxDepth
            self.maxNodes = maxNodes
            self.maxArrayLength = maxArrayLength
            self.maxSteps = maxSteps
            self.maxBuiltDepth = maxBuiltDepth
            self.maxBuiltSize = maxBuiltSize
        }

        /// Depth 64, 10,000 nodes, arrays of 1,024, 1,000,000 steps; built values nested 64
        /// deep and of 100,000 values.
        package static let `default` = Limits()
    }

    /// Evaluates a rule against data (CertLogic 1.3.3): the rule is validated first, in full,
    /// then evaluated.
    /// - Parameters:
    ///   - expression: the CertLogic expression.
    ///   - data: the data context that `var` reads.
    ///   - limits: size, depth and step limits.
    /// - Returns: the value of the rule; for an eligibility rule, test it with ``isTruthy(_:)``.
    /// - Throws: ``CertLogicError`` for an invalid rule, a limit, or a type mismatch in the
    ///   data; the error's path names the sub-expression. Treat an error as "not eligible".
    package static func evaluate(
        _ expression: JSONValue,
        data: JSONValue,
        limits: Limits = .default
    ) throws(CertLogicError) -> JSONValue {
        if let finding = validate(expression, limits: limits).first {
            throw finding.error
        }
        var evaluator = CertLogicEvaluator(limits: limits)
        return try evaluator.evaluateRoot(expression, data: .json(data)).jsonValue
    }

    /// Whether a result is truthy (CertLogic 1.3.3 "Truthy and falsy values"); a result that is
    /// neither (a non-integer number) is not.
    package static func isTruthy(_ value: JSONValue) -> Bool {
        CertLogicValue.json(value).truth == .truthy
    }

    /// Whether a result is falsy: `false`, `null`, `""`, `0`, `[]` or `{}`.
    package static func isFalsy(_ value: JSONValue) -> Bool {
        CertLogicValue.json(value).truth == .falsy
    }
}
