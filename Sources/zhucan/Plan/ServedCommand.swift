import ArgumentParser
import Foundation
import ZhucanIssuer

/// `zhucan served`: benefits delivered outside the QR flow.
struct ServedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "served",
        abstract: "Record benefits paid or delivered outside the QR flow (a month's subsidy list), so coverage counts them.",
        subcommands: [Import.self]
    )

    /// `zhucan served import`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import a list of people who received a benefit (.xlsx or CSV), e.g. a month's payments from the finance system.",
            discussion: """
                Columns: 身份证号 (or idNumber), optional 发放日期 (date; default --date) and 金额 (amount, yuan). \
                All or nothing. A person already recorded for the same service and day is not recorded twice, so a \
                file imported again changes nothing.
                """
        )

        @OptionGroup var workspace: WorkspaceOption
        @Option(help: ArgumentHelp("The list: .xlsx, or CSV in UTF-8 or GB18030.", valueName: "file")) var file: String
        @Option(help: ArgumentHelp("The benefit's catalogue id, e.g. living-subsidy.", valueName: "id")) var service: String
        @Option(help: ArgumentHelp("Where the list comes from, e.g. 财政发放 2026-11 (default: the file name).", valueName: "name")) var source: String?
        @Option(help: ArgumentHelp("The delivery date of rows without one, yyyy-MM-dd (default: today).", valueName: "date")) var date: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var language: LanguageOption

        func run() async throws {
            let day = try PersonListInput.date(date, option: "--date")
            let opened = try workspace.open()
            let source = try PersonListInput.source(self.source, file: file)
            let list = try PersonListInput.read(file, columns: Workspace.deliveryColumns, language: language)
            let report = try CommandFailure.mappingIssuerErrors {
                try opened.importDeliveries(list, serviceID: service, source: source, on: day, now: Clock.now)
            }
            if json {
                try JSONOutput.print([
                    "service": service, "rows": report.rows, "recorded": report.recorded, "alreadyRecorded": report.rows - report.recorded,
                    "withoutCertificate": report.withoutCertificate, "amountFen": report.amountFen, "source": source,
                ])
                return
            }
            let name = language.lang == .en ? report.service.name.en : report.service.name.zh
            print(language.say(
                "\(service)（\(name)）：记录发放 \(report.recorded) 人，已记录过 \(report.rows - report.recorded) 人，共 \(report.rows) 行，金额合计 \(Self.yuan(report.amountFen)) 元",
                "\(service) (\(name)): recorded \(report.recorded) deliveries, \(report.rows - report.recorded) already recorded, \(report.rows) rows, total ¥\(Self.yuan(report.amountFen))"))
            if report.withoutCertificate > 0 {
                print(language.say("其中 \(report.withoutCertificate) 人暂无有效残疾人证", "\(report.withoutCertificate) of them hold no live certificate"))
            }
        }

        static func yuan(_ fen: Int64) -> String {
            String(format: "%lld.%02lld", fen / 100, fen % 100)
        }
    }
}
