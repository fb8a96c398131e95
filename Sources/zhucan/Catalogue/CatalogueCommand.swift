import ArgumentParser
import Foundation
import ZhucanCatalogue
import ZhucanCertLogic
import ZhucanIdentifiers
import ZhucanIssuer

/// `zhucan catalogue`: the one-thing service catalogue.
struct CatalogueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalogue",
        abstract: "The one-thing service catalogue (残疾人服务\"一件事\"): publish, list, test rules, entitlements, coverage.",
        subcommands: [Publish.self, List.self, Show.self, Test.self, Entitlements.self, Coverage.self, DiscoverCommand.self]
    )

    /// `zhucan catalogue publish`.
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate, sign and publish a catalogue file as the workspace's current catalogue.",
            discussion: "Checks every field, unique ids, every rule, and the rule tests (FILE with .tests.json, or --tests). Earlier versions stay readable."
        )
        @OptionGroup var workspace: WorkspaceOption
        @Option(name: .customLong("in"), help: ArgumentHelp("The catalogue JSON file.", valueName: "file")) var input: String
        @Option(help: ArgumentHelp("Its rule tests (default: FILE with .json replaced by .tests.json).", valueName: "file")) var tests: String?

        func run() async throws {
            let opened = try workspace.open()
            let data = Data(try Files.read(input, what: "catalogue"))
            let testsPath = tests ?? (input.hasSuffix(".json") ? String(input.dropLast(5)) + ".tests.json" : input + ".tests.json")
            let testData = Data(try Files.read(testsPath, what: "catalogue tests"))
            let (catalogue, publication) = try CommandFailure.mappingIssuerErrors {
                try opened.publishCatalogue(data, tests: testData, now: Clock.now)
            }
            print(LanguageOption.Language.current.render(
                "已发布目录 \(catalogue.version)（\(catalogue.services.count) 项，第 \(publication.sequence) 版），有效期 \(catalogue.validFrom) 至 \(catalogue.validUntil) / published catalogue \(catalogue.version) (\(catalogue.services.count) services, sequence \(publication.sequence)), valid \(catalogue.validFrom) … \(catalogue.validUntil)"))
        }
    }

    /// `zhucan catalogue list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the services of the current catalogue (or of a file with --file).")
        @OptionGroup var workspace: WorkspaceOption
        @Option(help: ArgumentHelp("Read a catalogue file instead of the workspace.", valueName: "file")) var file: String?
        @Flag(help: "List every published version instead.") var versions = false

        func run() async throws {
            if versions {
                let opened = try workspace.open()
                for (catalogue, publication) in try CommandFailure.mappingIssuerErrors({ try opened.catalogues() }) {
                    print("\(publication.sequence)\t\(catalogue.version)\t\(catalogue.services.count) services\tpublished \(Date(timeIntervalSince1970: TimeInterval(publication.issuedAt)))")
                }
                return
            }
            let catalogue = try CatalogueSource.load(file: file, workspace: workspace)
            print("catalogue \(catalogue.version): \(catalogue.issuer.zh) / \(catalogue.issuer.en), valid \(catalogue.validFrom) … \(catalogue.validUntil)")
            for service in catalogue.services {
                print("\(service.id.padding(toLength: 34, withPad: " ", startingAt: 0)) \(service.name.zh) / \(service.name.en)\(service.isOneTime ? "  [one-time]" : "")")
            }
        }
    }

    /// `zhucan catalogue show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one service: name, department, basis, benefit, materials, rule.")
        @OptionGroup var workspace: WorkspaceOption
        @Argument(help: "Service id.") var id: String
        @Option(help: ArgumentHelp("Read a catalogue file instead of the workspace.", valueName: "file")) var file: String?

        func run() async throws {
            let catalogue = try CatalogueSource.load(file: file, workspace: workspace)
            guard let service = catalogue.service(id) else { throw CommandFailure.negative("目录 \(catalogue.version) 中没有事项 \"\(id)\" / no service \"\(id)\" in catalogue \(catalogue.version)") }
            var benefit = service.benefit.description.zh + " / " + service.benefit.description.en
            if let amount = service.benefit.amount {
                benefit = "\(amount) \(service.benefit.currency ?? "") per \(service.benefit.period ?? "-") — " + benefit
            }
            print("""
                \(service.id): \(service.name.zh) / \(service.name.en)
                department:  \(service.department.zh) / \(service.department.en)
                basis:       \(service.basis)
                benefit:     \(benefit)
                materials:   \(service.materials.map(\.zh).joined(separator: "、"))
                one-time:    \(service.isOneTime ? "yes" : "no")
                rule source: \(service.ruleSource.rawValue)\(service.ruleNote.map { " — \($0.zh)" } ?? "")
                rule:        \(service.rule.jsonString)
                """)
        }
    }

    /// `zhucan catalogue test`.
    struct Test: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run CertLogic test suites (the format of the CertLogic test suite); exit 1 if any assertion fails.",
            discussion: "Ends with `N passed, M failed`."
        )
        @Argument(help: ArgumentHelp("Test suite files.", valueName: "file")) var files: [String]
        @Flag(help: "Print every assertion, not only failures.") var verbose = false

        func run() async throws {
            var passed = 0, failed = 0, skipped = 0
            for file in files {
                let suite: CertLogicTestSuite
                do {
                    suite = try CertLogicTestSuite(parsing: Data(try Files.read(file, what: "test suite")))
                } catch let error as CertLogicError {
                    throw CommandFailure.input("\(file): \(error.reason)")
                }
                let report = suite.run()
                for result in report.results {
                    switch result.outcome {
                    case .passed: if verbose { print("ok   \(file): \(result)") }
                    case .skipped: if verbose { print("skip \(file): \(result)") }
                    default: print("FAIL \(file): \(result)")
                    }
                }
                passed += report.passedCount
                failed += report.failedCount
                skipped += report.skippedCount
            }
            print("\(passed) passed, \(failed) failed\(skipped > 0 ? ", \(skipped) skipped" : "")")
            if failed > 0 { throw CommandFailure.negative("\(failed) assertion(s) failed") }
        }
    }

    /// `zhucan catalogue entitlements`.
    struct Entitlements: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every service a holder is entitled to; for the others, the first rule clause that excluded them."
        )
        @OptionGroup var workspace: WorkspaceOption
        @Option(help: ArgumentHelp("Certificate number.", valueName: "number")) var certificate: String
        @Option(help: ArgumentHelp("Date to judge at, yyyy-MM-dd (default: today).", valueName: "date")) var at: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var language: LanguageOption

        func run() async throws {
            let opened = try workspace.open()
            let date = try CatalogueSource.date(at)
            let (catalogue, entitlements) = try CommandFailure.mappingIssuerErrors {
                try opened.entitlements(certificateNumber: certificate, on: date)
            }
            if json {
                try JSONOutput.print([
                    "catalogueVersion": catalogue.version, "date": date.description,
                    "services": entitlements.map { entitlement -> [String: Any] in
                        var object: [String: Any] = ["id": entitlement.service.id, "name": entitlement.service.name.zh, "entitled": entitlement.isEntitled]
                        object["failedClause"] = entitlement.failedClause
                        object["failedReason"] = entitlement.failedReason
                        return object
                    },
                ])
                return
            }
            let entitled = entitlements.filter(\.isEntitled)
            print(language.say(
                "目录 \(catalogue.version)，\(date)：可享 \(entitled.count) 项，共 \(entitlements.count) 项",
                "catalogue \(catalogue.version), \(date): entitled to \(entitled.count) of \(entitlements.count) services"))
            for entitlement in entitled {
                print("  ✔ \(entitlement.service.id): \(language.say(entitlement.service.name.zh, entitlement.service.name.en))")
            }
            for entitlement in entitlements where !entitlement.isEntitled {
                let clause = entitlement.failedClause ?? "the rule"
                let reason = entitlement.failedReason.map { language.lang == .en ? String($0.split(separator: " / ", maxSplits: 1).last ?? Substring($0)) : $0 }
                let why = reason.map { "\($0) [\(clause)]" } ?? language.say("不符合 \(clause)", "excluded by \(clause)")
                print("  ✘ \(entitlement.service.id): \(language.lang == .en ? entitlement.service.name.en : entitlement.service.name.zh) — \(why)")
            }
        }
    }

    /// `zhucan catalogue coverage`.
    struct Coverage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "For every service: holders entitled, holders served, and those entitled but not yet served (by e-license identifier).",
            discussion: "The \"collect precisely, judge automatically\" report (精准采集、自动研判): a total coverage percentage at the end."
        )
        @OptionGroup var workspace: WorkspaceOption
        @Option(help: ArgumentHelp("Date to judge at, yyyy-MM-dd (default: today).", valueName: "date")) var at: String?
        @Option(help: "How many unserved holders to list per service (all with --json).") var show = 5
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var language: LanguageOption
        @OptionGroup var database: DatabaseOption

        /// A service's line of `--json`.
        struct ServiceLine: Encodable {
            let id: String
            let entitled: Int
            let served: Int
            let unserved: [String]
        }

        func validate() throws {
            guard show >= 0 else { throw ValidationError("--show is how many holders to list per service: 0 or more") }
        }

        func run() async throws {
            let opened = try workspace.open()
            let date = try CatalogueSource.date(at)
            let started = Date()
            let redemptions = try await database.redemptions(through: date, logger: DatabaseOption.commandLogger)
            let (catalogue, services) = try CommandFailure.mappingIssuerErrors { try opened.coverage(on: date, redemptions: redemptions) }
            let entitled = services.reduce(0) { $0 + $1.entitled }, served = services.reduce(0) { $0 + $1.served }
            let percent = entitled == 0 ? 100.0 : 100.0 * Double(served) / Double(entitled)
            if json {
                // A service at a time: at a million holders the lists name some fifteen million.
                try JSONOutput.print(
                    ["catalogueVersion": catalogue.version, "date": date.description, "coveragePercent": percent],
                    streaming: "services",
                    services.lazy.map { ServiceLine(id: $0.service.id, entitled: $0.entitled, served: $0.served, unserved: $0.unserved) }
                )
                return
            }
            for service in services {
                let preview = service.unserved.prefix(show).joined(separator: ", ") + (service.unserved.count > show ? ", …" : "")
                let counts = language.say("可享 \(service.entitled) 人，已享受 \(service.served) 人", "entitled \(service.entitled), served \(service.served)")
                let pending = service.unserved.isEmpty || show <= 0 ? "" : "; " + language.say("尚未享受", "not yet served") + ": \(preview)"
                print("\(service.service.id.padding(toLength: 34, withPad: " ", startingAt: 0)) \(counts)\(pending)")
            }
            let seconds = Date().timeIntervalSince(started)
            print(language.say(
                String(format: "覆盖率 %.1f%%（%d / %d 人次已享受），目录 %@，%@，用时 %.2f 秒", percent, served, entitled, catalogue.version, date.description, seconds),
                String(format: "coverage %.1f%% (%d of %d entitlements served), catalogue %@, %@ — computed in %.2f s",
                       percent, served, entitled, catalogue.version, date.description, seconds)))
        }
    }
}

/// Where a catalogue command reads its catalogue and date from.
enum CatalogueSource {
    static func load(file: String?, workspace: WorkspaceOption) throws -> Catalogue {
        if let file {
            do {
                return try Catalogue(parsing: Data(try Files.read(file, what: "catalogue")))
            } catch let error as CatalogueError {
                throw CommandFailure.input("\(file): \(error.reason)")
            }
        }
        let opened = try workspace.open()
        guard let catalogue = try CommandFailure.mappingIssuerErrors({ try opened.currentCatalogue() }) else {
            throw CommandFailure.negative("本工作区尚未发布服务目录 / no catalogue is published in this workspace; publish one with `zhucan catalogue publish`")
        }
        return catalogue
    }

    static func date(_ text: String?) throws -> CivilDate {
        guard let text else { return CivilDate.today() }
        guard let date = try? CivilDate(text) else { throw CommandFailure.input("--at 须为 yyyy-MM-dd 格式的日期 / --at must be yyyy-MM-dd") }
        return date
    }
}
