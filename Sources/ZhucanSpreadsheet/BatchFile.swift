import Foundation
import Synchronization
import ZhucanIdentifiers

/// A batch of certificate applications read from a spreadsheet (`.xlsx`, or CSV in UTF-8 or
/// GB18030), as a county Disabled Persons' Federation prepares them for a whole district.
///
/// The first non-blank line is a header naming the columns (``columns``) in English or Chinese,
/// in any order, case-insensitively. Every following record is validated field by field with
/// the `ZhucanIdentifiers` validators; a bad record becomes a ``BatchRowProblem`` listing every
/// fault in it, and the good ones become ``BatchRow``s. Only faults of the file as a whole (its
/// encoding, size or header) are thrown.
///
/// Reading rules:
/// - The file is read by ``SpreadsheetTable``: the first sheet of a workbook, or CSV in UTF-8
///   (with or without a byte order mark) or GB18030, which Excel's plain "CSV" writes on
///   Chinese Windows. Blank records are skipped.
/// - Cells are trimmed of surrounding white space (including U+3000 and no-break space), which
///   spreadsheets and hand editing leave behind.
/// - A header cell left empty is accepted, provided no row puts a value under it.
/// - Line numbers are the rows staff see: physical lines of a CSV file or rows of a sheet,
///   1-based, counting the header.
package struct BatchFile: Sendable {
    /// The valid rows, in file order.
    package let rows: [BatchRow]

    /// Every invalid row, in file order.
    package let problems: [BatchRowProblem]

    /// The header cells as read (byte order mark removed, otherwise untrimmed).
    package let header: [String]

    /// The cells of each invalid record, parallel to ``problems``, for ``rejectTable()``.
    private let rejectedRecords: [[String]]

    /// The largest file accepted, 256 MiB: some 3 million rows, far beyond any district, and
    /// small enough to hold in memory while reading.
    package static let maximumSize = SpreadsheetTable.maximumSize

    /// The columns a batch file may have, in their documented order.
    package static let columns: [Column] = Field.allCases.map(\.column)

    /// Reads and validates a batch file: `.xlsx`, or CSV in UTF-8 or GB18030
    /// (``SpreadsheetTable``).
    ///
    /// - Parameters:
    ///   - url: a local file.
    ///   - today: the validation date: birth dates in ID numbers must not be after it.
    /// - Throws: ``BatchFileError`` for a file-level problem only: `unreadable`, `tooLarge`,
    ///   `notUTF8` (neither UTF-8 nor GB18030), `empty`, `missingHeader`, `missingColumn`,
    ///   `unknownColumn` or `duplicateColumn`. Row problems are collected.
    package init(contentsOf url: URL, asOf today: CivilDate = .today()) throws(BatchFileError) {
        try self.init(table: SpreadsheetTable(contentsOf: url), asOf: today)
    }

    /// Reads and validates the bytes of a batch file (a workbook or CSV).
    ///
    /// - Parameter today: the validation date: birth dates in ID numbers must not be after it.
    /// - Throws: ``BatchFileError`` for a file-level problem only; see ``init(contentsOf:asOf:)``.
    package init(bytes: [UInt8], asOf today: CivilDate = .today()) throws(BatchFileError) {
        try self.init(table: SpreadsheetTable(bytes: bytes), asOf: today)
    }

    /// Validates the records of a spreadsheet: the first is the header.
    package init(table: SpreadsheetTable, asOf today: CivilDate = .today()) throws(BatchFileError) {
        guard let headerRecord = table.records.first else {
            throw .empty("文件为空 / the file is empty: it needs a header line naming the columns and one line per person")
        }
        var header = headerRecord.cells
        if let first = header.first, first.unicodeScalars.first == BatchFile.byteOrderMark {
            header[0] = String(first.unicodeScalars.dropFirst())
        }
        let layout = try Layout(header: header, line: headerRecord.row)
        if let id = layout.indices[Field.idNumber.rawValue] {
            try Self.checkNotZeroed(table.records.dropFirst().lazy.map { ($0.row, id < $0.cells.count ? $0.cells[id] : "") })
        }
        // Reserving up front saves rehashing the duplicate table (capped).
        var validator = RowValidator(
            today: today, dates: Dates(format: table.format, system: table.dateSystem), expectedRows: min(table.records.count, 2_000_000)
        )
        validator.validate(table.records.dropFirst(), layout: layout)
        guard !validator.rows.isEmpty || !validator.problems.isEmpty else {
            throw .empty("只有表头没有数据行 / the file has a header but no rows")
        }
        self.header = header
        self.rows = validator.rows
        self.problems = validator.problems
        self.rejectedRecords = validator.rejectedRecords
    }

    /// The invalid rows as a table the operator can correct and read again: the header with a
    /// trailing `reason` column, then each invalid record's cells with its reason. The `reason`
    /// column is ignored when the file is read again. A record with too few cells is padded so
    /// that its reason falls in the `reason` column. Written as a workbook (`.xlsx`) its ID
    /// numbers stay text in Excel; as CSV Excel reads them as numbers of 15 digits, and saved
    /// back they are damaged.
    ///
    /// **Privacy:** the table holds the rows in clear, like the input; store it as the input.
    package func rejectTable() -> (header: [String], rows: [[String]]) {
        let reasonIndex = header.firstIndex { BatchFile.field(forHeader: $0) == .reason }
        var rows = [[String]]()
        rows.reserveCapacity(problems.count)
        for (record, problem) in zip(rejectedRecords, problems) {
            var cells = record
            if cells.count < header.count {
                cells += Array(repeating: "", count: header.count - cells.count)
            }
            if let reasonIndex, reasonIndex < cells.count, cells.count == header.count {
                cells[reasonIndex] = problem.reason
            } else {
                cells.append(problem.reason)
            }
            rows.append(cells)
        }
        return (reasonIndex == nil ? header + ["reason"] : header, rows)
    }
}

