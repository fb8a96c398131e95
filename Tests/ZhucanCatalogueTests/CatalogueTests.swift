import Foundation
import Testing
import ZhucanCatalogue
import ZhucanCertLogic
import ZhucanIdentifiers
import ZhucanTesting

/// The catalogue files as a rule author edits them: the text on disk in
/// `Sources/ZhucanCatalogue/Resources`, beside the copies the module ships.
enum PinghuFiles {
    static let folder = TestVectors.projectRoot.appendingPathComponent("Sources/ZhucanCatalogue/Resources")

    static func catalogueText() throws -> String {
        try String(contentsOf: folder.appendingPathComponent("pinghu-catalogue.json"), encoding: .utf8)
    }

    static func testsText() throws -> String {
        try String(contentsOf: folder.appendingPathComponent("pinghu-catalogue.tests.json"), encoding: .utf8)
    }

    /// The rule of `child-rehabilitation-0-6` exactly as both files spell it (age 0–6 inclusive,
    /// Pinghu only).
    static let childRehabilitationRule =
        #"{"and": [{"<=": [0, {"var": "holder.age"}, 6]}, {"===": [{"var": "holder.region"}, "330482"]}]}"#
    /// The same rule with the upper age limit moved from 6 to 7.
    static let childRehabilitationRuleUpTo7 =
        #"{"and": [{"<=": [0, {"var": "holder.age"}, 7]}, {"===": [{"var": "holder.region"}, "330482"]}]}"#

    /// The rule of the first service, `certificate-new`, as the catalogue file spells it.
    static let firstRule = #""rule": {"===": [{"var": "holder.region"}, "330482"]}"#

    /// `text` with the one occurrence of `old` replaced; fails the test if `old` does not occur
    /// exactly once, so that an edit of the files cannot silently turn a test into a no-op.
    static func replacingOnce(_ old: String, with new: String, in text: String) throws -> String {
        let parts = text.components(separatedBy: old)
        try #require(parts.count == 2, "expected exactly one occurrence of \(old)")
        return parts.joined(separator: new)
    }

