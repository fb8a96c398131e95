import Foundation
import Synchronization
import GRDB
import Testing
import ZhucanIdentifiers
import ZhucanRegistry
import ZhucanSpreadsheet
import ZhucanTesting

/// `zhucan catalogue test` on the upstream CertLogic suites, read in place.
@Suite("zhucan catalogue test: the CertLogic vector suites", .enabled(if: TestVectors.shouldRun))
struct CatalogueTestCommandTests {
    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory()
    }

    static func jsonObject(_ url: URL) -> [String: Any]? {
        (try? Data(contentsOf: url)).flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
    }

    /// The folder's JSON files that are test suites: all but the JSON schemas (`$schema`).
    static let suiteFiles: [String] = ((try? TestVectors.jsonFiles(in: "certlogic")) ?? [])
        .filter { jsonObject($0)?["$schema"] == nil }
        .map(\.lastPathComponent)

    /// The number of assertions in a suite file.
    static func assertionCount(_ url: URL) -> Int {
        let cases = jsonObject(url)?["cases"] as? [[String: Any]] ?? []
        return cases.reduce(0) { $0 + (($1["assertions"] as? [Any])?.count ?? 0) }
    }

    /// The `N passed, M failed[, K skipped]` summary: the last line of the output.
    static func summary(_ output: Shell.Output) throws -> (passed: Int, failed: Int, skipped: Int) {
        let last = try #require(output.text.split(separator: "\n").last.map(String.init), "no output: \(output.errorText)")
        let numbers = last.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        try #require(last.range(of: #"^\d+ passed, \d+ failed(, \d+ skipped)?$"#, options: .regularExpression) != nil, "\(last)")
        return (numbers[0], numbers[1], numbers.count > 2 ? numbers[2] : 0)
    }

    @Test("only the two JSON schemas are left out")
    func inventory() throws {
        let all = try TestVectors.jsonFiles(in: "certlogic").map(\.lastPathComponent)
        #expect(Set(all).subtracting(Self.suiteFiles) == ["CertLogic-testSuite.json", "CertLogic-expression.json"])
        #expect(Self.suiteFiles.count >= 10)
    }

    @Test("every upstream suite passes through the CLI", arguments: suiteFiles)
    func upstreamSuitePasses(_ file: String) throws {
        let url = TestVectors.url("certlogic/\(file)")
        let output = try ZhucanBinary.run(["catalogue", "test", url.path], in: folder.url)
        #expect(output.status == 0, "\(output.text)\(output.errorText)")
        #expect(!output.text.contains("FAIL"), "\(output.text)")
        let summary = try Self.summary(output)
        #expect(summary.failed == 0)
        // Every assertion is run or explicitly skipped by the suite's own directive.
        #expect(summary.passed + summary.skipped == Self.assertionCount(url), "\(output.text)")
    }

    @Test("all upstream suites at once add up")
    func allSuitesAtOnce() throws {
        let urls = Self.suiteFiles.map { TestVectors.url("certlogic/\($0)") }
        let output = try ZhucanBinary.run(["catalogue", "test"] + urls.map(\.path), in: folder.url)
        #expect(output.status == 0, "\(output.text)\(output.errorText)")
        let summary = try Self.summary(output)
        #expect(summary.failed == 0)
        #expect(summary.passed + summary.skipped == urls.reduce(0) { $0 + Self.assertionCount($1) })
        #expect(summary.passed > 150)
    }

    @Test("a suite with one wrong expectation: exit 1, 1 failed, the case named")
    func wrongExpectationFails() throws {
        let url = TestVectors.url("certlogic/and.json")
        var suite = try #require(Self.jsonObject(url))
        var cases = try #require(suite["cases"] as? [[String: Any]])
        var assertions = try #require(cases[0]["assertions"] as? [[String: Any]])
        let caseName = try #require(cases[0]["name"] as? String)
        assertions[0]["expected"] = "a value no CertLogic operation yields here"
        cases[0]["assertions"] = assertions
        suite["cases"] = cases
        let wrong = folder.path("wrong.json")
        try JSONSerialization.data(withJSONObject: suite).write(to: URL(fileURLWithPath: wrong))

        let output = try ZhucanBinary.run(["catalogue", "test", wrong], in: folder.url)
        #expect(output.status == 1, "\(output.text)\(output.errorText)")
        let summary = try Self.summary(output)
        #expect(summary.failed == 1)
        #expect(summary.passed + summary.skipped == Self.assertionCount(url) - 1)
        let failures = output.text.split(separator: "\n").filter { $0.hasPrefix("FAIL ") }
        #expect(failures.count == 1)
        #expect(failures.first?.contains(caseName) == true, "\(output.text)")

        // With a good suite beside it, the counts add up and the run still fails.
        let both = try ZhucanBinary.run(["catalogue", "test", url.path, wrong], in: folder.url)
        #expect(both.status == 1)
        let total = try Self.summary(both)
        #expect(total.failed == 1)
        #expect(total.passed + total.skipped == 2 * Self.assertionCount(url) - 1)
    }

    @Test("unreadable and invalid suites exit 2")
    func unreadableSuites() throws {
        let notJSON = folder.path("not.json"), notSuite = folder.path("schema.json")
        try Data("{ not json".utf8).write(to: URL(fileURLWithPath: notJSON))
        try Data(#"{"cases": 3}"#.utf8).write(to: URL(fileURLWithPath: notSuite))
        for file in [folder.path("missing.json"), notJSON, notSuite, TestVectors.url("certlogic/CertLogic-testSuite.json").path] {
            let output = try ZhucanBinary.run(["catalogue", "test", file], in: folder.url)
            #expect(output.status == 2, "\(file): \(output.text)\(output.errorText)")
            #expect(!output.errorText.isEmpty)
        }
    }
}

/// The catalogue through the built binary, in a demo workspace: publish, list, show,
/// entitlements, household facts, service codes with entitlement, coverage.
@Suite("zhucan catalogue: publish, list, show, entitlements, household, service codes, coverage")
struct CatalogueCommandTests {
    let folder: TemporaryDirectory
    let demoKeys = TestVectors.projectRoot.appendingPathComponent("keys")
    static let resources = ShippedCatalogue.resources
    static let catalogueFile = resources.appendingPathComponent("pinghu-catalogue.json").path
    static let testsFile = resources.appendingPathComponent("pinghu-catalogue.tests.json").path

    /// The demo holder: 王小明, born 1970-11-21, male, physical (4), level 3, Pinghu.
    static let demoID = "360121197011210013"
    static let demoNumber = demoID + "43"

    static let china = TimeZone(secondsFromGMT: 8 * 3600)!

    init() throws {
        folder = try TemporaryDirectory()
    }

    // MARK: - Helpers

    func zhucan(_ arguments: [String]) throws -> Shell.Output {
        try ZhucanBinary.run(arguments, in: folder.url)
    }