// MARK: - Columns

extension BatchFile {
    /// A column a batch file may have, named in English or Chinese.
    package struct Column: Sendable, Hashable {
        /// The English name, e.g. `id_number`.
        package let name: String

        /// The Chinese name, e.g. 身份证号.
        package let chineseName: String

        /// Whether every batch file must have the column.
        package let isRequired: Bool

        /// What the column holds and in which form.
        package let summary: String
    }

    /// The columns, in documented order.
    enum Field: Int, CaseIterable, Sendable {
        case name
        case idNumber
        case category
        case level
        case region
        case socialSecurityCard
        case validFrom
        case reason

        var column: Column {
            switch self {
            case .name:
                Column(name: "name", chineseName: "姓名", isRequired: true,
                       summary: "The holder's name, 1–64 characters.")
            case .idNumber:
                Column(name: "id_number", chineseName: "身份证号", isRequired: true,
                       summary: "The 18-character citizen ID number (GB 11643-1999); format the spreadsheet column as text.")
            case .category:
                Column(name: "category", chineseName: "残疾类别", isRequired: true,
                       summary: "1–7, or 视力 听力 言语 肢体 智力 精神 多重, optionally followed by 残疾.")
            case .level:
                Column(name: "level", chineseName: "残疾等级", isRequired: true,
                       summary: "1–4, or 一级 二级 三级 四级.")
            case .region:
                Column(name: "region", chineseName: "户籍地", isRequired: true,
                       summary: "The six-digit GB/T 2260 code of the household registration.")
            case .socialSecurityCard:
                Column(name: "ssc_card_number", chineseName: "社保卡号", isRequired: false,
                       summary: "The 9-character social-security card number; may be empty.")
            case .validFrom:
                Column(name: "valid_from", chineseName: "有效期起始", isRequired: false,
                       summary: "The first day of validity, yyyy-MM-dd; empty means the issuance date.")
            case .reason:
                Column(name: "reason", chineseName: "原因", isRequired: false,
                       summary: "Ignored: written by the reject file, so that a corrected reject file can be read again.")
            }
        }
    }

