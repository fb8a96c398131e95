import Foundation
import ZhucanCertLogic

extension Catalogue {
    /// Runs a rule test suite (CertLogic test-suite format) against this catalogue: every case
    /// must be named after a service and carry exactly that service's rule, every service needs
    /// a case with at least one entitled and one not-entitled holder, and every assertion must pass.
    /// - Returns: the suite's report.
    /// - Throws: `CatalogueError.failingTests` naming what is missing or failing.
    @discardableResult
    package func checkTests(_ data: Data) throws(CatalogueError) -> CertLogicTestReport {
        let suite: CertLogicTestSuite
        do {
            suite = try CertLogicTestSuite(parsing: data)
        } catch {
            throw CatalogueError(.failingTests, "the test file is not a CertLogic test suite: \(error.reason)")
        }
        var problems: [String] = []
        for test in suite.cases {
            guard let service = service(test.name) else {
                problems.append("case \"\(test.name)\" names no service")
                continue
            }
            if let expression = test.certLogicExpression, expression != service.rule {
                problems.append("case \"\(test.name)\" tests another rule than the catalogue's")
            }
        }
        for service in services {
            let assertions = suite.cases.filter { $0.name == service.id }.flatMap(\.assertions)
            let expected = Set(assertions.compactMap { $0.expected == .bool(true) ? true : $0.expected == .bool(false) ? false : nil })
            if expected != [true, false] {
                problems.append("service \"\(service.id)\" needs an entitled and a not-entitled test holder")
            }
        }
        let report = suite.run()
        if report.failedCount > 0 {
            problems.append("\(report.failedCount) assertion(s) fail:\n\(report.description)")
        }
        guard problems.isEmpty else { throw CatalogueError(.failingTests, problems.joined(separator: "; ")) }
        return report
    }
}
