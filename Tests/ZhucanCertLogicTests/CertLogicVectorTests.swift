import Foundation
import Testing
import ZhucanCertLogic
import ZhucanTesting

/// One case of one CertLogic test-suite file, named in the test report by file and case.
struct CertLogicVectorCase: Sendable, CustomTestStringConvertible {
    let file: String
    let caseIndex: Int
    let caseName: String

    var testDescription: String { "\(file): \(caseName)" }
}

/// The upstream CertLogic vectors (dgc-business-rules `certlogic/specification`), read in place.
enum CertLogicVectors {
    static let folder = "certlogic"

    /// The plain JsonLogic suite: its cases that use an operation CertLogic does not have are
    /// skipped by design (the upstream copy is already filtered, so today there are none).
    static let jsonLogicSuite = "JsonLogic-testSuite.json"

    /// The JSON files of the folder: suites, and the two JSON schemas (which carry `$schema`).
    static let files: [String] = (try? TestVectors.jsonFiles(in: folder).map(\.lastPathComponent)) ?? []

    static func json(_ file: String) throws -> JSONValue {
        try JSONValue(parsing: TestVectors.data("\(folder)/\(file)"))
    }

    static func isSchema(_ file: String) -> Bool {
        guard let json = try? json(file), case .object(let members) = json else { return false }
        return members["$schema"] != nil
    }

    static var suiteFiles: [String] { files.filter { !isSchema($0) } }

    static func suite(_ file: String) throws -> CertLogicTestSuite {
        try CertLogicTestSuite(parsing: TestVectors.data("\(folder)/\(file)"))
    }

    /// Every case of every suite file, for parameterised tests.
    static let cases: [CertLogicVectorCase] = suiteFiles.flatMap { file -> [CertLogicVectorCase] in
        guard let suite = try? suite(file) else {
            // A file that does not load still gets a case, so that the failure is reported.
            return [CertLogicVectorCase(file: file, caseIndex: -1, caseName: "(file does not load)")]
        }
        return suite.cases.enumerated().map { CertLogicVectorCase(file: file, caseIndex: $0, caseName: $1.name) }
    }
}

@Suite("CertLogic upstream test suites", .enabled(if: TestVectors.shouldRun))
struct CertLogicVectorTests {
    @Test("the vectors folder holds the expected suites and schemas")
    func inventory() {
        let expectedSuites: Set = [
            "JsonLogic-testSuite.json", "and.json", "comparison.json", "detect-missing-values.json",
            "equality.json", "extractFromUCVI.json", "if.json", "in.json", "ins-with-nulls.json",
            "patched-reduce.json", "recognising-minors-with-DCC-DOB.json", "var.json",
        ]
        #expect(Set(CertLogicVectors.suiteFiles) == expectedSuites)
        // CertLogic-testSuite.json is the *schema* of suite files, not a suite.
        #expect(Set(CertLogicVectors.files.filter(CertLogicVectors.isSchema))
            == ["CertLogic-expression.json", "CertLogic-testSuite.json"])
        #expect(CertLogicVectors.cases.count >= 40)
    }

    @Test("case", arguments: CertLogicVectors.cases)
    func vectorCase(_ vector: CertLogicVectorCase) throws {
        let suite = try CertLogicVectors.suite(vector.file)
        let results = suite.runCase(
            at: vector.caseIndex,
            skippingNonCertLogicOperations: vector.file == CertLogicVectors.jsonLogicSuite
        )
        #expect(!results.isEmpty, "case has no assertions")
        for result in results {
            switch result.outcome {
            case .passed:
                break
            case .skipped(let reason):
                #expect(!reason.isEmpty)
            case .failed, .error:
                Issue.record("\(vector.file): \(result)")
            }
        }
    }

    @Test("totals: everything passes except what upstream marks skip")
    func totals() throws {
        var passed = 0, failed = 0, skipped = 0
        var skipsByFile: [String: Int] = [:]
        for file in CertLogicVectors.suiteFiles {
            let report = try CertLogicVectors.suite(file).run(
                skippingNonCertLogicOperations: file == CertLogicVectors.jsonLogicSuite
            )
            print(report)
            passed += report.passedCount
            failed += report.failedCount
            skipped += report.skippedCount
            if report.skippedCount > 0 { skipsByFile[file] = report.skippedCount }
        }
        print("CertLogic vectors: \(passed) passed, \(failed) failed, \(skipped) skipped")
        #expect(failed == 0)
        // patched-reduce.json: suite directive "skip" (its reduce lambda reads `data`, which the
        // spec only says CertLogic "may" add); ins-with-nulls.json: 4 assertions marked "skip".
        #expect(skipsByFile == ["patched-reduce.json": 10, "ins-with-nulls.json": 4])
        #expect(passed >= 150)
    }

    @Test("the plain JsonLogic suite: non-CertLogic cases are skipped by design and counted")
    func jsonLogicSuiteSplit() throws {
        var suite = try CertLogicVectors.suite(CertLogicVectors.jsonLogicSuite)
        let upstream = suite.run(skippingNonCertLogicOperations: true)
        #expect(upstream.failedCount == 0)
        // The upstream file is pre-filtered to CertLogic operations, so nothing is skipped.
        #expect(upstream.skippedCount == 0)

        // Unfiltered JsonLogic cases (as in jsonlogic.com's suite) are skipped, not failed.
        suite.cases.append(CertLogicTestSuite.Case(
            name: "JsonLogic only",
            assertions: [
                .init(data: [:], expected: true, certLogicExpression: ["==": [1, 1]]),
                .init(data: [:], expected: true, certLogicExpression: ["or": [false, true]]),
                .init(data: ["a": 1], expected: ["a"], certLogicExpression: ["missing": ["a", "b"]]),
            ]
        ))
        let widened = suite.run(skippingNonCertLogicOperations: true)
        #expect(widened.skippedCount == 3)
        #expect(widened.passedCount == upstream.passedCount)
        for result in widened.results where result.caseName == "JsonLogic only" {
            guard case .skipped(let reason) = result.outcome else {
                Issue.record("expected a skip: \(result)")
                continue
            }
            #expect(reason.contains("skipped by design"))
        }
        // Without the option they are errors: CertLogic itself rejects these operations.
        let strict = suite.run()
        #expect(strict.errorCount == 3)
    }
}