    /// Header names after ``normalizedHeader(_:)``, English and Chinese.
    private static let fieldsByHeader: [String: Field] = {
        var table = [String: Field]()
        for field in Field.allCases {
            table[field.column.name] = field
            table[field.column.chineseName] = field
        }
        return table
    }()

    /// The field a header cell names, or `nil`.
    static func field(forHeader cell: String) -> Field? {
        fieldsByHeader[normalizedHeader(cell)]
    }

    /// A header cell trimmed, with ASCII letters lower-cased and spaces and hyphens read as
    /// underscores, so that `ID Number` and `id-number` name `id_number`.
    private static func normalizedHeader(_ cell: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in trimmed(cell).unicodeScalars {
            switch scalar {
            case "A"..."Z":
                scalars.append(Unicode.Scalar(scalar.value + 0x20) ?? scalar)
            case " ", "-":
                scalars.append("_")
            default:
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// Where each field is in a record, checked against the header rules.
    struct Layout {
        /// The index of each field's cell, by `Field.rawValue`; `nil` for an absent column.
        let indices: [Int?]
        /// Indices of header cells left empty, whose cells must stay empty.
        let unnamed: [Int]
        /// The header cells, trimmed, for reasons: faults name the column as the file does.
        let labels: [String]

        init(header: [String], line: Int) throws(BatchFileError) {
            var indices = [Int?](repeating: nil, count: Field.allCases.count)
            var unnamed = [Int]()
            var unknown = [String]()
            var known = 0
            for (index, cell) in header.enumerated() {
                if BatchFile.trimmed(cell).isEmpty {
                    unnamed.append(index)
                    continue
                }
                guard let field = BatchFile.field(forHeader: cell) else {
                    unknown.append(cell)
                    continue
                }
                known += 1
                if let previous = indices[field.rawValue] {
                    throw .duplicateColumn(
                        "第 \(line) 行第 \(previous + 1) 列和第 \(index + 1) 列都是\(field.column.chineseName)，请只保留一列 / line \(line): columns \(previous + 1) and \(index + 1) both give \(field.column.name) (\(field.column.chineseName)); keep one")
                }
                indices[field.rawValue] = index
            }
            // A first line that names no column at all is data: do not echo it, it may be a
            // person's name and ID number.
            guard known > 0 else {
                throw .missingHeader(
                    "第 \(line) 行不是表头：第一行须写明各列的名称 / line \(line) is not a header: the first line must name the columns, e.g. \(BatchFile.exampleHeader)")
            }
            guard unknown.isEmpty else {
                let names = unknown.prefix(10).map(BatchFile.quotedHeaderCell).joined(separator: ", ")
                throw .unknownColumn(
                    "第 \(line) 行有未知的列 \(names)，请删除或改名，以免数据被忽略 / line \(line): unknown column\(unknown.count == 1 ? "" : "s") \(names)\(unknown.count > 10 ? " and \(unknown.count - 10) more" : ""); the columns are \(BatchFile.columnList); remove or rename \(unknown.count == 1 ? "it" : "them") so that no data is ignored")
            }
            let missing = Field.allCases.filter { $0.column.isRequired && indices[$0.rawValue] == nil }
            guard missing.isEmpty else {
                let names = missing.map { "\($0.column.name) (\($0.column.chineseName))" }.joined(separator: ", ")
                throw .missingColumn(
                    "第 \(line) 行表头缺少必需的列 \(missing.map(\.column.chineseName).joined(separator: "、")) / line \(line): the header lacks the required column\(missing.count == 1 ? "" : "s") \(names)")
            }
            self.indices = indices
            self.unnamed = unnamed
            self.labels = header.map(BatchFile.trimmed)
        }

        /// The index of a field's cell, or `nil` when the file has no such column.
        func index(of field: Field) -> Int? {
            indices[field.rawValue]
        }

        /// `第 N 行 C 列 身份证号：校验位错误 / row N, column C (身份证号): …`: a fault of `field`
        /// on `line`, named as staff see the sheet.
        func fault(_ field: Field, line: Int, _ zh: String, _ en: String) -> String {
            let letter = index(of: field).map(SpreadsheetTable.columnLetters) ?? "?"
            let label = index(of: field).map { labels[$0] } ?? field.column.name
            return "第 \(line) 行 \(letter) 列 \(label)：\(zh) / row \(line), column \(letter) (\(label)): \(en)"
        }
    }

    /// `name,id_number,… (or 姓名,身份证号,…)` for the required columns.
    private static var exampleHeader: String {
        let required = Field.allCases.filter { $0.column.isRequired }.map(\.column)
        return required.map(\.name).joined(separator: ",")
            + " (or " + required.map(\.chineseName).joined(separator: ",") + ")"
    }

    /// Every column with both names, required ones marked.
    private static var columnList: String {
        Field.allCases.map {
            "\($0.column.name)/\($0.column.chineseName)\($0.column.isRequired ? " (required)" : "")"
        }.joined(separator: ", ")
    }

    /// A header cell for an error message: at most 40 characters, control and format
    /// characters shown as `?`, so that the message stays on one line.
    private static func quotedHeaderCell(_ cell: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in cell.prefix(40).unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator:
                scalars.append("?")
            default:
                scalars.append(scalar)
            }
        }
        return "\"" + String(scalars) + (cell.count > 40 ? "…" : "") + "\""
    }
}

// MARK: - Rows

extension BatchFile {
    /// Validates records, keeping valid rows, problems and the first line of each citizen ID
    /// number seen.
    struct RowValidator {
        /// One record checked on its own: everything but whether its person came earlier in the
        /// file, which needs the records before it. The record's cells are kept for the reject
        /// file, which a valid row joins when its person came earlier.
        enum CheckedRecord: Sendable {
            /// Every field is valid.
            case valid(BatchRow, cells: [String])
            /// At least one fault; `citizenID` is the record's number when that field is valid,
            /// so that a later row for the same person is still refused.
            case invalid(cells: [String], line: Int, faults: [String], citizenID: CitizenIDNumber?)
        }

