extension CertLogic {
    /// Checks a rule without evaluating it: every operation is a CertLogic operation with the
    /// right number of operands, operands are of a possible kind where that is visible without
    /// data, and the rule stays within the size and depth limits.
    ///
    /// Follows the CertLogic expression schema (`CertLogic-expression.json`) and adds what the
    /// schema cannot say (the spec's "Literal values", date-time operands, the limits).
    /// - Returns: the faults found, in document order, each with its JSONPath; empty when the
    ///   rule is valid. Stops after 100 faults, or at the first limit exceeded.
    package static func validate(_ expression: JSONValue, limits: Limits = .default) -> [CertLogicValidationError] {
        var validator = CertLogicValidator(limits: limits)
        validator.validate(expression)
        return validator.findings
    }
}
