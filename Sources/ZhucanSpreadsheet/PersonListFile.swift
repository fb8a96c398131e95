import Foundation
import ZhucanIdentifiers

/// A list of people that staff bring from another system, one row per citizen ID number: a
/// Civil Affairs extract of household facts, a finance system's month of payments, the
/// federation's roster of certified persons.
///
/// The header names an ID column (身份证号, 公民身份号码, `idNumber` or `id_number`) and the
/// columns the caller describes (``Column``), each by its key or its Chinese name, in any
/// order. Every row is checked whole: each fault names the row and column as staff see them,
/// `第 501 行 C 列 身份证号：校验位错误 / row 501, column C (身份证号): …`, and never repeats
/// the cell. The caller writes nothing unless ``problems`` is empty (all or nothing).
package struct PersonListFile: Sendable {
    /// What a column holds.
    package enum Kind: Sendable {
        /// 是/否, true/false, 1/0, Y/N; an empty cell means "not given".
        case flag
        /// A date: yyyy-MM-dd, yyyy/M/d, yyyyMMdd, or a workbook's date serial.
        case date
        /// An amount of money in yuan, at most two decimals, not negative.
        case amount
    }

    /// A column the caller accepts besides the ID column.
    package struct Column: Sendable {
        /// The key the values are returned under, and an accepted header.
        package let key: String
        /// The Chinese header, also accepted.
        package let chineseName: String
        /// What it holds.
        package let kind: Kind
        /// Other headers accepted, e.g. the fact in full (低保家庭 for 低保).
        package let otherNames: [String]
        /// Whether every file must have it and every row fill it.
        package let isRequired: Bool

        /// Describes a column.
        package init(key: String, chineseName: String, otherNames: [String] = [], kind: Kind, isRequired: Bool = false) {
            self.key = key
            self.chineseName = chineseName
            self.otherNames = otherNames
            self.kind = kind
            self.isRequired = isRequired
        }
    }

    /// A rule across a row's cells, which no one column can check: 低保 and 低保边缘 both 是.
    package struct RowRule: Sendable {
        /// The columns it reads, by key: the fault names those the header has.
        package let keys: [String]
        /// What is wrong with a row that breaks it, in Chinese and in English.
        package let zh: String
        package let en: String
        /// Whether a row's values keep it.
        package let holds: @Sendable ([String: Value]) -> Bool

        package init(keys: [String], zh: String, en: String, holds: @escaping @Sendable ([String: Value]) -> Bool) {
            self.keys = keys
            self.zh = zh
            self.en = en
            self.holds = holds
        }
    }

    /// A value read from a cell.
    package enum Value: Sendable, Hashable {
        case flag(Bool)
        case date(CivilDate)
        /// Fen (0.01 yuan).
        case amount(Int64)
    }

    /// A valid row.
    package struct Row: Sendable {
        /// The row staff see.
        package let line: Int
        /// The person.
        package let citizenID: CitizenIDNumber
        /// The non-empty cells, by column key.
        package let values: [String: Value]
    }

    /// The valid rows, in file order.
    package let rows: [Row]
    /// Every invalid row, in file order; `reason` holds every fault of the row.
    package let problems: [BatchRowProblem]
    /// The columns the header names, by key, in file order.
    package let columnKeys: [String]
    /// The format and encoding read, for the operator's message (`xlsx`, `csv UTF-8`, `csv GB18030`).
    package let source: String

    /// The headers accepted for the ID column.
    package static let idHeaders = ["身份证号", "公民身份号码", "身份证号码", "idnumber", "id_number"]

    /// Reads and checks a file.
    /// - Throws: ``BatchFileError`` for faults of the file as a whole (unreadable, encoding,
    ///   header); row faults are collected in ``problems``.
    package init(contentsOf url: URL, columns: [Column], rules: [RowRule] = [], asOf today: CivilDate = .today()) throws(BatchFileError) {
        try self.init(table: SpreadsheetTable(contentsOf: url), columns: columns, rules: rules, asOf: today)
    }

    /// Checks the records of a spreadsheet; the first is the header.
    package init(table: SpreadsheetTable, columns: [Column], rules: [RowRule] = [], asOf today: CivilDate = .today()) throws(BatchFileError) {
        guard let header = table.records.first else {
            throw .empty("文件为空 / the file is empty: it needs a header row naming the columns, e.g. 身份证号")
        }
        source = table.format == .xlsx ? "xlsx" : "csv \(table.encoding ?? "UTF-8")"
        let layout = try Layout(header: header, columns: columns)
        try BatchFile.checkNotZeroed(table.records.dropFirst().lazy.map { ($0.row, layout.idIndex < $0.cells.count ? $0.cells[layout.idIndex] : "") })
        columnKeys = layout.columns.compactMap { $0?.key }
        var rows = [Row]()
        rows.reserveCapacity(table.records.count)
        var problems = [BatchRowProblem]()
        var firstRow = [String: Int]()
        for record in table.records.dropFirst() {
            var faults = [String]()
            func fault(_ index: Int, _ zh: String, _ en: String) {
                faults.append("第 \(record.row) 行 \(SpreadsheetTable.columnLetters(index)) 列 \(layout.labels[index])：\(zh) / row \(record.row), column \(SpreadsheetTable.columnLetters(index)) (\(layout.labels[index])): \(en)")
            }
            let cells = record.cells
            func cell(_ index: Int) -> String { index < cells.count ? BatchFile.trimmed(cells[index]) : "" }

            var citizenID: CitizenIDNumber?
            let idCell = cell(layout.idIndex)
            if idCell.isEmpty {
                fault(layout.idIndex, "为空", "empty")
            } else {
                do {
                    let id = try BatchFile.citizenID(idCell.uppercased(), asOf: today)
                    if let first = firstRow[id.value] {
                        fault(layout.idIndex, "与第 \(first) 行重复", "the same person as row \(first)")
                    } else {
                        firstRow[id.value] = record.row
                        citizenID = id
                    }
                } catch {
                    fault(layout.idIndex, error.code.chineseSummary, BatchFile.shortReason(error.reason))
                }
            }
            var values = [String: Value]()
            for (index, column) in layout.columns.enumerated() {
                let text = cell(index)
                guard let column else {
                    // An unnamed column must stay empty; a name column is left aside.
                    if !text.isEmpty, index != layout.idIndex, layout.labels[index].isEmpty {
                        fault(index, "此列没有表头却有值", "the column has no header but holds a value")
                    }
                    continue
                }
                guard !text.isEmpty else {
                    if column.isRequired { fault(index, "为空", "empty") }
                    continue
                }
                switch PersonListFile.value(text, kind: column.kind, format: table.format, dateSystem: table.dateSystem) {
                case .success(let value): values[column.key] = value
                case .failure(let problem): fault(index, problem.zh, problem.en)
                }
            }
            for rule in rules where !rule.holds(values) {
                let named = rule.keys.compactMap { key in layout.columns.firstIndex { $0?.key == key } }
                let zh = named.map { "\(SpreadsheetTable.columnLetters($0)) 列 \(layout.labels[$0])" }.joined(separator: "、")
                let en = named.map { "\(SpreadsheetTable.columnLetters($0)) (\(layout.labels[$0]))" }.joined(separator: ", ")
                faults.append("第 \(record.row) 行 \(zh)：\(rule.zh) / row \(record.row), columns \(en): \(rule.en)")
            }
            if cells.count > layout.labels.count, cells[layout.labels.count...].contains(where: { !BatchFile.trimmed($0).isEmpty }) {
                faults.append("第 \(record.row) 行：单元格多于表头 / row \(record.row): more cells than the header has columns")
            }
            if faults.isEmpty, let citizenID {
                rows.append(Row(line: record.row, citizenID: citizenID, values: values))
            } else {
                problems.append(BatchRowProblem(line: record.row, reason: faults.joined(separator: "; ")))
            }
        }
        guard !rows.isEmpty || !problems.isEmpty else {
            throw .empty("只有表头没有数据行 / the file has a header but no rows")
        }
        self.rows = rows
        self.problems = problems
    }

    /// A cell's fault in both languages.
    struct Problem: Error {
        let zh: String
        let en: String
    }

    /// Reads a non-empty cell of `kind`.
    static func value(_ text: String, kind: Kind, format: SpreadsheetTable.Format, dateSystem: SpreadsheetTable.DateSystem) -> Result<Value, Problem> {
        if let error = SpreadsheetTable.formulaError(text) {
            return .failure(Problem(zh: "单元格是公式错误 \(error)", en: "the cell holds the spreadsheet error \(error), from a formula that failed; enter the value itself"))
        }
        switch kind {
        case .flag:
            switch text.lowercased() {
            case "是", "true", "1", "y", "yes", "√", "✓": return .success(.flag(true))
            case "否", "false", "0", "n", "no", "×", "✗": return .success(.flag(false))
            default: return .failure(Problem(zh: "应为“是”或“否”", en: "must be 是/否 or true/false"))
            }
        case .date:
            if let date = date(text, format: format, dateSystem: dateSystem) { return .success(.date(date)) }
            return .failure(Problem(zh: "日期应为 yyyy-MM-dd", en: "must be a date, yyyy-MM-dd"))
        case .amount:
            guard let fen = amount(text) else {
                return .failure(Problem(
                    zh: "金额应为 0 至 999999999 元的数，最多两位小数", en: "must be an amount of 0 to 999,999,999 yuan, at most two decimals"
                ))
            }
            return .success(.amount(fen))
        }
    }

    /// A date as staff type it, or a workbook's date serial: days since 1899-12-30 in the 1900
    /// date system (ECMA-376 §18.17.4.1; dates after February 1900, past its fictitious
    /// 1900-02-29), or since 1904-01-01 in the 1904 system.
    static func date(_ text: String, format: SpreadsheetTable.Format, dateSystem: SpreadsheetTable.DateSystem = .from1900) -> CivilDate? {
        if let date = try? CivilDate(text) { return date }
        let separators = text.split(whereSeparator: { $0 == "/" || $0 == "-" || $0 == "." })
        if separators.count == 3, let y = Int(separators[0]), let m = Int(separators[1]), let d = Int(separators[2]), y > 999 {
            return try? CivilDate(year: y, month: m, day: d)
        }
        if text.utf8.count == 8, let number = Int(text) {
            return try? CivilDate(year: number / 10_000, month: number / 100 % 100, day: number % 100)
        }
        // 25,569 days from 1899-12-30 to 1970-01-01; 24,107 from 1904-01-01 (1,462 fewer).
        let (first, toEpoch): (Double, Double) = dateSystem == .from1904 ? (0, 24_107) : (61, 25_569)
        if format == .xlsx, let serial = Double(text), serial >= first, serial < 2_958_466 - (25_569 - toEpoch), serial == serial.rounded() {
            let seconds = (serial - toEpoch) * 86_400
            return CivilDate(Date(timeIntervalSince1970: seconds), in: TimeZone(identifier: "UTC") ?? .current)
        }
        return nil
    }

    /// Yuan as fen: digits, an optional point and at most two decimals, optionally with ¥ or 元;
    /// at most 999,999,999 yuan a row (no delivery is near it), so that the totals of a million
    /// rows stay far inside Int64.
    static func amount(_ text: String) -> Int64? {
        var text = Substring(text)
        if text.hasPrefix("¥") || text.hasPrefix("￥") { text = text.dropFirst() }
        if text.hasSuffix("元") { text = text.dropLast() }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.count <= 9,
              whole.allSatisfy({ $0.isASCII && $0.isNumber }), let yuan = Int64(whole)
        else { return nil }
        var fen: Int64 = 0
        if parts.count == 2 {
            let decimals = parts[1]
            guard decimals.count <= 2, decimals.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            fen = Int64(decimals.padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0
        }
        return yuan * 100 + fen
    }
}

extension PersonListFile {
    /// Where the ID column and the caller's columns are.
    struct Layout {
        let idIndex: Int
        /// The caller's column at each index, `nil` for the ID column and unnamed columns.
        let columns: [Column?]
        /// The header cells, trimmed, as staff wrote them.
        let labels: [String]

        init(header: SpreadsheetTable.Record, columns accepted: [Column]) throws(BatchFileError) {
            var byName = [String: Column]()
            for column in accepted {
                byName[Layout.normalized(column.key)] = column
                byName[Layout.normalized(column.chineseName)] = column
                for name in column.otherNames {
                    byName[Layout.normalized(name)] = column
                }
            }
            labels = header.cells.map(BatchFile.trimmed)
            var idIndex: Int?
            var columns = [Column?]()
            var seen = [String: Int]()
            var unknown = [String]()
            /// What a header names: the ID, a caller's column, a name to leave aside, or nothing known.
            enum Meaning: Equatable {
                case id, column(String), ignored
            }
            func meaning(_ name: String) -> Meaning? {
                if PersonListFile.idHeaders.contains(name) { return .id }
                if let column = byName[name] { return .column(column.key) }
                return Layout.ignoredHeaders.contains(name) ? .ignored : nil
            }
            for (index, label) in labels.enumerated() {
                var name = Layout.normalized(label)
                let letter = SpreadsheetTable.columnLetters(index)
                if name.isEmpty {
                    columns.append(nil)
                    continue
                }
                // The labels Zhucan writes, Chinese then key (`身份证号 idNumber`): both words
                // must name the same column, so that `备注 低保` is no 低保.
                let words = label.split(whereSeparator: \.isWhitespace).map { Layout.normalized(String($0)) }
                if meaning(name) == nil, words.count == 2, let first = meaning(words[0]), first == meaning(words[1]) {
                    name = words[0]
                }
                if meaning(name) == .ignored {
                    columns.append(nil)
                    continue
                }
                if PersonListFile.idHeaders.contains(name) {
                    if let idIndex {
                        throw .duplicateColumn("第 \(header.row) 行 \(SpreadsheetTable.columnLetters(idIndex)) 列和 \(letter) 列都是身份证号 / row \(header.row): columns \(SpreadsheetTable.columnLetters(idIndex)) and \(letter) both hold the ID number; keep one")
                    }
                    idIndex = index
                    columns.append(nil)
                    continue
                }
                guard let column = byName[name] else {
                    unknown.append("\(letter) 列 “\(label.prefix(40))”")
                    columns.append(nil)
                    continue
                }
                if let previous = seen[column.key] {
                    throw .duplicateColumn("第 \(header.row) 行 \(SpreadsheetTable.columnLetters(previous)) 列和 \(letter) 列都是 \(column.chineseName) / row \(header.row): columns \(SpreadsheetTable.columnLetters(previous)) and \(letter) both give \(column.key); keep one")
                }
                seen[column.key] = index
                columns.append(column)
            }
            guard let idIndex else {
                if unknown.count == labels.filter({ !$0.isEmpty }).count, seen.isEmpty {
                    throw .missingHeader("第 \(header.row) 行不是表头 / row \(header.row) is not a header: the first row must name the columns, one of them 身份证号 (idNumber)")
                }
                throw .missingColumn("第 \(header.row) 行缺少“身份证号”列 / row \(header.row): the header lacks the ID column 身份证号 (idNumber)")
            }
            guard unknown.isEmpty else {
                let known = (["身份证号 (idNumber)"] + accepted.map { "\($0.chineseName) (\($0.key))" } + ["姓名 (name, left aside)"]).joined(separator: ", ")
                throw .unknownColumn("第 \(header.row) 行有未知的列 / row \(header.row): unknown column(s) \(unknown.prefix(10).joined(separator: ", ")); 可用的列 / the columns are \(known)")
            }
            let missing = accepted.filter { $0.isRequired && seen[$0.key] == nil }
            guard missing.isEmpty else {
                throw .missingColumn("第 \(header.row) 行缺少必需的列 / row \(header.row): the header lacks \(missing.map { "\($0.chineseName) (\($0.key))" }.joined(separator: ", "))")
            }
            self.idIndex = idIndex
            self.columns = columns
        }

        /// Columns read by no import and left aside: the holder's name, which lists staff keep
        /// almost always carry beside the ID number (and Zhucan's own lists write as `姓名
        /// holder`). Any other unknown column is refused, so that a misspelt one is never
        /// skipped without a word.
        static let ignoredHeaders: Set<String> = ["姓名", "name", "holder"]

        /// A header cell trimmed, ASCII lower-cased, spaces and hyphens as underscores.
        static func normalized(_ cell: String) -> String {
            BatchFile.trimmed(cell).lowercased().replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        }
    }
}