        /// Files with fewer records are checked on one core: the others would cost more to start
        /// than they save.
        static let parallelThreshold = 2_048

        /// Records checked at once before they are kept: some 10 MB of checked records.
        static let blockSize = 65_536

        let today: CivilDate
        /// How the file holds dates: a workbook's serials count in its date system.
        let dates: Dates
        var rows: [BatchRow] = []
        var problems: [BatchRowProblem] = []
        var rejectedRecords: [[String]] = []
        /// The first line of each valid citizen ID number, from every row whose number is
        /// valid, including rows with other faults, so that correcting a rejected row cannot
        /// later issue a second certificate to a person already issued from this file. Keyed
        /// by `CitizenIDNumber.ordinal`: hashing the numbers' text had taken half a second of
        /// a million-row file, on one core before anything was signed.
        var firstLine: [UInt64: Int] = [:]
        /// The first row of each social-security card (by its nine base-36 characters as one
        /// number: hashing a string per row is felt at a million rows): a card is one person's.
        var firstCardLine: [UInt64: Int] = [:]

        init(today: CivilDate, dates: Dates, expectedRows: Int) {
            self.today = today
            self.dates = dates
            firstLine.reserveCapacity(expectedRows)
        }

        /// Validates `records` in file order. A record's own checks need no other record, so a
        /// large file's are made on every core at once (a tenth of a batch's time had gone to
        /// checking 100,000 rows on one core while the other waited); whether each person came
        /// earlier in the file is then decided in order.
        ///
        /// The records are checked a block at a time, and the rows are reserved at once: with
        /// every checked record alive until the last was checked, and the rows in an array that
        /// grew by doubling, a million rows had held 0.85 GB while they were read and checked.
        mutating func validate(_ records: ArraySlice<SpreadsheetTable.Record>, layout: Layout) {
            let today = self.today, dates = self.dates
            let cores = ProcessInfo.processInfo.activeProcessorCount
            rows.reserveCapacity(records.count)
            for blockStart in stride(from: records.startIndex, to: records.endIndex, by: Self.blockSize) {
                let block = records[blockStart..<min(blockStart + Self.blockSize, records.endIndex)]
                let slices = block.count < Self.parallelThreshold ? 1 : cores * 4
                let size = (block.count + slices - 1) / slices
                let checked = Mutex<[Int: [CheckedRecord]]>([:])
                DispatchQueue.concurrentPerform(iterations: slices) { slice in
                    let part = block.dropFirst(slice * size).prefix(size).map { record in
                        Self.check(record.cells, line: record.row, layout: layout, today: today, dates: dates)
                    }
                    checked.withLock { $0[slice] = part }
                }
                let parts = checked.withLock { $0 }
                for slice in 0..<slices {
                    for record in parts[slice] ?? [] { keep(record, layout: layout) }
                }
            }
        }

