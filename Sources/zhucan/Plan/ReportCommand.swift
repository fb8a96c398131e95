import ArgumentParser
import Foundation
import ZhucanCatalogue
import ZhucanIssuer
import ZhucanSpreadsheet

/// `zhucan report`: reports for the federation.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Reports for the federation: the plan's targets.",
        subcommands: [Plan.self]
    )

    /// `zhucan report plan`.
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The plan's figures, each beside its target in the plan: e-certificate share, catalogue coverage, employment, entitled → served per service.",
            discussion: """
                The e-certificate share divides the certified persons holding an active certificate by the roster \
                (zhucan roster import) or by --certified-persons. Served means a redeemed service code or a recorded \
                delivery (zhucan served import). The plan is a draft for review (送审稿) for 2021–2025.
                """
        )

        @OptionGroup var workspace: WorkspaceOption
        @Option(help: ArgumentHelp("Date to judge at, yyyy-MM-dd (default: today).", valueName: "date")) var at: String?
        @Option(name: .customLong("certified-persons"), help: ArgumentHelp("The number of certified persons, instead of the roster.", valueName: "n"))
        var certifiedPersons: Int?
        @Option(help: ArgumentHelp("Also write the report to a file (.xlsx or .csv).", valueName: "file")) var out: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var language: LanguageOption
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            if let certifiedPersons, certifiedPersons <= 0 { throw CommandFailure.input("--certified-persons 须为正数 / --certified-persons must be positive") }
            let date = try PersonListInput.date(at, option: "--at")
            if let out { try Files.checkTableOutput(out) }
            let opened = try workspace.open()
            let redemptions = try await database.redemptions(through: date, logger: DatabaseOption.commandLogger)
            let report = try CommandFailure.mappingIssuerErrors {
                try opened.planReport(on: date, certifiedPersons: certifiedPersons, redemptions: redemptions)
            }
            let lines = Self.lines(report)
            if let out {
                try Files.writeTable(header: lines[0], rows: lines.dropFirst(), sheetName: "规划指标", to: out)
            }
            if json {
                try JSONOutput.print(Self.json(report))
                return
            }
            print(language.say(
                "\(report.targets.title)（\(report.targets.status)，\(report.targets.period)）— 目录 \(report.catalogueVersion)，\(report.date)",
                "\(report.targets.title) (draft for review, \(report.targets.period)) — catalogue \(report.catalogueVersion), \(report.date)"))
            for (index, line) in lines.dropFirst().enumerated() {
                if index == 4 { print(language.say("各事项 可享 → 已享受：", "entitled → served per service:")) }
                let met = line[4] == "—" ? "" : "  " + (line[4].hasPrefix("是") ? language.say("达标", "met") : language.say("未达标", "not met"))
                let target = line[3] == "—" ? "" : "  " + language.say("目标", "target") + " \(line[3])"
                print("  \(line[0])：\(line[1])（\(line[2])）\(target)\(met)")
            }
            if report.certifiedPersonsSource == "none" {
                print(language.say("未导入持证人员名册：电子证照覆盖率无法计算（zhucan roster import，或 --certified-persons N）",
                                   "no roster: the e-certificate share needs `zhucan roster import` or --certified-persons N"))
            }
            if !report.missingItems.isEmpty {
                print(language.say("目录尚未包含的规划事项：", "plan items not in the catalogue:") + " " + report.missingItems.map(\.zh).joined(separator: "、"))
            }
            for target in report.targets.unmeasured {
                print(language.say("无法由登记库计算：", "not measured from the registry:") + " \(target.quote)：" + LanguageOption.Language.current.render(target.why))
            }
        }

        /// The report as rows: figure, value, target, met, the plan's words.
        static func lines(_ report: Workspace.PlanReport) -> [[String]] {
            var rows = [["指标 figure", "实际 actual", "分子/分母 n/d", "目标 target", "达标 met", "规划原文 plan"]]
            func add(_ name: String, _ figure: Workspace.PlanReport.Figure, quote: String?) {
                rows.append([
                    name, figure.percent.map { String(format: "%.1f%%", $0) } ?? "—", "\(figure.numerator)/\(figure.denominator)",
                    figure.target.map { String(format: "≥%.0f%%", $0.atLeast) } ?? "—",
                    figure.meetsTarget.map { $0 ? "是 yes" : "否 no" } ?? "—", quote ?? "",
                ])
            }
            add("电子证照覆盖率 e-certificate share", report.eCertificateShare, quote: report.targets.eCertificateShare.quote)
            add("惠残事项覆盖率 catalogue coverage", report.catalogueCoverage, quote: report.targets.catalogueCoverage.quote)
            add("劳动年龄段就业率 employment rate", report.employmentRate, quote: report.targets.employmentRate.quote)
            add("应届高校毕业生就业率 graduate employment", report.graduateEmploymentRate, quote: report.targets.graduateEmploymentRate.quote)
            for (coverage, target) in report.services {
                let figure = Workspace.PlanReport.Figure(
                    numerator: coverage.served, denominator: coverage.entitled,
                    target: target.map { PlanTargets.Target(atLeast: $0.atLeast, quote: $0.quote) })
                add("\(coverage.service.id) \(coverage.service.name.zh)", figure, quote: target?.quote)
            }
            return rows
        }

        static func json(_ report: Workspace.PlanReport) -> [String: Any] {
            func figure(_ figure: Workspace.PlanReport.Figure) -> [String: Any] {
                [
                    "numerator": figure.numerator, "denominator": figure.denominator, "percent": figure.percent ?? NSNull(),
                    "target": figure.target?.atLeast ?? NSNull(), "meetsTarget": figure.meetsTarget ?? NSNull(),
                    "quote": figure.target?.quote ?? NSNull(),
                ]
            }
            return [
                "plan": report.targets.title, "status": report.targets.status, "period": report.targets.period,
                "date": report.date.description, "catalogueVersion": report.catalogueVersion,
                "eCertificateShare": figure(report.eCertificateShare), "certifiedPersonsSource": report.certifiedPersonsSource,
                "catalogueCoverage": figure(report.catalogueCoverage), "missingItems": report.missingItems.map(\.zh),
                "employmentRate": figure(report.employmentRate), "employmentUnknown": report.employmentUnknown,
                "graduateEmploymentRate": figure(report.graduateEmploymentRate),
                "unmeasured": report.targets.unmeasured.map { ["quote": $0.quote, "why": $0.why] },
                "services": report.services.map { coverage, target -> [String: Any] in
                    [
                        "id": coverage.service.id, "entitled": coverage.entitled, "served": coverage.served,
                        "percent": coverage.entitled > 0 ? 100 * Double(coverage.served) / Double(coverage.entitled) : NSNull(),
                        "target": target?.atLeast ?? NSNull(), "quote": target?.quote ?? NSNull(),
                    ]
                },
            ]
        }
    }
}