    /// The catalogue file with the first service's rule replaced by `rule` (JSON text).
    static func catalogue(withFirstRule rule: String) throws -> Data {
        Data(try replacingOnce(firstRule, with: #""rule": "# + rule, in: try catalogueText()).utf8)
    }
}

/// The `CatalogueError` that `body` throws, or `nil` when it throws nothing; any other error
/// is rethrown and fails the test.
func catalogueError(_ body: () throws -> Void) throws -> CatalogueError? {
    do {
        try body()
        return nil
    } catch let error as CatalogueError {
        return error
    }
}

@Suite("The shipped Pinghu catalogue and its rule tests")
struct ShippedCatalogueTests {
    @Test func parsesWithUniqueWellFormedIDs() throws {
        let catalogue = try Catalogue.pinghu()
        #expect(catalogue.version == "pinghu-2026.5")
        #expect(catalogue.region == "330482")
        #expect(catalogue.validFrom == "2026-01-01")
        #expect(catalogue.validUntil == "2026-12-31")
        #expect(catalogue.issuer.zh == "平湖市残疾人联合会")
        #expect(catalogue.services.count >= 25)
        // Docs/catalogue.md §6: 59 services.
        #expect(catalogue.services.count == 59)
        let ids = catalogue.services.map(\.id)
        #expect(Set(ids).count == ids.count, "duplicate ids")
        for id in ids {
            #expect(id.utf8.count <= 48 && id.range(of: #"^[a-z0-9]+(-[a-z0-9]+)*$"#, options: .regularExpression) != nil, "\(id)")
        }
        for service in catalogue.services {
            #expect(CertLogic.validate(service.rule).isEmpty, "\(service.id)")
            #expect(catalogue.service(service.id) == service)
        }
    }

    @Test("the counts and one-time services of Docs/catalogue.md §6")
    func matchesTheDocumentedTable() throws {
        let catalogue = try Catalogue.pinghu()
        let sources = Dictionary(grouping: catalogue.services, by: \.ruleSource).mapValues(\.count)
        #expect(sources[.seed] == 35)
        #expect(sources[.national] == 17)
        #expect(sources[.localPractice] == 7)
        #expect(Set(catalogue.services.filter(\.isOneTime).map(\.id)) == ["assessment-booking", "home-assessment", "free-bus", "assistive-devices", "home-accessibility", "culture-sports-venues", "rural-tv-radio", "precise-volunteer-service"])
        let amounts = catalogue.services.compactMap { service in service.benefit.amount.map { (service.id, $0) } }
        #expect(amounts.map(\.0) == ["edge-family-allowance", "child-allowance"])
        #expect(amounts.map(\.1) == [230, 260])
    }

    @Test("the files on disk are the ones the module ships")
    func diskFilesAreTheShippedOnes() throws {
        #expect(try Catalogue(parsing: Data(PinghuFiles.catalogueText().utf8)) == Catalogue.pinghu())
        #expect(try Data(PinghuFiles.testsText().utf8) == Catalogue.pinghuTests())
    }

    @Test func itsTestSuitePasses() throws {
        let catalogue = try Catalogue.pinghu()
        let report = try catalogue.checkTests(Catalogue.pinghuTests())
        #expect(report.failedCount == 0)
        #expect(report.skippedCount == 0)
        #expect(report.passedCount >= 2 * catalogue.services.count)
        // One case per service, in catalogue order, named by the service id (§4).
        let suite = try CertLogicTestSuite(parsing: Catalogue.pinghuTests())
        #expect(suite.cases.map(\.name) == catalogue.services.map(\.id))
        for (test, service) in zip(suite.cases, catalogue.services) {
            #expect(test.certLogicExpression == service.rule, "\(service.id)")
        }
    }

    @Test("every assertion of the shipped suite yields exactly true or false")
    func rulesYieldBooleans() throws {
        let catalogue = try Catalogue.pinghu()
        let suite = try CertLogicTestSuite(parsing: Catalogue.pinghuTests())
        for test in suite.cases {
            let rule = try #require(catalogue.service(test.name)?.rule)
            for (index, assertion) in test.assertions.enumerated() {
                let result = try CertLogic.evaluate(rule, data: assertion.data)
                #expect(result == .bool(true) || result == .bool(false), "\(test.name) #\(index + 1): \(result.jsonString)")
            }
        }
    }
}

@Suite("checkTests catches a rule and its tests drifting apart")
struct CheckTestsTests {
    @Test("a threshold moved in both files makes the boundary assertion fail, naming the case")
    func thresholdChangedInBothFiles() throws {
        let catalogueText = try PinghuFiles.replacingOnce(
            PinghuFiles.childRehabilitationRule, with: PinghuFiles.childRehabilitationRuleUpTo7, in: try PinghuFiles.catalogueText())
        let testsText = try PinghuFiles.replacingOnce(
            PinghuFiles.childRehabilitationRule, with: PinghuFiles.childRehabilitationRuleUpTo7, in: try PinghuFiles.testsText())
        let catalogue = try Catalogue(parsing: Data(catalogueText.utf8))
        let error = try #require(try catalogueError { try catalogue.checkTests(Data(testsText.utf8)) })
        #expect(error.code == .failingTests)
        #expect(error.reason.contains("child-rehabilitation-0-6"), "\(error.reason)")
        #expect(error.reason.contains("aged 7"), "\(error.reason)")
        #expect(error.reason.contains("1 assertion(s) fail"), "\(error.reason)")
        #expect(!error.reason.contains("another rule"), "\(error.reason)")
    }

    @Test("a rule changed only in the catalogue is reported as a mismatch")
    func ruleChangedOnlyInTheCatalogue() throws {
        let catalogueText = try PinghuFiles.replacingOnce(
            PinghuFiles.childRehabilitationRule, with: PinghuFiles.childRehabilitationRuleUpTo7, in: try PinghuFiles.catalogueText())
        let catalogue = try Catalogue(parsing: Data(catalogueText.utf8))
        let error = try #require(try catalogueError { try catalogue.checkTests(Catalogue.pinghuTests()) })
        #expect(error.code == .failingTests)
        #expect(error.reason.contains(#"case "child-rehabilitation-0-6" tests another rule"#), "\(error.reason)")
    }

    @Test("a rule changed only in the test suite is reported as a mismatch")
    func ruleChangedOnlyInTheSuite() throws {
        let testsText = try PinghuFiles.replacingOnce(
            PinghuFiles.childRehabilitationRule, with: PinghuFiles.childRehabilitationRuleUpTo7, in: try PinghuFiles.testsText())
        let error = try #require(try catalogueError { try Catalogue.pinghu().checkTests(Data(testsText.utf8)) })
        #expect(error.code == .failingTests)
        #expect(error.reason.contains(#"case "child-rehabilitation-0-6" tests another rule"#), "\(error.reason)")
    }

    @Test("a service without a case, and a case without a service, are named")
    func missingAndStrayCases() throws {
        var suite = try CertLogicTestSuite(parsing: Catalogue.pinghuTests())
        suite.cases.removeAll { $0.name == "free-bus" }
        suite.cases[0].name = "no-such-service"
        let data = try JSONEncoder().encode(suite)
        let error = try #require(try catalogueError { try Catalogue.pinghu().checkTests(data) })
        #expect(error.code == .failingTests)
        #expect(error.reason.contains(#"service "free-bus" needs an entitled and a not-entitled test holder"#), "\(error.reason)")
        #expect(error.reason.contains(#"case "no-such-service" names no service"#), "\(error.reason)")
        #expect(error.reason.contains(#"service "certificate-new""#), "\(error.reason)")
    }

    @Test("a case with only entitled holders is not enough")
    func oneSidedCase() throws {
        var suite = try CertLogicTestSuite(parsing: Catalogue.pinghuTests())
        let index = try #require(suite.cases.firstIndex { $0.name == "child-rehabilitation-0-6" })
        suite.cases[index].assertions.removeAll { $0.expected == .bool(false) }
        let error = try #require(try catalogueError { try Catalogue.pinghu().checkTests(JSONEncoder().encode(suite)) })
        #expect(error.code == .failingTests)
        #expect(error.reason.contains(#"service "child-rehabilitation-0-6" needs an entitled and a not-entitled"#), "\(error.reason)")
    }

    @Test("a file that is not a test suite is refused, not crashed on")
    func notASuite() throws {
        let catalogue = try Catalogue.pinghu()
        for text in ["", "not json", "[]", #"{"name": 1}"#, #"{"name": "x", "cases": [{"name": "free-bus"}]}"#] {
            let error = try catalogueError { try catalogue.checkTests(Data(text.utf8)) }
            #expect(error?.code == .failingTests, "\(text)")
        }
    }
}

/// A hostile or broken rule put in place of the first service's rule.
struct HostileRule: Sendable, CustomTestStringConvertible {
    let name: String
    let rule: String
    let code: CatalogueError.Code

    var testDescription: String { name }

    static let all: [HostileRule] = [
        HostileRule(name: "100 nested !", rule: String(repeating: #"{"!": ["#, count: 100) + "true" + String(repeating: "]}", count: 100), code: .invalidRule),
        HostileRule(name: "100 nested and", rule: String(repeating: #"{"and": [true, "#, count: 100) + "true" + String(repeating: "]}", count: 100), code: .invalidRule),
        HostileRule(name: "1,000 nested arrays (past the JSON depth limit)", rule: String(repeating: "[", count: 1_000) + String(repeating: "]", count: 1_000), code: .malformed),
        HostileRule(name: "or", rule: #"{"or": [true, false]}"#, code: .invalidRule),
        HostileRule(name: "==", rule: #"{"==": [1, 1]}"#, code: .invalidRule),
        HostileRule(name: "missing", rule: #"{"missing": ["holder.age"]}"#, code: .invalidRule),
        HostileRule(name: "loop", rule: #"{"loop": []}"#, code: .invalidRule),
        HostileRule(name: "if with one operand", rule: #"{"if": [true]}"#, code: .invalidRule),
        HostileRule(name: "! with two operands", rule: #"{"!": [true, false]}"#, code: .invalidRule),
        HostileRule(name: "=== with one operand", rule: #"{"===": [{"var": "holder.region"}]}"#, code: .invalidRule),
        HostileRule(name: "two operations in one object", rule: #"{"===": [1, 1], "in": [1, [1]]}"#, code: .invalidRule),
        HostileRule(name: "var with a number", rule: #"{"var": 0}"#, code: .invalidRule),
        HostileRule(name: "operands not an array", rule: #"{"and": true}"#, code: .invalidRule),
        HostileRule(name: "a 20,000-element array literal", rule: #"{"in": [1, ["# + Array(repeating: "0", count: 20_000).joined(separator: ",") + "]]}", code: .invalidRule),
        HostileRule(name: "duplicate keys", rule: #"{"===": [1, 1], "===": [1, 2]}"#, code: .malformed),
        HostileRule(name: "not JSON", rule: #"{"===": [1, 1,]}"#, code: .malformed),
    ]
}

@Suite("Broken and hostile catalogues are refused with a path, never crashed on")
struct HostileCatalogueTests {
    @Test(arguments: HostileRule.all)
    func hostileRule(_ hostile: HostileRule) throws {
        let data = try PinghuFiles.catalogue(withFirstRule: hostile.rule)
        let error = try #require(try catalogueError { _ = try Catalogue(parsing: data) }, "accepted")
        #expect(error.code == hostile.code, "\(error.reason)")
        if hostile.code == .invalidRule {
            #expect(error.reason.hasPrefix("$.services[0].rule"), "\(error.reason)")
        } else {
            #expect(error.reason.contains("$.services[0].rule"), "\(error.reason)")
        }
    }

    @Test("the untouched first rule is accepted (the hostile cases edit a real rule)")
    func controlCase() throws {
        let data = try PinghuFiles.catalogue(withFirstRule: #"{"===": [{"var": "holder.region"}, "330482"]}"#)
        #expect(try Catalogue(parsing: data) == Catalogue.pinghu())
    }

    @Test func ruleErrorsPointIntoTheRule() throws {
        let data = try PinghuFiles.catalogue(withFirstRule: #"{"and": [true, {"or": [true]}]}"#)
        let error = try #require(try catalogueError { _ = try Catalogue(parsing: data) })
        #expect(error.code == .invalidRule)
        #expect(error.reason.hasPrefix("$.services[0].rule.and[1]"), "\(error.reason)")
        #expect(error.reason.contains("or"), "\(error.reason)")
    }

    @Test("whole files that are not a catalogue", arguments: [
        "", "not json", "{", "[]", "null", "\u{FEFF}{}", "{}", #"{"catalogueVersion": "x"}"#,
        String(repeating: "[", count: 100_000), String(repeating: #"{"a":"#, count: 50_000),
    ])
    func notACatalogue(_ text: String) throws {
        let error = try #require(try catalogueError { _ = try Catalogue(parsing: Data(text.utf8)) }, "accepted")
        #expect(error.code == .malformed, "\(error.reason)")
    }

    @Test func invalidUTF8IsMalformed() throws {
        var bytes = Array(try PinghuFiles.catalogueText().utf8)
        bytes[bytes.count / 2] = 0xFF
        let error = try #require(try catalogueError { _ = try Catalogue(parsing: Data(bytes)) })
        #expect(error.code == .malformed)
    }

    @Test func duplicateTopLevelKeyIsMalformed() throws {
        let text = try PinghuFiles.replacingOnce(
            #""catalogueVersion": "pinghu-2026.5","#, with: #""catalogueVersion": "pinghu-2026.5", "catalogueVersion": "pinghu-2026.6","#,
            in: try PinghuFiles.catalogueText())
        let error = try #require(try catalogueError { _ = try Catalogue(parsing: Data(text.utf8)) })
        #expect(error.code == .malformed)
        #expect(error.reason.contains("catalogueVersion"), "\(error.reason)")
    }

    @Test func duplicateServiceIDs() throws {
        let text = try PinghuFiles.replacingOnce(
            #""id": "certificate-renewal-transfer""#, with: #""id": "certificate-new""#, in: try PinghuFiles.catalogueText())
        let error = try #require(try catalogueError { _ = try Catalogue(parsing: Data(text.utf8)) })
        #expect(error.code == .duplicateID)
        #expect(error.reason.contains("$.services[1].id"), "\(error.reason)")
        #expect(error.reason.contains("certificate-new"), "\(error.reason)")
    }

    @Test func badServiceIDAndMissingFieldsNameTheirPath() throws {
        let catalogueText = try PinghuFiles.catalogueText()
        let badID = try PinghuFiles.replacingOnce(#""id": "free-bus""#, with: #""id": "Free_Bus""#, in: catalogueText)
        let freeBus = try #require(try Catalogue.pinghu().services.firstIndex { $0.id == "free-bus" })
        let error = try #require(try catalogueError { _ = try Catalogue(parsing: Data(badID.utf8)) })
        #expect(error.code == .malformed)
        #expect(error.reason.hasPrefix("$.services[\(freeBus)].id"), "\(error.reason)")

        let noRule = try PinghuFiles.replacingOnce(PinghuFiles.firstRule, with: #""rules": true"#, in: catalogueText)
        let ruleError = try #require(try catalogueError { _ = try Catalogue(parsing: Data(noRule.utf8)) })
        #expect(ruleError.code == .malformed, "\(ruleError.reason)")
        #expect(ruleError.reason.hasPrefix("$.services[0].rule"), "\(ruleError.reason)")
    }

    /// Docs/catalogue.md §1: `validUntil` is not before `validFrom`, `catalogueVersion` has a
    /// fixed pattern, and no other fields are allowed.
    @Test("Catalogue(parsing:) checks validUntil ≥ validFrom, the catalogueVersion pattern and unknown fields",
          arguments: [
              (#""validUntil": "2026-12-31""#, #""validUntil": "2025-12-31""#),
              (#""catalogueVersion": "pinghu-2026.5""#, #""catalogueVersion": "Pinghu 2026""#),
              (#""region": "330482","#, #""region": "330482", "extra": true,"#),
              ("\"id\": \"certificate-new\",\n      \"kind\": \"procedure\"", "\"id\": \"certificate-new\",\n      \"kind\": \"paperwork\""),
          ])
    func documentedFormatConstraints(_ edit: (String, String)) throws {
        let text = try PinghuFiles.replacingOnce(edit.0, with: edit.1, in: try PinghuFiles.catalogueText())
        let error = try catalogueError { _ = try Catalogue(parsing: Data(text.utf8)) }
        #expect(error?.code == .malformed, "accepted: \(edit.1)")
    }

    @Test("The certificate procedures are procedures; every other service is a benefit; no material asks for the paper card or ID beside the electronic certificate")
    func proceduresAndMaterials() throws {
        let catalogue = try Catalogue.pinghu()
        let procedures = catalogue.services.filter { $0.kind == .procedure }.map(\.id)
        #expect(procedures == ["certificate-new", "certificate-renewal-transfer", "certificate-replacement", "certificate-reassessment", "certificate-cancellation", "assessment-booking", "home-assessment"])
        for service in catalogue.services where service.id != "certificate-new" && service.id != "certificate-replacement" {
            for material in service.materials where material.zh.hasPrefix("残疾人证") || material.zh.hasPrefix("居民身份证") {
                #expect(material.zh.contains("电子证照"), "\(service.id): \(material.zh)")
            }
        }
    }
}