        /// `record`'s faults, each naming its row and column as staff see them, and its row
        /// when it has none.
        static func check(_ record: [String], line: Int, layout: Layout, today: CivilDate, dates: Dates) -> CheckedRecord {
            let width = layout.labels.count
            guard record.count == width else {
                return .invalid(cells: record, line: line, faults: [
                    "第 \(line) 行有 \(record.count) 个单元格，表头有 \(width) 个 / row \(line) has \(record.count) field\(record.count == 1 ? "" : "s"), the header has \(width) (a missing comma, or a comma inside a field that is not in double quotes?)",
                ], citizenID: nil)
            }
            var faults: [String] = []

            func cell(_ field: Field) -> String {
                guard let index = layout.index(of: field) else { return "" }
                return BatchFile.trimmed(record[index])
            }
            func fault(_ field: Field, _ zh: String, _ en: String) {
                faults.append(layout.fault(field, line: line, zh, en))
            }
            /// Runs a validator on a required cell, recording its fault under the column.
            func required<T>(_ field: Field, _ parse: (String) throws(IdentifierError) -> T) -> T? {
                let value = cell(field)
                guard !value.isEmpty else {
                    fault(field, "为空", "empty")
                    return nil
                }
                if let error = SpreadsheetTable.formulaError(value) {
                    fault(field, "单元格是公式错误 \(error)", "the cell holds the spreadsheet error \(error), from a formula that failed; enter the value itself")
                    return nil
                }
                do {
                    return try parse(value)
                } catch {
                    fault(field, error.code.chineseSummary, BatchFile.shortReason(error.reason))
                    return nil
                }
            }
            /// As `required`, but an empty or absent cell is `nil` without a fault.
            func optional<T>(_ field: Field, _ parse: (String) throws(IdentifierError) -> T) -> T?? {
                guard !cell(field).isEmpty else { return .some(nil) }
                return required(field, parse).map { .some($0) }
            }

            let name = required(.name) { (value) throws(IdentifierError) in try PersonName(entered: value) }
            let citizenID = required(.idNumber) { (value) throws(IdentifierError) in
                try BatchFile.citizenID(value, asOf: today)
            }
            let category = required(.category, BatchFile.category)
            let level = required(.level, BatchFile.level)
            let region = required(.region) { (value) throws(IdentifierError) in try RegionCode(household: value) }
            let card = optional(.socialSecurityCard) { (value) throws(IdentifierError) in
                try SocialSecurityCardNumber(value)
            }
            let validFrom = optional(.validFrom) { (value) throws(IdentifierError) in try BatchFile.date(value, dates: dates) }

            for index in layout.unnamed where !BatchFile.trimmed(record[index]).isEmpty {
                let letter = SpreadsheetTable.columnLetters(index)
                faults.append("第 \(line) 行 \(letter) 列：此列没有表头却有值 / row \(line), column \(letter): the column has no header but holds a value")
            }
            if let citizenID, case .some(.some(let date)) = validFrom,
                let problem = CertificateTerm.problem(startingOn: date, bornOn: citizenID.birthDate, today: today)
            {
                fault(.validFrom, problem.zh, problem.en)
            }
            guard faults.isEmpty, let name, let citizenID, let category, let level, let region, let card, let validFrom else {
                return .invalid(cells: record, line: line, faults: faults, citizenID: citizenID)
            }
            let row = BatchRow(
                line: line, name: name, citizenID: citizenID, category: category, level: level,
                region: region, socialSecurityCard: card, validFrom: validFrom)
            return .valid(row, cells: record)
        }

