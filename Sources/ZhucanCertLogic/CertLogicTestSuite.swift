import Foundation

/// A CertLogic test-suite file (the schema `CertLogic-testSuite.json` of the CertLogic
/// specification): named cases, each an expression with assertions of data and expected value.
package struct CertLogicTestSuite: Codable, Hashable, Sendable {
    /// `skip` leaves the suite, case or assertion out; `only` runs only what is so marked.
    package enum Directive: String, Codable, Hashable, Sendable {
        case skip, only
    }

    /// One evaluation to check.
    package struct Assertion: Codable, Hashable, Sendable {
        /// The data context.
        package var data: JSONValue
        /// The value the expression must evaluate to.
        package var expected: JSONValue
        /// What the assertion checks, in words.
        package var message: String?
        /// Replaces the case's expression for this assertion.
        package var certLogicExpression: JSONValue?
        /// `skip` or `only`.
        package var directive: Directive?

        /// Makes an assertion.
        package init(
            data: JSONValue, expected: JSONValue, message: String? = nil,
            certLogicExpression: JSONValue? = nil, directive: Directive? = nil
        ) {
            self.data = data
            self.expected = expected
            self.message = message
            self.certLogicExpression = certLogicExpression
            self.directive = directive
        }
    }

    /// A named expression with its assertions.
    package struct Case: Codable, Hashable, Sendable {
        /// The case name, unique in practice though the schema does not require it.
        package var name: String
        /// The expression, unless every assertion has its own.
        package var certLogicExpression: JSONValue?
        /// `skip` or `only`.
        package var directive: Directive?
        /// The assertions.
        package var assertions: [Assertion]

        /// Makes a case.
        package init(name: String, certLogicExpression: JSONValue? = nil, directive: Directive? = nil, assertions: [Assertion]) {
            self.name = name
            self.certLogicExpression = certLogicExpression
            self.directive = directive
            self.assertions = assertions
        }
    }

    /// The suite name.
    package var name: String
    /// `skip` or `only`, for the whole suite.
    package var directive: Directive?
    /// The cases.
    package var cases: [Case]

    /// Makes a suite.
    package init(name: String, directive: Directive? = nil, cases: [Case]) {
        self.name = name
        self.directive = directive
        self.cases = cases
    }

    /// Reads a test-suite file with the strict JSON parser (so that expressions with duplicate
    /// keys are rejected, not silently merged).
    /// - Throws: ``CertLogicError/Code/invalidJSON``, or ``CertLogicError/Code/invalidTestSuite``
    ///   naming the JSONPath of the field that does not fit the schema.
    package init(parsing data: Data) throws(CertLogicError) {
        try self.init(json: JSONValue(parsing: data))
    }

    /// Reads a test suite from its JSON value.
    /// - Throws: ``CertLogicError/Code/invalidTestSuite`` naming the JSONPath of the bad field.
    package init(json: JSONValue) throws(CertLogicError) {
        let root = try Self.object(json, at: JSONPath.root)
        name = try Self.string(root["name"], at: JSONPath.appending(JSONPath.root, key: "name"))
        directive = try Self.directive(root["directive"], at: JSONPath.appending(JSONPath.root, key: "directive"))
        let casesPath = JSONPath.appending(JSONPath.root, key: "cases")
        guard case .array(let caseValues)? = root["cases"] else {
            throw CertLogicError(.invalidTestSuite, "expected an array of cases", path: casesPath)
        }
        var cases: [Case] = []
        for (caseIndex, caseValue) in caseValues.enumerated() {
            let casePath = JSONPath.appending(casesPath, index: caseIndex)
            let object = try Self.object(caseValue, at: casePath)
            let assertionsPath = JSONPath.appending(casePath, key: "assertions")
            guard case .array(let assertionValues)? = object["assertions"] else {
                throw CertLogicError(.invalidTestSuite, "expected an array of assertions", path: assertionsPath)
            }
            var assertions: [Assertion] = []
            for (index, assertionValue) in assertionValues.enumerated() {
                let path = JSONPath.appending(assertionsPath, index: index)
                let assertion = try Self.object(assertionValue, at: path)
                guard let data = assertion["data"], let expected = assertion["expected"] else {
                    throw CertLogicError(.invalidTestSuite, "an assertion needs data and expected", path: path)
                }
                let message = try assertion["message"].map { (value: JSONValue) throws(CertLogicError) in
                    try Self.string(value, at: JSONPath.appending(path, key: "message"))
                }
                assertions.append(Assertion(
                    data: data,
                    expected: expected,
                    message: message,
                    certLogicExpression: assertion["certLogicExpression"],
                    directive: try Self.directive(assertion["directive"], at: JSONPath.appending(path, key: "directive"))
                ))
            }
            cases.append(Case(
                name: try Self.string(object["name"], at: JSONPath.appending(casePath, key: "name")),
                certLogicExpression: object["certLogicExpression"],
                directive: try Self.directive(object["directive"], at: JSONPath.appending(casePath, key: "directive")),
                assertions: assertions
            ))
        }
        self.cases = cases
    }

    private static func object(_ value: JSONValue, at path: String) throws(CertLogicError) -> [String: JSONValue] {
        guard case .object(let members) = value else {
            throw CertLogicError(.invalidTestSuite, "expected an object, found \(value.kindName)", path: path)
        }
        return members
    }

    private static func string(_ value: JSONValue?, at path: String) throws(CertLogicError) -> String {
        guard case .string(let text)? = value else {
            throw CertLogicError(.invalidTestSuite, "expected a string", path: path)
        }
        return text
    }

    private static func directive(_ value: JSONValue?, at path: String) throws(CertLogicError) -> Directive? {
        guard let value else { return nil }
        guard let text = value.stringValue, let directive = Directive(rawValue: text) else {
            throw CertLogicError(.invalidTestSuite, "a directive is \"skip\" or \"only\", not \(value.jsonString)", path: path)
        }
        return directive
    }
}
