extension CertLogicTestSuite {
    /// Runs every assertion of the suite.
    /// - Parameters:
    ///   - limits: the limits for each evaluation.
    ///   - skippingNonCertLogicOperations: report an assertion whose expression uses an
    ///     operation CertLogic does not have (a plain JsonLogic suite's `==`, `or`, …) as
    ///     skipped rather than as an error.
    package func run(limits: CertLogic.Limits = .default, skippingNonCertLogicOperations: Bool = false) -> CertLogicTestReport {
        let results = cases.indices.flatMap {
            runCase(at: $0, limits: limits, skippingNonCertLogicOperations: skippingNonCertLogicOperations)
        }
        return CertLogicTestReport(suiteName: name, results: results)
    }

    /// Runs the assertions of one case (directives still apply as in a whole run).
    /// - Returns: one result per assertion; empty when `index` is out of range.
    package func runCase(
        at index: Int, limits: CertLogic.Limits = .default, skippingNonCertLogicOperations: Bool = false
    ) -> [CertLogicTestReport.Result] {
        guard cases.indices.contains(index) else { return [] }
        let testCase = cases[index]
        // Mocha semantics, as the reference runners use: anything marked `only` means that
        // everything not so marked is skipped.
        let hasOnly = directive == .only
            || cases.contains { $0.directive == .only || $0.assertions.contains { $0.directive == .only } }
        return testCase.assertions.enumerated().map { assertionIndex, assertion in
            func result(_ outcome: CertLogicTestReport.Outcome) -> CertLogicTestReport.Result {
                CertLogicTestReport.Result(
                    caseName: testCase.name, caseIndex: index, assertionIndex: assertionIndex,
                    message: assertion.message, outcome: outcome
                )
            }
            if directive == .skip { return result(.skipped(reason: "suite has directive \"skip\"")) }
            if testCase.directive == .skip { return result(.skipped(reason: "case has directive \"skip\"")) }
            if assertion.directive == .skip { return result(.skipped(reason: "assertion has directive \"skip\"")) }
            if hasOnly, directive != .only, testCase.directive != .only, assertion.directive != .only {
                return result(.skipped(reason: "not marked \"only\" while something else is"))
            }
            guard let expression = assertion.certLogicExpression ?? testCase.certLogicExpression else {
                return result(.error(CertLogicError(.invalidTestSuite, "neither the assertion nor its case has a certLogicExpression")))
            }
            if skippingNonCertLogicOperations,
                let unknown = CertLogic.validate(expression, limits: limits).first(where: { $0.code == .unknownOperation })
            {
                return result(.skipped(reason: "not CertLogic (skipped by design): \(unknown)"))
            }
            do throws(CertLogicError) {
                let actual = try CertLogic.evaluate(expression, data: assertion.data, limits: limits)
                return result(actual == assertion.expected ? .passed : .failed(expected: assertion.expected, actual: actual))
            } catch {
                return result(.error(error))
            }
        }
    }
}
