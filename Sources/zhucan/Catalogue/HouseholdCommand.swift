import ArgumentParser
import Foundation
import ZhucanCatalogue
import ZhucanIdentifiers
import ZhucanIssuer

/// `zhucan household`: the household facts catalogue rules read (精准采集), one holder at a time
/// (`set`, the default) or from an extract in bulk (`import`).
struct HouseholdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "household",
        abstract: "Household facts (低保, 低保边缘, 困境儿童, employed, …) that eligibility rules read: one holder, or a whole extract.",
        discussion: "Facts: \(HouseholdFact.allCases.map { "\($0.rawValue) (\($0.columnName))" }.joined(separator: ", ")). A fact never recorded reads as unknown, which grants nothing.",
        subcommands: [SetFacts.self, Import.self],
        defaultSubcommand: SetFacts.self
    )

    /// `zhucan household set` (also `zhucan household --certificate …`).
    struct SetFacts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "set", abstract: "Record household facts of one holder.")

        @OptionGroup var workspace: WorkspaceOption

        @Option(help: ArgumentHelp("Certificate number.", valueName: "number"))
        var certificate: String

        @Option(name: .customLong("set"), help: ArgumentHelp("Facts that are true, comma-separated.", valueName: "facts"))
        var trueFacts: String?

        @Option(name: .customLong("unset"), help: ArgumentHelp("Facts that are false, comma-separated.", valueName: "facts"))
        var falseFacts: String?

        func run() async throws {
            var facts: [HouseholdFact: Bool] = [:]
            for (list, value) in [(trueFacts, true), (falseFacts, false)] {
                for name in (list ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                    guard let fact = HouseholdFact(rawValue: name) ?? HouseholdFact.allCases.first(where: { $0.columnName == name || $0.words.zh == name }) else {
                        throw CommandFailure.input("未知的家庭信息 \"\(name)\" / unknown fact \"\(name)\"; known: \(HouseholdFact.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    facts[fact] = value
                }
            }
            guard !facts.isEmpty else { throw CommandFailure.input("请给出 --set 和/或 --unset / give --set and/or --unset") }
            let opened = try workspace.open()
            try CommandFailure.mappingIssuerErrors { try opened.setHouseholdFacts(certificateNumber: certificate, facts: facts, now: Clock.now) }
            print("已记录 / recorded: " + facts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: ", "))
        }
    }

    /// `zhucan household import`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import household facts in bulk from a Civil Affairs or social-insurance extract (.xlsx or CSV), then re-judge entitlements.",
            discussion: """
                Columns: 身份证号 (or idNumber), then one column per fact, headed by its key or Chinese name \
                (\(HouseholdFact.allCases.map { "\($0.rawValue)/\($0.columnName)" }.joined(separator: ", "))). \
                Values 是/否 or true/false; an empty cell leaves the fact unchanged. All or nothing: one bad row and \
                nothing is written, every bad row named by row and column. Ends with the holders newly entitled per service.
                """
        )

        @OptionGroup var workspace: WorkspaceOption
        @Option(help: ArgumentHelp("The extract: .xlsx, or CSV in UTF-8 or GB18030.", valueName: "file")) var file: String
        @Option(help: ArgumentHelp("Where the facts come from, e.g. 民政局低保名册 (default: the file name).", valueName: "name")) var source: String?
        @Option(name: .customLong("as-of"), help: ArgumentHelp("The date the extract holds on, yyyy-MM-dd (default: today).", valueName: "date")) var asOf: String?
        @Option(help: ArgumentHelp("Date to judge entitlements at, yyyy-MM-dd (default: today).", valueName: "date")) var at: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var language: LanguageOption

        func run() async throws {
            let asOfDate = try PersonListInput.date(asOf, option: "--as-of")
            let judgeDate = try PersonListInput.date(at, option: "--at")
            let opened = try workspace.open()
            let source = try PersonListInput.source(self.source, file: file)
            let list = try PersonListInput.read(file, columns: Workspace.householdColumns, rules: Workspace.householdRules, language: language)
            let report = try CommandFailure.mappingIssuerErrors {
                try opened.importHouseholdFacts(list, source: source, asOf: asOfDate, on: judgeDate, now: Clock.now)
            }
            if json {
                try JSONOutput.print([
                    "people": report.people, "facts": report.facts, "withoutCertificate": report.withoutCertificate,
                    "source": source, "asOf": asOfDate.description, "catalogueVersion": report.catalogueVersion, "date": judgeDate.description,
                    "services": report.changes.map { ["id": $0.service.id, "newlyEntitled": $0.gained, "noLongerEntitled": $0.lost] },
                ])
                return
            }
            print(language.say(
                "已导入 \(report.people) 人、\(report.facts) 项家庭信息（来源 \(source)，截至 \(asOfDate)；\(list.source)）",
                "imported \(report.facts) facts of \(report.people) people (source \(source), as of \(asOfDate); \(list.source))"))
            if report.withoutCertificate > 0 {
                print(language.say("其中 \(report.withoutCertificate) 人暂无有效残疾人证，信息已保存", "\(report.withoutCertificate) of them hold no live certificate; their facts are kept"))
            }
            let changed = report.changes.filter { $0.gained > 0 || $0.lost > 0 }
            if changed.isEmpty {
                print(language.say("可享事项无变化（目录 \(report.catalogueVersion)）", "no entitlement changed (catalogue \(report.catalogueVersion))"))
            }
            for change in changed {
                var line = "  \(change.service.id)  \(language.lang == .en ? change.service.name.en : change.service.name.zh)："
                line += language.say("新增可享 \(change.gained) 人", "newly entitled \(change.gained)")
                if change.lost > 0 { line += "；" + language.say("不再可享 \(change.lost) 人", "no longer entitled \(change.lost)") }
                print(line)
            }
        }
    }
}
