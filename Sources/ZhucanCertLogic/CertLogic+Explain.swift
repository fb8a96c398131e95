extension CertLogic {
    /// The clause that made a rule fail, to tell a holder which eligibility condition excluded
    /// them.
    ///
    /// For a rule `{ "and": [c0, c1, …] }` that evaluates falsy, this is the first operand that
    /// evaluates falsy (the one `and` returns), and if that operand is itself an `and`, the
    /// first falsy operand inside it, and so on. A falsy rule that is not an `and` is its own
    /// failing clause, at `$`.
    /// - Returns: the JSONPath of the clause (`$.and[2]`) and the clause itself; `nil` when the
    ///   rule is truthy, is invalid, or fails to evaluate (``evaluate(_:data:limits:)`` then
    ///   says why).
    package static func firstFailingClause(
        of expression: JSONValue,
        data: JSONValue,
        limits: Limits = .default
    ) -> (path: String, clause: JSONValue)? {
        guard validate(expression, limits: limits).isEmpty else { return nil }
        let context = CertLogicValue.json(data)
        var whole = CertLogicEvaluator(limits: limits)
        guard let result = try? whole.evaluateRoot(expression, data: context), result.truth == .falsy else {
            return nil
        }
        var evaluator = CertLogicEvaluator(limits: limits)
        var path = JSONPath.root
        var clause = expression
        while case .object(let members) = clause, members.count == 1, case .array(let operands)? = members["and"] {
            var falsy: Int?
            for (index, operand) in operands.enumerated() {
                guard let value = try? evaluator.evaluateRoot(operand, data: context) else { return nil }
                if value.truth == .falsy {
                    falsy = index
                    break
                }
            }
            guard let index = falsy else { return nil }
            path = JSONPath.appending(JSONPath.appending(path, key: "and"), index: index)
            clause = operands[index]
        }
        return (path, clause)
    }
}