        /// Keeps a checked record, the next in file order, refusing a person who came earlier.
        mutating func keep(_ checked: CheckedRecord, layout: Layout) {
            switch checked {
            case .valid(let row, let cells):
                if let earlier = earlierLine(of: row.citizenID, line: row.line, layout: layout) {
                    reject(cells, line: row.line, faults: [earlier])
                } else if let card = row.socialSecurityCard.map(Self.cardKey), let first = firstCardLine[card] {
                    // Two people with one card: a window that reads the card would find one of
                    // them for the other. Which row is wrong, only the clerk can tell.
                    reject(cells, line: row.line, faults: [
                        layout.fault(.socialSecurityCard, line: row.line, "与第 \(first) 行的社保卡号相同，请核对两行",
                                     "the same social-security card as row \(first): check both rows"),
                    ])
                } else {
                    if let card = row.socialSecurityCard.map(Self.cardKey) { firstCardLine[card] = row.line }
                    rows.append(row)
                }
            case .invalid(let cells, let line, var faults, let citizenID):
                if let citizenID, let earlier = earlierLine(of: citizenID, line: line, layout: layout) {
                    faults.append(earlier)
                }
                reject(cells, line: line, faults: faults)
            }
        }

        /// The fault of a person who came earlier in the file, or `nil` after noting `line` as
        /// the person's first.
        private mutating func earlierLine(of citizenID: CitizenIDNumber, line: Int, layout: Layout) -> String? {
            if let first = firstLine[citizenID.ordinal] {
                return layout.fault(.idNumber, line: line, "与第 \(first) 行重复", "the same person as row \(first)")
            }
            firstLine[citizenID.ordinal] = line
            return nil
        }

        /// A card's nine characters, 0–9 and A–Z, as one base-36 number.
        static func cardKey(_ card: SocialSecurityCardNumber) -> UInt64 {
            // `SocialSecurityCardNumber` holds 0–9 and upper-case A–Z only.
            card.value.utf8.reduce(0) { key, byte in key * 36 + UInt64(byte <= UInt8(ascii: "9") ? byte - UInt8(ascii: "0") : byte - UInt8(ascii: "A") + 10) }
        }

        private mutating func reject(_ record: [String], line: Int, faults: [String]) {
            problems.append(BatchRowProblem(line: line, reason: faults.joined(separator: "; ")))
            rejectedRecords.append(record)
        }
    }

    /// Validates a citizen ID number, recognising two spreadsheet accidents first.
    static func citizenID(_ value: String, asOf today: CivilDate) throws(IdentifierError) -> CitizenIDNumber {
        // Excel stores an 18-digit number as a double and writes it back as `3.30482E+17`,
        // losing the last digits for good.
        if looksLikeScientificNotation(value) {
            throw .invalidFormat(
                "the spreadsheet turned the number into scientific notation (like 3.3E+17) and lost digits; format the column as text and enter the numbers again")
        }
        // First-generation numbers (GB 11643-1989) had 15 digits and no check character.
        if value.utf8.count == 15, value.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            throw .wrongLength("a 15-digit first-generation ID number; the 18-character number is required")
        }
        return try CitizenIDNumber(value, asOf: today)
    }

