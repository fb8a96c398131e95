import Foundation
import ZhucanIssuer
import ZhucanIdentifiers
import ZhucanSpreadsheet

/// Reads a list of people that staff bring (`--file`: .xlsx, or CSV in UTF-8 or GB18030) and
/// refuses it whole when any row is bad, naming every bad row and column on standard error.
enum PersonListInput {
    /// The rows shown before "and N more".
    static let problemsShown = 200

    static func read(
        _ path: String, columns: [PersonListFile.Column], rules: [PersonListFile.RowRule] = [], language: LanguageOption
    ) throws -> PersonListFile {
        let file: PersonListFile
        do {
            file = try PersonListFile(contentsOf: URL(fileURLWithPath: path), columns: columns, rules: rules, asOf: CivilDate.today())
        } catch {
            throw CommandFailure.input("\(path): \(error.reason)")
        }
        guard file.problems.isEmpty else {
            for problem in file.problems.prefix(problemsShown) {
                FileHandle.standardError.write(Data("\(path): \(language.lang.render(problem.reason))\n".utf8))
            }
            if file.problems.count > problemsShown {
                FileHandle.standardError.write(Data((language.say("另有 \(file.problems.count - problemsShown) 行有错", "and \(file.problems.count - problemsShown) more bad rows") + "\n").utf8))
            }
            throw CommandFailure.input(language.say(
                "\(file.problems.count) 行有错，未写入任何数据（请改正后重新导入）",
                "\(file.problems.count) bad row(s); nothing was written (correct them and import again)"))
        }
        return file
    }

    /// A `yyyy-MM-dd` option value, or today.
    static func date(_ text: String?, option: String) throws -> CivilDate {
        guard let text else { return CivilDate.today() }
        guard let date = try? CivilDate(text) else { throw CommandFailure.input("\(option) 须为 yyyy-MM-dd 格式的日期 / \(option) must be yyyy-MM-dd") }
        return date
    }

    /// Where a file's rows come from, as the log keeps it (`Workspace.loggedText`): `--source`,
    /// else the file's name; checked before the file is read.
    static func source(_ given: String?, file path: String) throws -> String {
        try CommandFailure.mappingIssuerErrors {
            try Workspace.loggedText(given ?? URL(fileURLWithPath: path).lastPathComponent, ("来源", "the source (--source)"))
        }
    }
}
