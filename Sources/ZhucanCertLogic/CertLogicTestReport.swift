/// The outcome of running a ``CertLogicTestSuite``: one result per assertion, in file order.
///
/// `description` prints every result that did not pass, then the summary line
/// (`"and operation: 9 passed, 0 failed, 0 skipped"`), ready for a command-line tool.
package struct CertLogicTestReport: Hashable, Sendable, CustomStringConvertible {
    /// What happened to one assertion.
    package enum Outcome: Hashable, Sendable {
        /// The expression evaluated to the expected value.
        case passed
        /// The expression evaluated to something else.
        case failed(expected: JSONValue, actual: JSONValue)
        /// Evaluation threw.
        case error(CertLogicError)
        /// Not run: a `skip` directive, another item marked `only`, or an operation that is not
        /// CertLogic when the run skips those.
        case skipped(reason: String)
    }

    /// One assertion's result.
    package struct Result: Hashable, Sendable, CustomStringConvertible {
        /// The name of the case the assertion belongs to.
        package var caseName: String
        /// The case's position in the suite, from 0.
        package var caseIndex: Int
        /// The assertion's position in its case, from 0.
        package var assertionIndex: Int
        /// The assertion's message, if it has one.
        package var message: String?
        /// What happened.
        package var outcome: Outcome

        /// Makes a result.
        package init(caseName: String, caseIndex: Int, assertionIndex: Int, message: String?, outcome: Outcome) {
            self.caseName = caseName
            self.caseIndex = caseIndex
            self.assertionIndex = assertionIndex
            self.message = message
            self.outcome = outcome
        }

        /// Whether the assertion passed.
        package var isPassed: Bool { outcome == .passed }

        /// One line: status, case name, assertion number, message, and the detail of a failure.
        package var description: String {
            let label = "\(caseName) #\(assertionIndex + 1)" + (message.map { " (\($0))" } ?? "")
            switch outcome {
            case .passed:
                return "PASS \(label)"
            case .failed(let expected, let actual):
                return "FAIL \(label): expected \(expected.jsonString), got \(actual.jsonString)"
            case .error(let error):
                return "ERROR \(label): \(error.code): \(error.reason)"
            case .skipped(let reason):
                return "SKIP \(label): \(reason)"
            }
        }
    }

    /// The suite's name.
    package var suiteName: String
    /// Every assertion's result, in file order.
    package var results: [Result]

    /// Makes a report.
    package init(suiteName: String, results: [Result]) {
        self.suiteName = suiteName
        self.results = results
    }

    /// How many assertions passed.
    package var passedCount: Int { results.count { $0.outcome == .passed } }

    /// How many assertions failed, by a wrong value or an error.
    package var failedCount: Int {
        results.count {
            switch $0.outcome {
            case .failed, .error: true
            default: false
            }
        }
    }

    /// How many of the failures were errors.
    package var errorCount: Int {
        results.count {
            if case .error = $0.outcome { true } else { false }
        }
    }

    /// How many assertions were not run.
    package var skippedCount: Int {
        results.count {
            if case .skipped = $0.outcome { true } else { false }
        }
    }

    /// Whether nothing failed.
    package var isSuccess: Bool { failedCount == 0 }

    /// `"<suite>: N passed, M failed, K skipped"`.
    package var summary: String {
        "\(suiteName): \(passedCount) passed, \(failedCount) failed, \(skippedCount) skipped"
    }

    /// The results that did not pass, one per line, then the summary.
    package var description: String {
        (results.filter { !$0.isPassed }.map(\.description) + [summary]).joined(separator: "\n")
    }
}
