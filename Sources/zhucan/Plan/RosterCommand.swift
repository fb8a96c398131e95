import ArgumentParser
import Foundation
import ZhucanIssuer

/// `zhucan roster`: the certified persons of the region.
struct RosterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "The roster of certified persons (持证残疾人名册): the denominator of the electronic-certificate share.",
        subcommands: [Import.self]
    )

    /// `zhucan roster import`.
    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the roster with a list of certified persons (.xlsx or CSV: a 身份证号 / idNumber column).",
            discussion: "All or nothing; the previous roster is replaced whole."
        )

        @OptionGroup var workspace: WorkspaceOption
        @Option(help: ArgumentHelp("The roster: .xlsx, or CSV in UTF-8 or GB18030.", valueName: "file")) var file: String
        @Option(help: ArgumentHelp("Where it comes from, e.g. 全国残疾人人口基础数据库 (default: the file name).", valueName: "name")) var source: String?
        @Option(name: .customLong("as-of"), help: ArgumentHelp("The date it holds on, yyyy-MM-dd (default: today).", valueName: "date")) var asOf: String?
        @OptionGroup var language: LanguageOption

        func run() async throws {
            let asOfDate = try PersonListInput.date(asOf, option: "--as-of")
            let opened = try workspace.open()
            let source = try PersonListInput.source(self.source, file: file)
            let list = try PersonListInput.read(file, columns: [], language: language)
            let count = try CommandFailure.mappingIssuerErrors { try opened.importRoster(list, source: source, asOf: asOfDate, now: Clock.now) }
            print(language.say("名册已替换：\(count) 名持证残疾人（来源 \(source)，截至 \(asOfDate)）", "roster replaced: \(count) certified persons (source \(source), as of \(asOfDate))"))
        }
    }
}