    /// Refuses a file whose ID numbers a spreadsheet has damaged: formatted as a number, an
    /// 18-digit ID keeps 15 significant digits and is saved as `…000`. One in eleven of those
    /// still has a valid check character, and is another, real person; the other ten fail it.
    /// A genuine number ends in `000` about once in a thousand (nine in a file of ten thousand),
    /// and one typed wrong may too. So the file is refused when two or more distinct numbers end
    /// in `000` and fail their check character, or when three or more end in `000`, and at
    /// least one in twenty of the file's numbers.
    /// - Parameter cells: each data row's number and its ID cell.
    static func checkNotZeroed(_ cells: some Sequence<(row: Int, cell: String)>) throws(BatchFileError) {
        var numbers = 0, zeroed: [String: Int] = [:], failing = 0
        for (row, cell) in cells {
            let value = trimmed(cell)
            guard !value.isEmpty else { continue }
            numbers += 1
            let bytes = value.utf8
            guard bytes.count == 18, bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                bytes.suffix(3).allSatisfy({ $0 == UInt8(ascii: "0") }), zeroed[value] == nil
            else { continue }
            zeroed[value] = row
            if (try? CitizenIDNumber(value)) == nil { failing += 1 }
        }
        guard failing >= 2 || (zeroed.count >= 3 && zeroed.count * 20 >= numbers) else { return }
        let rows = zeroed.values.sorted()
        let shown = rows.prefix(10).map(String.init).joined(separator: ", ") + (rows.count > 10 ? ", …" : "")
        throw .damagedNumbers("""
            身份证号列有 \(zeroed.count) 个号码以 000 结尾（第 \(shown) 行），其中 \(failing) 个校验位错误：表格把此列存成了数字，后三位已丢失；\
            请把此列设为文本格式，重新录入号码 / \(zeroed.count) ID numbers end in 000 (rows \(shown)), \(failing) of them with a wrong \
            check character: the spreadsheet stored the column as numbers and lost their last three digits (some still pass as \
            another person's number); format the column as text and enter the numbers again
            """)
    }

    /// Whether a cell looks like `d[.ddd]E+dd`, a number written in scientific notation.
    static func looksLikeScientificNotation(_ value: String) -> Bool {
        let bytes = Array(value.utf8.prefix(32))
        guard let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }),
              e > 0, e + 2 < bytes.count, bytes[e + 1] == UInt8(ascii: "+")
        else { return false }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        return bytes[..<e].allSatisfy { isDigit($0) || $0 == UInt8(ascii: ".") }
            && bytes[(e + 2)...].allSatisfy(isDigit)
    }

    /// Reads a category: a digit `1`–`7`, or a Chinese name with or without 残疾.
    static func category(_ value: String) throws(IdentifierError) -> DisabilityCategory {
        if value.utf8.count == 1, let digit = value.first,
           let category = try? DisabilityCategory(digit: digit) {
            return category
        }
        let name = value.hasSuffix("残疾") ? String(value.dropLast(2)) : value
        if let category = DisabilityCategory.allCases.first(where: { $0.chineseName == name }) {
            return category
        }
        throw .invalidCategory("must be 1–7 or a category name (视力 听力 言语 肢体 智力 精神 多重, optionally with 残疾)")
    }

    /// Reads a level: a digit `1`–`4`, or 一级 … 四级.
    static func level(_ value: String) throws(IdentifierError) -> DisabilityLevel {
        if value.utf8.count == 1, let digit = value.first, let level = try? DisabilityLevel(digit: digit) {
            return level
        }
        if let level = DisabilityLevel.allCases.first(where: { $0.chineseName == value }) {
            return level
        }
        throw .invalidLevel("must be 1–4 or 一级 二级 三级 四级")
    }

    /// How a file holds dates: as text, or in a workbook also as day serials.
    struct Dates: Sendable {
        let format: SpreadsheetTable.Format
        let system: SpreadsheetTable.DateSystem
    }

    /// Reads a date as staff type it (`yyyy-MM-dd`, or as Excel displays it, `2025/1/5`), or
    /// a workbook's date serial, as every other spreadsheet is read
    /// (``PersonListFile/date(_:format:dateSystem:)``).
    static func date(_ value: String, dates: Dates) throws(IdentifierError) -> CivilDate {
        if let date = PersonListFile.date(value, format: dates.format, dateSystem: dates.system) { return date }
        // Excel writes dates as displayed, in the order of its locale: 7/1/2025 is no date here.
        if value.utf8.contains(UInt8(ascii: "/")) {
            throw .invalidFormat("must be yyyy-MM-dd, e.g. 2025-01-05; the spreadsheet wrote another date format (format the column as text or as yyyy-mm-dd)")
        }
        return try CivilDate(value)
    }

    /// A validator's reason without the identifier's name that the column already gives,
    /// e.g. `citizen ID number: bad check character …` → `bad check character …`.
    static func shortReason(_ reason: String) -> String {
        for prefix in ["citizen ID number: ", "name: ", "region code: ", "an ISO 8601 date: ",
                       "social-security card number: "] where reason.hasPrefix(prefix) {
            return String(reason.dropFirst(prefix.count))
        }
        return reason
    }
}