    func json(_ output: Shell.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [String: Any], "not JSON: \(output.text) \(output.errorText)")
    }

    /// `init --demo`, then publish the shipped Pinghu catalogue.
    func demoWorkspace(publish: Bool = true) throws {
        let initialised = try zhucan(["init", "--demo", "--dir", "ws", "--keys-dir", demoKeys.path])
        try #require(initialised.status == 0, "init: \(initialised.errorText)")
        if publish {
            let published = try zhucan(["catalogue", "publish", "--dir", "ws", "--in", try timelessCatalogue(), "--tests", Self.testsFile])
            try #require(published.status == 0, "publish: \(published.errorText)")
        }
    }

    /// `issue --json`, which must succeed; returns its JSON.
    @discardableResult
    func issue(name: String = "王小明", id: String = demoID, category: Int = 4, level: Int = 3) throws -> [String: Any] {
        let output = try zhucan([
            // Valid from the start of the catalogue's year: the tests judge on days of 2026.
            "issue", "--dir", "ws", "--name", name, "--id-number", id, "--category", "\(category)", "--level", "\(level)",
            "--region", "330482", "--valid-from", "2026-01-01", "--json",
        ])
        try #require(output.status == 0, "issue: \(output.errorText)")
        return try json(output)
    }

    /// `catalogue entitlements --json`, by service id.
    func entitlements(_ number: String, at date: String? = nil) throws -> (answer: [String: Any], services: [String: [String: Any]]) {
        let output = try zhucan(["catalogue", "entitlements", "--dir", "ws", "--certificate", number, "--json"] + (date.map { ["--at", $0] } ?? []))
        try #require(output.status == 0, "entitlements: \(output.errorText)")
        let answer = try json(output)
        let list = try #require(answer["services"] as? [[String: Any]])
        return (answer, Dictionary(uniqueKeysWithValues: list.compactMap { item in (item["id"] as? String).map { ($0, item) } }))
    }

    /// A service code from `code service`, which must succeed, saved to a file for `verify @FILE`.
    func serviceCode(_ number: String, service: String, ttl: Int? = nil) throws -> String {
        let output = try zhucan(["code", "service", "--dir", "ws", "--certificate", number, "--service", service] + (ttl.map { ["--ttl", "\($0)"] } ?? []))
        try #require(output.status == 0, "code service: \(output.errorText)")
        let code = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let file = folder.path("code-\(UUID().uuidString).txt")
        try Data(code.utf8).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// `verify @FILE --dir ws --json`; the exit status must agree with `valid`.
    func verify(_ file: String, _ arguments: [String] = []) throws -> [String: Any] {
        let output = try zhucan(["verify", "@" + file, "--dir", "ws", "--json"] + arguments)
        let answer = try json(output)
        let valid = try #require(answer["valid"] as? Bool)
        #expect(output.status == (valid ? 0 : 1), "\(output.errorText)")
        return answer
    }

    /// The shipped catalogue valid until 2099, so that these tests do not depend on the year
    /// they run in (the shipped edition ends on 2026-12-31).
    func timelessCatalogue() throws -> String {
        try catalogueCopy("timeless-catalogue.json", [ShippedCatalogue.timeless])
    }

    /// A copy of the shipped catalogue with `edits` made (`ShippedCatalogue.edited`), written
    /// to `name` in the test's folder.
    /// - Returns: its path.
    func catalogueCopy(_ name: String, _ edits: [(String, String)]) throws -> String {
        let path = folder.path(name)
        try ShippedCatalogue.edited(edits).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The ID number `first17` completed with its ISO 7064 MOD 11-2 check character.
    static func citizenID(_ first17: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17, weights).reduce(0) { $0 + ($1.0.wholeNumberValue ?? 0) * $1.1 }
        return first17 + String(Array("10X98765432")[sum % 11])
    }

    /// A Pinghu-registered boy's ID number with birth date `yyyyMMdd`.
    static func boyID(born: String) -> String { citizenID("330482" + born + "001") }

    static func chinaCalendar() -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = china
        return calendar
    }

    // MARK: - Publish, list, show

    @Test("The audit holds catalogue editions to their numbers: 1, 2, … as published, each signed with its own; one published again under a number is named")
    func catalogueEditionNumbersAudited() throws {
        try demoWorkspace()
        let second = try catalogueCopy("second.json", [ShippedCatalogue.timeless, (#""catalogueVersion": "pinghu-2026.5""#, #""catalogueVersion": "pinghu-2026.6""#)])
        try #require(try zhucan(["catalogue", "publish", "--dir", "ws", "--in", second, "--tests", Self.testsFile]).status == 0)
        func audit() throws -> Shell.Output {
            try #require(try zhucan(["audit", "export", "--dir", "ws", "--out", "log.jsonl"]).status == 0)
            return try zhucan(["audit", "log", "--from", "log.jsonl"])
        }
        #expect(try audit().status == 0)
        // The second edition's row deleted behind the application: the next takes its number.
        let database = try DatabaseQueue(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
        try database.write { try $0.execute(sql: "DELETE FROM publication WHERE kind = 'catalogue' AND sequence = 2") }
        let third = try catalogueCopy("third.json", [ShippedCatalogue.timeless, (#""catalogueVersion": "pinghu-2026.5""#, #""catalogueVersion": "pinghu-2026.7""#)])
        try #require(try zhucan(["catalogue", "publish", "--dir", "ws", "--in", third, "--tests", Self.testsFile]).status == 0)
        let audited = try audit()
        #expect(audited.status == 1)
        #expect(audited.text.contains("catalogue_mismatch: catalogue edition 2 is published after edition 2"), "\(audited.text)")
    }

    @Test func publishListAndShow() throws {
        try demoWorkspace(publish: false)
        let none = try zhucan(["catalogue", "list", "--dir", "ws"])
        #expect(none.status == 1, "\(none.text)")
        #expect(none.errorText.contains("no catalogue is published"), "\(none.errorText)")

        let published = try zhucan(["catalogue", "publish", "--dir", "ws", "--in", try timelessCatalogue(), "--tests", Self.testsFile])
        #expect(published.status == 0, "\(published.errorText)")
        #expect(published.text.contains("published catalogue pinghu-2026.5 (59 services, sequence 1)"), "\(published.text)")

        let list = try zhucan(["catalogue", "list", "--dir", "ws"])
        #expect(list.status == 0)
        let lines = list.text.split(separator: "\n")
        #expect(lines.count == 60)
        #expect(lines.first?.hasPrefix("catalogue pinghu-2026.5: 平湖市残疾人联合会") == true)
        #expect(lines.contains { $0.hasPrefix("free-bus ") && $0.contains("免费乘坐") && $0.hasSuffix("[one-time]") })
        #expect(lines.contains { $0.hasPrefix("legal-aid ") && !$0.contains("[one-time]") })

        // --file reads a catalogue without a workspace, and gives the same listing.
        let fromFile = try zhucan(["catalogue", "list", "--file", try timelessCatalogue()])
        #expect(fromFile.status == 0)
        #expect(fromFile.text == list.text)

        let show = try zhucan(["catalogue", "show", "--dir", "ws", "edge-family-allowance"])
        #expect(show.status == 0, "\(show.errorText)")
        #expect(show.text.hasPrefix("edge-family-allowance: 低保边缘家庭三、四级残疾人生活补助"), "\(show.text)")
        #expect(show.text.contains("230"), "the amount: \(show.text)")
        #expect(show.text.contains("CNY per month"), "\(show.text)")
        #expect(show.text.contains("one-time:    no"))
        #expect(show.text.contains("rule source: seed"))
        #expect(show.text.contains(#"rule:        {"and":[{"in":[{"var":"holder.level"},[3,4]]}"#), "\(show.text)")

        let freeBus = try zhucan(["catalogue", "show", "--dir", "ws", "free-bus"])
        #expect(freeBus.text.contains("one-time:    yes"))

        let unknown = try zhucan(["catalogue", "show", "--dir", "ws", "no-such-service"])
        #expect(unknown.status == 1)
        #expect(unknown.errorText.contains("no-such-service"))
    }

    @Test("publishing a second version keeps both, and the newest is current")
    func versions() throws {
        try demoWorkspace()
        let second = try catalogueCopy("v2.json", [(#""catalogueVersion": "pinghu-2026.5""#, #""catalogueVersion": "pinghu-2026.6""#)])
        let published = try zhucan(["catalogue", "publish", "--dir", "ws", "--in", second, "--tests", Self.testsFile])
        #expect(published.status == 0, "\(published.errorText)")
        #expect(published.text.contains("pinghu-2026.6 (59 services, sequence 2)"), "\(published.text)")

        let versions = try zhucan(["catalogue", "list", "--dir", "ws", "--versions"])
        #expect(versions.status == 0)
        let lines = versions.text.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
        #expect(lines.count == 2)
        #expect(lines.map { $0.prefix(3) } == [["1", "pinghu-2026.5", "59 services"], ["2", "pinghu-2026.6", "59 services"]])

        let current = try zhucan(["catalogue", "list", "--dir", "ws"])
        #expect(current.text.hasPrefix("catalogue pinghu-2026.6:"))
        try issue()
        #expect(try entitlements(Self.demoNumber, at: "2026-03-01").answer["catalogueVersion"] as? String == "pinghu-2026.6")
    }

    @Test("publishing without the default tests file beside the copy exits 2")
    func publishNeedsTests() throws {
        try demoWorkspace(publish: false)
        let copy = try catalogueCopy("copy.json", [])
        let output = try zhucan(["catalogue", "publish", "--dir", "ws", "--in", copy])
        #expect(output.status == 2, "\(output.text)")
        #expect(output.errorText.contains("copy.tests.json"), "\(output.errorText)")
    }

    /// Docs/catalogue.md §7: "It refuses a catalogueVersion that is already published with
    /// different content: a published version is immutable."
    @Test("catalogue publish refuses a catalogueVersion that is already published")
    func publishedVersionsAreImmutable() throws {
        try demoWorkspace()
        let changed = try catalogueCopy("changed.json", [(#""en": "New disability certificate""#, #""en": "New certificate (changed)""#)])
        let output = try zhucan(["catalogue", "publish", "--dir", "ws", "--in", changed, "--tests", Self.testsFile])
        #expect(output.status == 2, "\(output.text)")
        #expect(output.errorText.contains("pinghu-2026.5"), "\(output.errorText)")
        let versions = try zhucan(["catalogue", "list", "--dir", "ws", "--versions"])
        #expect(versions.text.split(separator: "\n").count == 1, "\(versions.text)")
    }

    // A catalogue of a few MB parsed (16 MiB allowed) and was signed, but no reader takes more
    // than 1 MiB of signed content: the workspace could then list no catalogue, mint no service
    // code and publish no other catalogue, and every node stopped at the edition before.
    @Test("catalogue publish refuses a catalogue too large for verifiers to read, and publishes nothing")
    func oversizedCatalogueIsRefused() throws {
        try demoWorkspace(publish: false)
        // 1.6 million characters of legal basis (4.8 MB) in the first service.
        var text = try String(contentsOfFile: Self.catalogueFile, encoding: .utf8)
        let basis = try #require(text.range(of: #""basis": ""#))
        text.insert(contentsOf: String(repeating: "依据", count: 800_000), at: basis.upperBound)
        let huge = folder.path("huge.json")
        try Data(text.utf8).write(to: URL(fileURLWithPath: huge))
        let refused = try zhucan(["catalogue", "publish", "--dir", "ws", "--in", huge, "--tests", Self.testsFile])
        #expect(refused.status == 2, "\(refused.text)")
        #expect(refused.errorText.contains("limits every verifier applies"), "\(refused.errorText)")
        let published = try zhucan(["catalogue", "publish", "--dir", "ws", "--in", Self.catalogueFile, "--tests", Self.testsFile])
        #expect(published.status == 0, "\(published.errorText)")
        let versions = try zhucan(["catalogue", "list", "--dir", "ws", "--versions"])
        #expect(versions.status == 0, "\(versions.errorText)")
        #expect(versions.text.split(separator: "\n").count == 1, "\(versions.text)")
    }

    @Test("a catalogue with a bad rule or failing tests is refused with exit 2, naming the fault")
    func badCataloguesAreRefused() throws {
        try demoWorkspace()
        let certificateRule = #"{"and": [{"in": [{"var": "holder.category"}, [1, 2, 3, 4, 5, 6, 7]]}, {"in": [{"var": "holder.level"}, [1, 2, 3, 4]]}]}"#
        // Service 3 (certificate-reassessment) gets an "or"; the same text also occurs in
        // other services, so edit the one after its id.
        var text = try String(contentsOfFile: Self.catalogueFile, encoding: .utf8)
        let anchor = try #require(text.range(of: #""id": "certificate-reassessment""#))
        let rule = try #require(text.range(of: certificateRule, range: anchor.upperBound..<text.endIndex))
        text.replaceSubrange(rule, with: #"{"and": [true, {"or": [true, false]}]}"#)
        let bad = folder.path("bad.json")
        try Data(text.utf8).write(to: URL(fileURLWithPath: bad))

        let output = try zhucan(["catalogue", "publish", "--dir", "ws", "--in", bad, "--tests", Self.testsFile])
        #expect(output.status == 2, "\(output.text)")
        #expect(output.errorText.contains("$.services[3].rule.and[1]"), "\(output.errorText)")
        #expect(output.errorText.contains("or"), "\(output.errorText)")

        let listed = try zhucan(["catalogue", "list", "--file", bad])
        #expect(listed.status == 2)
        #expect(listed.errorText.contains("$.services[3].rule"), "\(listed.errorText)")

        // The rule author moved a threshold in the catalogue only: the tests no longer match.
        let drifted = try catalogueCopy("drifted.json", [(
            #"{"and": [{"<=": [0, {"var": "holder.age"}, 6]}, {"===": [{"var": "holder.region"}, "330482"]}]}"#,
            #"{"and": [{"<=": [0, {"var": "holder.age"}, 7]}, {"===": [{"var": "holder.region"}, "330482"]}]}"#
        )])
        let refused = try zhucan(["catalogue", "publish", "--dir", "ws", "--in", drifted, "--tests", Self.testsFile])
        #expect(refused.status == 2, "\(refused.text)")
        #expect(refused.errorText.contains("child-rehabilitation-0-6"), "\(refused.errorText)")

        // Nothing of this was published.
        let versions = try zhucan(["catalogue", "list", "--dir", "ws", "--versions"])
        #expect(versions.text.split(separator: "\n").count == 1, "\(versions.text)")
    }

    @Test("the shipped Pinghu rule tests pass through the CLI")
    func pinghuTestsPass() throws {
        let output = try zhucan(["catalogue", "test", Self.testsFile])
        #expect(output.status == 0, "\(output.text)\(output.errorText)")
        let suite = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.testsFile))) as? [String: Any])
        let count = (suite["cases"] as? [[String: Any]] ?? []).reduce(0) { $0 + (($1["assertions"] as? [Any])?.count ?? 0) }
        #expect(count > 80)
        #expect(output.text.split(separator: "\n").last.map(String.init) == "\(count) passed, 0 failed")
    }

    @Test("A publication waits for the issuance lock; three of one edition at once: one is published, the others are refused as already published")
    func concurrentPublications() throws {
        try demoWorkspace(publish: false)
        // Another command holds the lock for 2 s: a publication waits for it.
        let other = try catalogueCopy("other.json", [ShippedCatalogue.timeless, (#""catalogueVersion": "pinghu-2026.5""#, #""catalogueVersion": "pinghu-2026.6""#)])
        let waited = try Shell.run(["sh", "-c", """
            flock ws/issuance.lock sh -c 'touch held; sleep 2' & until [ -e held ]; do sleep 0.05; done
            start=$(date +%s%N); "$ZHUCAN" catalogue publish --dir ws --in "$1" --tests "$2" >/dev/null && echo $(( ($(date +%s%N) - start) / 1000000 ))
            """, "sh", other, Self.testsFile], in: folder.url, environment: ["ZHUCAN": ZhucanBinary.url.path])
        #expect(try #require(Int(waited.text.trimmingCharacters(in: .whitespacesAndNewlines))) >= 1_500, "milliseconds: \(waited.text) \(waited.errorText)")
        let arguments = ["catalogue", "publish", "--dir", "ws", "--in", try timelessCatalogue(), "--tests", Self.testsFile]
        let statuses = Mutex([Int32]())
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            let status = (try? zhucan(arguments))?.status ?? -1
            statuses.withLock { $0.append(status) }
        }
        #expect(statuses.withLock { $0.sorted() } == [0, 2, 2])
        let versions = try zhucan(["catalogue", "list", "--dir", "ws", "--versions"]).text
        #expect(versions.split(separator: "\n").count == 2, "\(versions)")
    }

    // MARK: - Entitlements, household facts, service codes

    @Test("entitlements of the demo holder (physical, level 3, born 1970-11-21)")
    func demoHolderEntitlements() throws {
        try demoWorkspace()
        try issue()
        let (answer, services) = try entitlements(Self.demoNumber, at: "2026-03-01")
        #expect(answer["catalogueVersion"] as? String == "pinghu-2026.5")
        #expect(answer["date"] as? String == "2026-03-01")
        #expect(services.count == 59)
        let freeBus = try #require(services["free-bus"])
        #expect(freeBus["entitled"] as? Bool == true)
        #expect(freeBus["failedClause"] == nil)
        #expect(freeBus["name"] as? String == "免费乘坐城市、城乡公共交通")
        let childAllowance = try #require(services["child-allowance"])
        #expect(childAllowance["entitled"] as? Bool == false)
        #expect((childAllowance["failedClause"] as? String)?.contains("holder.age") == true)
        for id in ["legal-aid", "culture-sports-venues", "certificate-new", "job-registration", "home-visit-annual"] {
            #expect(services[id]?["entitled"] as? Bool == true, "\(id)")
        }
        // Level 3 and no household facts recorded.
        for id in ["pension-contribution-paid", "living-subsidy", "edge-family-allowance", "child-rehabilitation-0-6", "mental-medical-aid"] {
            #expect(services[id]?["entitled"] as? Bool == false, "\(id)")
            #expect(services[id]?["failedClause"] is String, "\(id)")
        }

        let human = try zhucan(["catalogue", "entitlements", "--dir", "ws", "--certificate", Self.demoNumber, "--at", "2026-03-01"])
        #expect(human.status == 0)
        let entitledCount = services.values.filter { $0["entitled"] as? Bool == true }.count
        #expect(human.text.hasPrefix("目录 pinghu-2026.5，2026-03-01：可享 \(entitledCount) 项，共 59 项 / catalogue pinghu-2026.5, 2026-03-01: entitled to \(entitledCount) of 59 services"), "\(human.text)")
        #expect(human.text.contains("✘ child-allowance: 低保及低保边缘家庭以外的重度"), "Chinese first: \(human.text)")
        let english = try zhucan(["catalogue", "entitlements", "--dir", "ws", "--certificate", Self.demoNumber, "--at", "2026-03-01", "--lang", "en"])
        #expect(english.text.hasPrefix("catalogue pinghu-2026.5, 2026-03-01: entitled to \(entitledCount) of 59 services\n"), "\(english.text)")
        #expect(!english.text.contains("须"), "--lang en: English only")
        #expect(human.text.contains("✔ free-bus"))
        #expect(human.text.contains("✘ child-allowance"))

        let unknown = try zhucan(["catalogue", "entitlements", "--dir", "ws", "--certificate", Self.citizenID("33048220000101002") + "43"])
        #expect(unknown.status != 0)
        let badDate = try zhucan(["catalogue", "entitlements", "--dir", "ws", "--certificate", Self.demoNumber, "--at", "2026-02-30"])
        #expect(badDate.status == 2)
    }

    @Test("a service code minted before midnight, at a changeover of editions that do not overlap, is judged after it by the edition it was minted under, on the day it was minted")
    func serviceCodeAcrossTheChangeover() throws {
        try demoWorkspace(publish: false)
        // An edition that ends today (China time), as pinghu-2026.5 ends on 31 December.
        let today = ChinaTime.date(of: Int64(Date().timeIntervalSince1970))
        let edition = try catalogueCopy("ends-today.json", [(#""validUntil": "2026-12-31""#, "\"validUntil\": \"\(today)\"")])
        #expect(try zhucan(["catalogue", "publish", "--dir", "ws", "--in", edition, "--tests", Self.testsFile]).status == 0)
        try issue()
        let output = try zhucan(["code", "service", "--dir", "ws", "--certificate", Self.demoNumber, "--service", "free-bus", "--ttl", "86400"])
        try #require(output.status == 0, "\(output.errorText)")
        try output.stdout.write(to: folder.url.appendingPathComponent("bus.txt"))
        // A second after the next midnight, China time: the edition has ended, the code lives on.
        let after = Date(timeIntervalSince1970: TimeInterval(ChinaTime.startOfDay(after: today) + 1)).ISO8601Format()
        let answer = try verify("bus.txt", ["--service", "free-bus", "--at", after])
        #expect(answer["reason"] as? String == "valid", "\(answer)")
        #expect(answer["catalogueVersion"] as? String == "pinghu-2026.5")
    }

    @Test("With editions published and none in force (next year's not yet published), a service code is refused, saying so, rather than minted under an edition every verifier would answer status_unknown to; an identity code is minted")
    func noServiceCodeWithoutAnEditionInForce() throws {
        try demoWorkspace(publish: false)
        let ended = try catalogueCopy("ended.json", [(#""validUntil": "2026-12-31""#, #""validUntil": "2026-06-30""#)])
        #expect(try zhucan(["catalogue", "publish", "--dir", "ws", "--in", ended, "--tests", Self.testsFile]).status == 0)
        try issue()
        let refused = try zhucan(["code", "service", "--dir", "ws", "--certificate", Self.demoNumber, "--service", "free-bus"])
        #expect(refused.status != 0 && refused.errorText.contains("no published catalogue is in force on"), "\(refused.text)\(refused.errorText)")
        #expect(try zhucan(["code", "identity", "--dir", "ws", "--certificate", Self.demoNumber]).status == 0)
    }

    @Test("household facts: 低保-edge recorded grants edge-family-allowance, and its service code verifies")
    func householdFactsAndServiceCode() throws {
        try demoWorkspace()
        try issue()
        let before = try entitlements(Self.demoNumber).services["edge-family-allowance"]
        #expect(before?["entitled"] as? Bool == false)
        #expect((before?["failedClause"] as? String)?.contains("household.dibaoEdge") == true)

        let recorded = try zhucan(["household", "--dir", "ws", "--certificate", Self.demoNumber, "--set", "dibaoEdge", "--unset", "dibao,singlePerson,distressedChild"])
        #expect(recorded.status == 0, "\(recorded.errorText)")
        #expect(recorded.text.contains("recorded: dibao=false, dibaoEdge=true, distressedChild=false, singlePerson=false"), "\(recorded.text)")

        // On a day of 2026: the holder, born 1970-11-21, is 60 from 2030-11-21, past the pension
        // subsidy's 16–59.
        let after = try entitlements(Self.demoNumber, at: "2026-12-01")
        #expect(after.services["edge-family-allowance"]?["entitled"] as? Bool == true)
        #expect(after.services["edge-family-allowance"]?["failedClause"] == nil)
        #expect(after.services["resident-pension-subsidy"]?["entitled"] as? Bool == true)  // level 3–4, 低保-edge, 16–59
        #expect(after.services["living-subsidy"]?["entitled"] as? Bool == false)  // recorded as not 低保

        let code = try serviceCode(Self.demoNumber, service: "edge-family-allowance")
        let answer = try verify(code, ["--service", "edge-family-allowance"])
        #expect(answer["reason"] as? String == "valid")
        #expect(answer["catalogueVersion"] as? String == "pinghu-2026.5")
        let service = try #require(answer["service"] as? [String: Any])
        #expect(service["id"] as? String == "edge-family-allowance")
        #expect(service["entitled"] as? Bool == true)
        #expect(service["failedClause"] == nil)

        // Without --service, the code's own service is judged.
        #expect(try verify(code)["reason"] as? String == "valid")

        // Facts recorded after minting do not change an issued code, but a new code follows them.
        let unset = try zhucan(["household", "--dir", "ws", "--certificate", Self.demoNumber, "--unset", "dibaoEdge"])
        #expect(unset.status == 0)
        #expect(try verify(code)["reason"] as? String == "valid")
        let newCode = try serviceCode(Self.demoNumber, service: "edge-family-allowance")
        let refused = try verify(newCode)
        #expect(refused["reason"] as? String == "not_entitled")
        #expect(((refused["service"] as? [String: Any])?["failedClause"] as? String)?.contains("household.dibaoEdge") == true)
    }

    @Test("household refuses unknown facts and an empty change with exit 2")
    func householdBadInput() throws {
        try demoWorkspace()
        try issue()
        let unknown = try zhucan(["household", "--dir", "ws", "--certificate", Self.demoNumber, "--set", "rich"])
        #expect(unknown.status == 2)
        #expect(unknown.errorText.contains("rich"))
        let empty = try zhucan(["household", "--dir", "ws", "--certificate", Self.demoNumber])
        #expect(empty.status == 2)
    }

    @Test("a service code for child-rehabilitation-0-6 held by an adult: not_entitled, with the age clause")
    func adultIsNotEntitledToChildRehabilitation() throws {
        try demoWorkspace()
        try issue()
        let code = try serviceCode(Self.demoNumber, service: "child-rehabilitation-0-6")
        let answer = try verify(code, ["--service", "child-rehabilitation-0-6"])
        #expect(answer["valid"] as? Bool == false)
        #expect(answer["reason"] as? String == "not_entitled")
        #expect(answer["catalogueVersion"] as? String == "pinghu-2026.5")
        let service = try #require(answer["service"] as? [String: Any])
        #expect(service["entitled"] as? Bool == false)
        let clause = try #require(service["failedClause"] as? String)
        #expect(clause.hasPrefix("$.and[0]"), "\(clause)")
        #expect(clause.contains("holder.age"), "\(clause)")

        // A code for another service is not accepted for this one.
        let bus = try serviceCode(Self.demoNumber, service: "free-bus")
        #expect(try verify(bus, ["--service", "child-rehabilitation-0-6"])["reason"] as? String == "wrong_service")
        #expect(try verify(bus, ["--service", "free-bus"])["reason"] as? String == "valid")

        let unknown = try zhucan(["code", "service", "--dir", "ws", "--certificate", Self.demoNumber, "--service", "no-such-service"])
        #expect(unknown.status == 2, "\(unknown.text)")
    }

    // A verifier that had no catalogue skipped the entitlement check and answered valid, and
    // the issuer mints a service code for any catalogue service: a node kept from the
    // catalogue (a 404 in the way) accepted anyone's code for anything.
    @Test("A verifier without the catalogue version a service code names answers status_unknown, not valid")
    func serviceCodeWithoutItsCatalogue() throws {
        try demoWorkspace()
        try issue()
        let bus = try serviceCode(Self.demoNumber, service: "free-bus")
        #expect(try verify(bus, ["--service", "free-bus"])["reason"] as? String == "valid")
        #expect(try zhucan(["trust-list", "publish", "--dir", "ws", "--out", "trust.txt"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "ws", "--out", "status.cwt"]).status == 0)
        let output = try zhucan(["verify", "@" + bus, "--json", "--service", "free-bus", "--trust-anchor", "ws/keys/root.pub.pem",
                                 "--trust-list", "trust.txt", "--status-list", "status.cwt"])
        let answer = try json(output)
        #expect(output.status == 1)
        #expect(answer["reason"] as? String == "status_unknown", "\(answer)")
        #expect((answer["detail"] as? String)?.contains("is not held") == true, "\(answer)")

        // With the edition as GET /v1/catalogue/1 serves it, checked under the trust list.
        let edition = try #require(try Registry(path: folder.path("ws/zhucan.db")).publication(.catalogue, sequence: 1)).text
        try Data(edition.utf8).write(to: folder.url.appendingPathComponent("catalogue-1.zc1"))
        let offline = ["--service", "free-bus", "--trust-anchor", "ws/keys/root.pub.pem", "--trust-list", "trust.txt", "--status-list", "status.cwt"]
        #expect(try verify(bus, offline + ["--catalogue", "catalogue-1.zc1"])["reason"] as? String == "valid")
        let forged = try zhucan(["verify", "@" + bus, "--catalogue", "trust.txt"] + offline)
        #expect(forged.status == 2, "a trust list is no catalogue: \(forged.errorText)")
        #expect(forged.errorText.contains("trust.txt"), "\(forged.errorText)")
        #expect(try zhucan(["verify", "@" + bus, "--catalogue", "catalogue-1.zc1", "--dir", "ws"]).status == 2, "--catalogue needs the lists it is checked under")
    }

    @Test("a child born 2019-03-01 is entitled to child-rehabilitation-0-6 on 2026-02-28, not on 2026-03-01")
    func childAgesOutByDate() throws {
        try demoWorkspace()
        let child = Self.boyID(born: "20190301")
        let issued = try issue(name: "王小宝", id: child, category: 5, level: 3)
        let number = try #require(issued["certificateNumber"] as? String)
        #expect(number == child + "53")

        let before = try entitlements(number, at: "2026-02-28").services
        #expect(before["child-rehabilitation-0-6"]?["entitled"] as? Bool == true)
        #expect(before["child-rehabilitation-7-17"]?["entitled"] as? Bool == false)
        let after = try entitlements(number, at: "2026-03-01").services
        #expect(after["child-rehabilitation-0-6"]?["entitled"] as? Bool == false)
        #expect((after["child-rehabilitation-0-6"]?["failedClause"] as? String)?.contains("holder.age") == true)
        #expect(after["child-rehabilitation-7-17"]?["entitled"] as? Bool == true)
    }

    /// The service code discloses the birth date, not the age, so a verifier judges the age on
    /// its own date: a code minted today for a child whose 7th birthday is tomorrow (China
    /// time) is entitled now and not entitled just after midnight, within the code's lifetime.
    @Test func serviceCodeJudgesTheAgeOnTheVerifierDate() throws {
        let calendar = Self.chinaCalendar()
        let now = Date()
        let tomorrow = try #require(calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now)))
        let birthday = calendar.dateComponents([.year, .month, .day], from: tomorrow)
        // No 7th birthday can fall on 29 February; such a day simply skips this test's check.
        guard birthday.month != 2 || birthday.day != 29, let year = birthday.year, let month = birthday.month, let day = birthday.day else { return }
        let born = String(format: "%04d%02d%02d", year - 7, month, day)

        try demoWorkspace()
        let issued = try issue(name: "王小宝", id: Self.boyID(born: born), category: 5, level: 3)
        let number = try #require(issued["certificateNumber"] as? String)
        let code = try serviceCode(number, service: "child-rehabilitation-0-6", ttl: 86_400)

        // Judged at `now`, not at whatever time the verify runs (midnight may pass meanwhile).
        let today = try verify(code, ["--service", "child-rehabilitation-0-6", "--at", ISO8601DateFormatter().string(from: now)])
        #expect(today["reason"] as? String == "valid", "\(today)")
        #expect((today["service"] as? [String: Any])?["entitled"] as? Bool == true)

        let justAfterMidnight = String(format: "%04d-%02d-%02dT00:00:30+08:00", year, month, day)
        let later = try verify(code, ["--service", "child-rehabilitation-0-6", "--at", justAfterMidnight])
        #expect(later["reason"] as? String == "not_entitled", "\(later)")
        #expect(((later["service"] as? [String: Any])?["failedClause"] as? String)?.contains("holder.age") == true)
    }

    /// Docs/catalogue.md §7: next year's edition published ahead of time changes nothing today:
    /// codes are minted under the edition in force on their day.
    @Test("a service code is minted under the edition in force, not a newer one published ahead of time")
    func editionPublishedAheadOfTime() throws {
        try demoWorkspace()
        try issue()
        let later = try catalogueCopy("later.json", [
            (#""catalogueVersion": "pinghu-2026.5""#, #""catalogueVersion": "pinghu-2098.1""#),
            (#""validFrom": "2026-01-01""#, #""validFrom": "2098-01-01""#),
            (#""validUntil": "2026-12-31""#, #""validUntil": "2098-12-31""#),
        ])
        let published = try zhucan(["catalogue", "publish", "--dir", "ws", "--in", later, "--tests", Self.testsFile])
        try #require(published.status == 0, "\(published.errorText)")
        let answer = try verify(try serviceCode(Self.demoNumber, service: "free-bus"), ["--service", "free-bus"])
        #expect(answer["reason"] as? String == "valid", "\(answer)")
        #expect(answer["catalogueVersion"] as? String == "pinghu-2026.5", "\(answer)")
    }

    /// Docs/catalogue.md §7: "A verifier accepts a code only if the version it names is in
    /// force at the validation date (validFrom ≤ date ≤ validUntil)."
    // MARK: - Coverage

    @Test("coverage counts match the holders' entitlements, and a redemption is counted as served")
    func coverage() throws {
        try demoWorkspace()
        let adult = try issue()
        let child = try issue(name: "王小宝", id: Self.boyID(born: "20190301"), category: 5, level: 3)
        let severe = try issue(name: "李大伟", id: Self.citizenID("33048219900615003"), category: 6, level: 1)
        let numbers = try [adult, child, severe].map { try #require($0["certificateNumber"] as? String) }
        let household = try zhucan(["household", "--dir", "ws", "--certificate", numbers[2], "--set", "dibao,needsLongTermCare", "--unset", "employed"])
        try #require(household.status == 0, "\(household.errorText)")

        let date = "2026-03-01"
        var expected: [String: Int] = [:]
        for number in numbers {
            for (id, item) in try entitlements(number, at: date).services where item["entitled"] as? Bool == true {
                expected[id, default: 0] += 1
            }
        }
        // Coverage counts benefits: the certificate procedures and assessments are offered, never owed.
        let procedures = ["certificate-new", "certificate-renewal-transfer", "certificate-replacement", "certificate-reassessment",
                          "certificate-cancellation", "assessment-booking", "home-assessment"]
        for id in procedures { expected[id] = nil }
        let output = try zhucan(["catalogue", "coverage", "--dir", "ws", "--at", date, "--json"])
        #expect(output.status == 0, "\(output.errorText)")
        let report = try json(output)
        #expect(report["catalogueVersion"] as? String == "pinghu-2026.5")
        #expect(report["date"] as? String == date)
        let services = try #require(report["services"] as? [[String: Any]])
        #expect(services.count == 52)
        #expect(!services.contains { procedures.contains($0["id"] as? String ?? "") }, "procedures are not in the coverage")
        for service in services {
            let id = try #require(service["id"] as? String)
            #expect(service["entitled"] as? Int == expected[id] ?? 0, "\(id)")
            #expect(service["served"] as? Int == 0, "\(id)")
            #expect((service["unserved"] as? [String])?.count == expected[id] ?? 0, "\(id)")
            // E-license identifiers: staff can follow them up; they name no person and no disability.
            for reference in service["unserved"] as? [String] ?? [] {
                #expect(!numbers.contains { reference.contains($0.prefix(18)) }, "a number in: \(reference)")
                #expect((try? ELicenseIdentifier(reference)) != nil, "not an e-license identifier: \(reference)")
            }
        }
        #expect(services.first { $0["id"] as? String == "child-rehabilitation-0-6" }?["entitled"] as? Int == 0)
        #expect(services.first { $0["id"] as? String == "child-rehabilitation-7-17" }?["entitled"] as? Int == 1)
        #expect(services.first { $0["id"] as? String == "free-bus" }?["entitled"] as? Int == 3)
        #expect(services.first { $0["id"] as? String == "care-subsidy" }?["entitled"] as? Int == 1)
        #expect(report["coveragePercent"] as? Double == 0)
        let total = expected.values.reduce(0, +)
        #expect(total > 30)

        // The day before the 7th birthday, the child is counted for 0–6 instead.
        let earlier = try json(try zhucan(["catalogue", "coverage", "--dir", "ws", "--at", "2026-02-28", "--json"]))
        let earlierServices = earlier["services"] as? [[String: Any]] ?? []
        #expect(earlierServices.first { $0["id"] as? String == "child-rehabilitation-0-6" }?["entitled"] as? Int == 1)
        #expect(earlierServices.first { $0["id"] as? String == "child-rehabilitation-7-17" }?["entitled"] as? Int == 0)

        // One free-bus ride redeemed by the adult.
        let registry = try Registry(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
        let license = try #require(adult["licenseId"] as? String)
        #expect(try registry.redeem(tokenID: "test-token-1", licenseID: license, service: "free-bus", verifier: "bus", at: 1_772_323_200))
        let served = try json(try zhucan(["catalogue", "coverage", "--dir", "ws", "--at", date, "--json"]))
        let bus = (served["services"] as? [[String: Any]] ?? []).first { $0["id"] as? String == "free-bus" }
        #expect(bus?["served"] as? Int == 1)
        #expect((bus?["unserved"] as? [String])?.count == 2)
        let percent = try #require(served["coveragePercent"] as? Double)
        #expect(abs(percent - 100.0 / Double(total)) < 1e-9, "\(percent)")

        let human = try zhucan(["catalogue", "coverage", "--dir", "ws", "--at", date])
        #expect(human.status == 0)
        let last = try #require(human.text.split(separator: "\n").last.map(String.init))
        #expect(last.hasPrefix(String(format: "覆盖率 %.1f%%（1 / %d 人次已享受），目录 pinghu-2026.5，2026-03-01", percent, total)), "\(last)")
        #expect(human.text.contains("可享 "), "\(human.text)")
        let english = try zhucan(["catalogue", "coverage", "--dir", "ws", "--at", date, "--lang", "en"])
        let lastEnglish = try #require(english.text.split(separator: "\n").last.map(String.init))
        #expect(lastEnglish.hasPrefix(String(format: "coverage %.1f%% (1 of %d entitlements served), catalogue pinghu-2026.5, 2026-03-01", percent, total)), "\(lastEnglish)")
        #expect(human.text.contains("free-bus"))
        #expect(!numbers.contains { human.text.contains($0) }, "a certificate number in clear")
        #expect(human.text.contains("尚未享受"), "\(human.text)")
        // --show 0: the counts alone, no empty list.
        let countsOnly = try zhucan(["catalogue", "coverage", "--dir", "ws", "--at", date, "--show", "0"])
        #expect(countsOnly.status == 0)
        #expect(!countsOnly.text.contains("尚未享受"), "\(countsOnly.text)")
        let negative = try zhucan(["catalogue", "coverage", "--dir", "ws", "--at", date, "--show", "-1"])
        #expect(negative.status == 2, "refused as a usage error, not a crash: \(negative.status)")
        #expect(negative.errorText.contains("--show"), "\(negative.errorText)")

        // Only active certificates count: a suspended holder is entitled to nothing until reinstated.
        #expect(try zhucan(["suspend", "--dir", "ws", "--certificate", numbers[1], "--reason", "review"]).status == 0)
        let suspended = try json(try zhucan(["catalogue", "coverage", "--dir", "ws", "--at", date, "--json"]))
        let suspendedServices = suspended["services"] as? [[String: Any]] ?? []
        #expect(suspendedServices.first { $0["id"] as? String == "free-bus" }?["entitled"] as? Int == 2)
        #expect(suspendedServices.first { $0["id"] as? String == "child-rehabilitation-7-17" }?["entitled"] as? Int == 0)
    }

    @Test("discover records since when each entitlement holds: kept across runs, new ones from the run, and lost ones removed (a revoked holder, a service the catalogue dropped)")
    func discoverKeepsEntitlementsAcrossRuns() throws {
        try demoWorkspace()
        let adult = try #require(try issue()["certificateNumber"] as? String)
        let severe = try #require(try issue(name: "李大伟", id: Self.citizenID("33048219900615003"), category: 6, level: 1)["certificateNumber"] as? String)
        let (adultID, severeID) = (String(adult.prefix(18)), String(severe.prefix(18)))
        // Today: only a discovery of today is recorded.
        let date = ChinaTime.date(of: Int64(Date().timeIntervalSince1970)).description
        let procedures: Set = ["certificate-new", "certificate-renewal-transfer", "certificate-replacement", "certificate-reassessment",
                               "certificate-cancellation", "assessment-booking", "home-assessment"]
        func entitled(_ number: String) throws -> Set<String> {
            Set(try entitlements(number, at: date).services.filter { $0.value["entitled"] as? Bool == true }.keys).subtracting(procedures)
        }
        func discover() throws {
            let output = try zhucan(["catalogue", "discover", "--dir", "ws", "--at", date, "--json", "--by", "clerk", "--purpose", "test"])
            try #require(output.status == 0, "\(output.errorText)")
        }
        let database = try DatabaseQueue(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
        func recorded() throws -> [String: [String: Int64]] {
            try database.read { db in
                var all: [String: [String: Int64]] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT citizen_id, service, since FROM entitlement") {
                    all[row["citizen_id"], default: [:]][row["service"]] = row["since"]
                }
                return all
            }
        }

        try discover()
        let first = try recorded()
        #expect(Set(first[adultID]?.keys ?? [:].keys) == (try entitled(adult)))
        #expect(Set(first[severeID]?.keys ?? [:].keys) == (try entitled(severe)))

        // The table as a registry older than `2026-12-04-entitlement-without-rowid` has it: the
        // next command migrates it, rows and all.
        try database.write { db in
            try db.execute(sql: """
                CREATE TABLE entitlement_rowid (
                    citizen_id TEXT NOT NULL, service TEXT NOT NULL, since INTEGER NOT NULL, PRIMARY KEY (citizen_id, service));
                INSERT INTO entitlement_rowid SELECT citizen_id, service, since FROM entitlement;
                DROP TABLE entitlement;
                ALTER TABLE entitlement_rowid RENAME TO entitlement;
                DELETE FROM grdb_migrations WHERE identifier = '2026-12-04-entitlement-without-rowid';
                """)
        }
        // A day earlier, and a service the catalogue does not have; then the adult's household
        // is on 低保 (new benefits) and the severe holder's certificate is revoked.
        try database.write { db in
            try db.execute(sql: "UPDATE entitlement SET since = since - 86400")
            try db.execute(sql: "INSERT INTO entitlement (citizen_id, service, since) VALUES (?, 'retired-service', 1)", arguments: [adultID])
        }
        let before = try entitled(adult)
        #expect(try zhucan(["household", "--dir", "ws", "--certificate", adult, "--set", "dibao"]).status == 0)
        #expect(try zhucan(["revoke", "--dir", "ws", "--certificate", severe, "--reason", "test"]).status == 0)
        let after = try entitled(adult)
        #expect(!after.subtracting(before).isEmpty, "低保 brings new benefits")
        let secondRun = Int64(Date().timeIntervalSince1970)
        try discover()
        let second = try recorded()

        let table = try database.read { try String.fetchOne($0, sql: "SELECT sql FROM sqlite_master WHERE name = 'entitlement'") }
        #expect(table?.hasSuffix("WITHOUT ROWID") == true, "\(table ?? "no table")")
        #expect(second[severeID] == nil, "a revoked holder is entitled to nothing")
        #expect(Set(second[adultID]?.keys ?? [:].keys) == after, "the catalogue's benefits only: the retired service is gone")
        for service in after {
            let since = try #require(second[adultID]?[service])
            if before.contains(service) {
                #expect(since == first[adultID]?[service].map { $0 - 86_400 }, "\(service) keeps its date")
            } else {
                #expect(since >= secondRun, "\(service) is new with this run")
            }
        }
    }

    // Coverage, the plan, discovery, entitlements and the window's lookup checked only that a
    // certificate was active: one that had run out (there is no "expired" state) or had not
    // started was counted as entitled and unserved, and listed for contact.
    @Test("A certificate out of its validity on the day entitles to no benefit: coverage, discovery and entitlements agree; renewal is still offered")
    func certificatesOutOfTheirValidityEntitleToNothing() throws {
        try demoWorkspace()
        let today = ChinaTime.date(of: Int64(Date().timeIntervalSince1970))
        func day(_ offset: Int) -> String { ChinaTime.date(of: ChinaTime.startOfDay(today) + Int64(offset) * 86_400).description }
        // Ends tomorrow: its start is ten years before tomorrow (or that month's last day).
        let tomorrow = try CivilDate(day(1))
        let start = try CivilDate(year: tomorrow.year - 10, month: tomorrow.month, day: min(tomorrow.day, CivilDate.daysInMonth(year: tomorrow.year - 10, month: tomorrow.month)))
        func issue(_ name: String, _ id: String, from: String) throws -> (number: String, validUntil: String) {
            let output = try zhucan(["issue", "--dir", "ws", "--name", name, "--id-number", id, "--category", "4", "--level", "3",
                                     "--region", "330482", "--valid-from", from, "--json"])
            try #require(output.status == 0, "\(output.errorText)")
            let answer = try json(output)
            return (try #require(answer["certificateNumber"] as? String), try #require(answer["validUntil"] as? String))
        }
        let (ending, endingUntil) = try issue("王小明", Self.demoID, from: start.description)
        let starting = try issue("李大伟", Self.citizenID("33048219900615003"), from: day(30)).number
        let now = try issue("张小红", Self.citizenID("33048219850301002"), from: today.description).number

        func entitledToBus(_ number: String, at date: String) throws -> Bool {
            try entitlements(number, at: date).services["free-bus"]?["entitled"] as? Bool == true
        }
        func busEntitled(at date: String) throws -> Int? {
            let coverage = try json(try zhucan(["catalogue", "coverage", "--dir", "ws", "--at", date, "--json"]))
            return (coverage["services"] as? [[String: Any]])?.first { $0["id"] as? String == "free-bus" }?["entitled"] as? Int
        }
        // Today: the first and the third; in 40 days: the second and the third.
        #expect(try busEntitled(at: day(0)) == 2)
        #expect(try busEntitled(at: day(40)) == 2)
        for (number, todayAnswer, laterAnswer) in [(ending, true, false), (starting, false, true), (now, true, true)] {
            let (answerToday, answerLater) = (try entitledToBus(number, at: day(0)), try entitledToBus(number, at: day(40)))
            #expect(answerToday == todayAnswer && answerLater == laterAnswer, "\(number)")
        }
        let expired = try entitlements(ending, at: day(40)).services
        // (Tomorrow, or the 28th when tomorrow is 29 February.)
        #expect(endingUntil <= tomorrow.description && endingUntil >= day(0))
        #expect((expired["free-bus"]?["failedReason"] as? String)?.contains("expired after \(endingUntil)") == true, "\(expired["free-bus"] ?? [:])")
        #expect(expired["certificate-renewal-transfer"]?["entitled"] as? Bool == true, "an expired certificate is renewed")

        // Discovery in 40 days lists the starting holder, not the one whose certificate ended,
        // and, a day to come, records nothing.
        let database = try DatabaseQueue(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
        let discovered = try json(try zhucan(["catalogue", "discover", "--dir", "ws", "--at", day(40), "--service", "free-bus",
                                              "--json", "--by", "clerk", "--purpose", "test"]))
        let listed = Set(((discovered["holders"] as? [[String: String]]) ?? []).compactMap { $0["certificate"] })
        #expect(listed == [starting, now], "\(listed)")
        #expect(((discovered["holders"] as? [[String: String]]) ?? []).allSatisfy { $0["since"]?.hasPrefix(day(40)) == true })
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM entitlement") } == 0, "a what-if records nothing")
        // Nor does a day past (it would drop whoever was certified since).
        #expect(try zhucan(["catalogue", "discover", "--dir", "ws", "--at", day(-1), "--json", "--by", "clerk", "--purpose", "test"]).status == 0)
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM entitlement") } == 0, "a day past records nothing")
        // Today's discovery records.
        #expect(try zhucan(["catalogue", "discover", "--dir", "ws", "--service", "free-bus", "--json", "--by", "clerk", "--purpose", "test"]).status == 0)
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM entitlement WHERE service = 'free-bus'") } == 2)
    }

    // `issue --valid-from` took any date: before the holder's birth, a certificate that had
    // already expired, or 9995 (which failed after reserving a status index).
    @Test("issue --valid-from refuses a start before birth, more than a year ahead, or so early the certificate has expired, and reserves nothing")
    func validFromIsChecked() throws {
        try demoWorkspace()
        for (start, message) in [("1969-12-31", "before the holder's birth date"), ("9995-06-01", "more than a year ahead"),
                                 ("2010-01-01", "would already have expired")] {
            let refused = try zhucan(["issue", "--dir", "ws", "--name", "王小明", "--id-number", Self.demoID, "--category", "4",
                                      "--level", "3", "--region", "330482", "--valid-from", start])
            #expect(refused.status == 2, "\(start)")
            #expect(refused.errorText.contains(message), "\(start): \(refused.errorText)")
        }
        #expect(try issue()["statusIndex"] as? Int == 0, "no status index was reserved by a refusal")
    }

    @Test("discover writes the same list, in the same order (benefit, then date, then certificate number), as JSON, CSV and a workbook of mode 0600")
    func discoverListInEveryFormat() throws {
        try demoWorkspace()
        let first = try #require(try issue(name: "欧阳小明", id: Self.citizenID("33048219900615003"))["certificateNumber"] as? String)
        let second = try #require(try issue()["certificateNumber"] as? String)
        let arguments = ["catalogue", "discover", "--dir", "ws", "--at", "2026-03-01", "--by", "clerk", "--purpose", "test"]
        let printed = try json(try zhucan(arguments + ["--json"]))
        let holders = try #require(printed["holders"] as? [[String: String]])
        #expect(printed["catalogueVersion"] as? String != nil && printed["since"] is NSNull)
        let keys = ["service", "name", "certificate", "holder", "idNumber", "region", "category", "level", "sscCard", "since"]
        let rows = holders.map { holder in keys.map { holder[$0] ?? "" } }
        #expect(rows.count > 2 && Set(rows.map { $0[2] }) == [first, second])
        let services = rows.map { $0[0] }
        #expect(zip(services, services.dropFirst()).filter { $0 != $1 }.count + 1 == Set(services).count, "each benefit's holders together")
        for (a, b) in zip(rows, rows.dropFirst()) where a[0] == b[0] {
            #expect(a[2] < b[2], "\(a[0]): by certificate number")
        }
        for file in ["list.csv", "list.xlsx"] {
            let written = try zhucan(arguments + ["--out", file])
            #expect(written.status == 0, "\(written.errorText)")
            let table = try SpreadsheetTable(contentsOf: folder.url.appendingPathComponent(file))
            #expect(table.records.first?.cells.first == "事项编号 service")
            #expect(table.records.dropFirst().map(\.cells) == rows, "\(file)")
            let mode = try FileManager.default.attributesOfItem(atPath: folder.url.appendingPathComponent(file).path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file): a list of people is readable by its owner only")
        }
        let empty = try json(try zhucan(arguments + ["--json", "--since", "2099-01-01"]))
        #expect((empty["holders"] as? [Any])?.isEmpty == true)
    }

    @Test("discover --out leaves no file when the listing cannot be logged: a list that left is a list that is logged")
    func discoverUnloggedLeavesNoFile() throws {
        try demoWorkspace()
        try issue()
        // An entry written behind the registry's back: the log then refuses to grow.
        let database = try DatabaseQueue(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
        try database.write { db in
            let next = try Int64.fetchOne(db, sql: "SELECT COUNT(*) FROM log_entry") ?? 0
            try db.execute(sql: "INSERT INTO log_entry (idx, kind, data) VALUES (?, 'revoked', x'a0')", arguments: [next])
        }
        let exportsBefore = try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM event WHERE kind = 'personal-data-exported'") }
        for file in ["list.csv", "list.xlsx"] {
            let written = try zhucan(["catalogue", "discover", "--dir", "ws", "--at", "2026-03-01", "--by", "clerk", "--purpose", "test", "--out", file])
            #expect(written.status != 0)
            #expect(written.errorText.contains("outside Zhucan"), "\(written.errorText)")
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains("list") }
        #expect(left.isEmpty, "an unlogged list of people was left: \(left)")
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM event WHERE kind = 'personal-data-exported'") } == exportsBefore)
    }

    @Test("coverage and entitlements need a published catalogue")
    func coverageWithoutCatalogue() throws {
        try demoWorkspace(publish: false)
        try issue()
        let coverage = try zhucan(["catalogue", "coverage", "--dir", "ws"])
        #expect(coverage.status != 0)
        #expect(coverage.errorText.contains("publish"), "\(coverage.errorText)")
        let entitlements = try zhucan(["catalogue", "entitlements", "--dir", "ws", "--certificate", Self.demoNumber])
        #expect(entitlements.status != 0)
    }
}