// MARK: - Text

extension BatchFile {
    static let byteOrderMark: Unicode.Scalar = "\u{FEFF}"

    /// Whether every field of a record is empty or white space.
    static func isBlank(_ record: [String]) -> Bool {
        record.allSatisfy { trimmed($0).isEmpty }
    }

    /// A cell without surrounding white space (ASCII white space, U+3000 ideographic space,
    /// no-break space and the other Unicode white space).
    static func trimmed(_ cell: String) -> String {
        // The apostrophe ``csvLine(_:)`` put before a cell that starts like a formula.
        if cell.utf8.first == UInt8(ascii: "'"), FreeText.startsLikeFormula(String(cell.dropFirst())) {
            return trimmed(String(cell.dropFirst()))
        }
        let scalars = cell.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return cell }
        guard isSpace(first) || isSpace(last) else { return cell }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isSpace(scalars[start]) {
            start = scalars.index(after: start)
        }
        while end > start, isSpace(scalars[scalars.index(before: end)]) {
            end = scalars.index(before: end)
        }
        return String(scalars[start..<end])
    }

    /// Whether a scalar has the Unicode White_Space property (UCD PropList.txt), tested
    /// without the property tables: every cell's ends are tested, and most are ASCII or CJK.
    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// One CSV record: a field is quoted when it holds a comma, a double quote or a line
    /// break, with quotes doubled (RFC 4180 §2.6–2.7).
    /// One CSV record (RFC 4180) of `cells`, each neutralised against formula injection: a
    /// cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading apostrophe, which
    /// ``trimmed(_:)`` removes again when the file is read back.
    static func csvLine(_ cells: [String]) -> String {
        let special: Set<UInt8> = [UInt8(ascii: ","), UInt8(ascii: "\""), 0x0A, 0x0D]
        return cells.map { (cell: String) -> String in
            let cell = FreeText.neutralisingFormula(cell)
            guard cell.utf8.contains(where: special.contains) else { return cell }
            // Doubled byte by byte: a quote followed by a combining mark is one Character to
            // Swift, which a String replacement of `"` does not match, and the quote went out
            // alone, ending the field early.
            var escaped: [UInt8] = [UInt8(ascii: "\"")]
            for byte in cell.utf8 {
                escaped.append(byte)
                if byte == UInt8(ascii: "\"") { escaped.append(byte) }
            }
            escaped.append(UInt8(ascii: "\""))
            return String(decoding: escaped, as: UTF8.self)
        }.joined(separator: ",")
    }
}
