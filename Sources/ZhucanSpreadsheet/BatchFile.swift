import CSV
import Foundation
import ZhucanIdentifiers

/// A batch of certificate applications read from a spreadsheet saved as CSV (RFC 4180), as a
/// county Disabled Persons' Federation prepares them for a whole district.
///
/// The first non-blank line is a header naming the columns (``columns``) in English or Chinese,
/// in any order, case-insensitively. Every following record is validated field by field with
/// the `ZhucanIdentifiers` validators; a bad record becomes a ``BatchRowProblem`` listing every
/// fault in it, and the good ones become ``BatchRow``s. Only faults of the file as a whole (its
/// encoding, size or header) are thrown.
///
/// Reading rules:
/// - UTF-8, with or without a byte order mark. Anything else is refused with advice: Excel's
///   plain "CSV" format on Chinese Windows writes GBK.
/// - Records are parsed by CSV.swift (`CSVReader`): quoted fields, doubled quotes, commas and
///   line breaks inside quotes, CR LF or LF line ends.
/// - Blank lines, and records whose fields are all empty (spreadsheets write `,,,,` for empty
///   rows inside the used range), are skipped.
/// - Cells are trimmed of surrounding white space (including U+3000 and no-break space), which
///   spreadsheets and hand editing leave behind.
/// - A header cell left empty is accepted, provided no row puts a value under it.
/// - Line numbers are physical lines of the file, 1-based, counting the header.
package struct BatchFile: Sendable {
    /// The valid rows, in file order.
    package let rows: [BatchRow]

    /// Every invalid row, in file order.
    package let problems: [BatchRowProblem]

    /// The header cells as read (byte order mark removed, otherwise untrimmed).
    package let header: [String]

    /// The cells of each invalid record, parallel to ``problems``, for ``rejectFile()``.
    private let rejectedRecords: [[String]]

    /// The largest file accepted, 256 MiB: some 3 million rows, far beyond any district, and
    /// small enough to hold in memory while reading.
    package static let maximumSize = 256 * 1024 * 1024

    /// The columns a batch file may have, in their documented order.
    package static let columns: [Column] = Field.allCases.map(\.column)

    /// Reads and validates a batch file.
    ///
    /// - Parameters:
    ///   - url: a local file.
    ///   - today: the validation date: birth dates in ID numbers must not be after it.
    /// - Throws: ``BatchFileError`` for a file-level problem only: `unreadable`, `tooLarge`,
    ///   `notUTF8` (the reason says when it looks like GBK), `empty`, `missingHeader`,
    ///   `missingColumn`, `unknownColumn` or `duplicateColumn`. Row problems are collected.
    package init(contentsOf url: URL, asOf today: CivilDate = .today()) throws(BatchFileError) {
        try self.init(bytes: BatchFile.read(url), asOf: today)
    }

    /// Reads and validates the bytes of a batch file.
    ///
    /// - Parameter today: the validation date: birth dates in ID numbers must not be after it.
    /// - Throws: ``BatchFileError`` for a file-level problem only; see ``init(contentsOf:asOf:)``.
    package init(bytes: [UInt8], asOf today: CivilDate = .today()) throws(BatchFileError) {
        guard bytes.count <= BatchFile.maximumSize else {
            throw .tooLarge(BatchFile.tooLargeReason(bytes.count))
        }
        let text = try BatchFile.decode(bytes)
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            // Only a header read can throw, and hasHeaderRow is false; kept for safety.
            throw .unreadable("the CSV reader could not start: \(error)")
        }

        var layout: Layout?
        var header: [String] = []
        // Roughly one row per line: reserving up front saves rehashing the duplicate table
        // (capped, so that a file of empty lines cannot reserve much).
        var validator = RowValidator(today: today, expectedRows: min(BatchFile.lineCount(bytes), 200_000))
        var nextLine = 1
        // CSVReader reports no positions, so the physical line of each record is counted here:
        // each record consumes its own line break, plus any line breaks inside quoted fields,
        // which CSVReader keeps verbatim in the field text (RFC 4180 §2.6).
        while let record = reader.next() {
            let line = nextLine
            nextLine = nextLine &+ 1 &+ BatchFile.lineBreaks(in: record)
            if BatchFile.isBlank(record) {
                continue
            }
            guard let knownLayout = layout else {
                header = record
                if let first = header.first, first.unicodeScalars.first == BatchFile.byteOrderMark {
                    // A second byte order mark (some tools add one to a file that has one).
                    header[0] = String(first.unicodeScalars.dropFirst())
                }
                layout = try Layout(header: header, line: line)
                continue
            }
            validator.validate(record, line: line, layout: knownLayout)
        }

        guard layout != nil else {
            throw .empty("the file is empty: it needs a header line naming the columns and one line per person")
        }
        guard !validator.rows.isEmpty || !validator.problems.isEmpty else {
            throw .empty("the file has a header but no rows")
        }
        self.header = header
        self.rows = validator.rows
        self.problems = validator.problems
        self.rejectedRecords = validator.rejectedRecords
    }

    /// The invalid rows as a CSV file that the operator can correct and read again: the header
    /// with a trailing `reason` column, then each invalid record's cells with its reason.
    ///
    /// It starts with a UTF-8 byte order mark, which Excel needs to show Chinese text from a
    /// CSV file correctly, and uses CR LF line ends (RFC 4180 §2.1). The `reason` column is
    /// ignored when the file is read again. A record with too few cells is padded so that its
    /// reason falls in the `reason` column.
    ///
    /// **Privacy:** the file holds the rows in clear, like the input; store it as the input.
    package func rejectFile() -> String {
        let reasonIndex = header.firstIndex { BatchFile.field(forHeader: $0) == .reason }
        var lines = [String]()
        lines.reserveCapacity(problems.count + 1)
        lines.append(BatchFile.csvLine(reasonIndex == nil ? header + ["reason"] : header))
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
            lines.append(BatchFile.csvLine(cells))
        }
        return "\u{FEFF}" + lines.joined(separator: "\r\n") + "\r\n"
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
                        "line \(line): columns \(previous + 1) and \(index + 1) both give \(field.column.name) (\(field.column.chineseName)); keep one")
                }
                indices[field.rawValue] = index
            }
            // A first line that names no column at all is data: do not echo it, it may be a
            // person's name and ID number.
            guard known > 0 else {
                throw .missingHeader(
                    "line \(line) is not a header: the first line must name the columns, e.g. \(BatchFile.exampleHeader)")
            }
            guard unknown.isEmpty else {
                let names = unknown.prefix(10).map(BatchFile.quotedHeaderCell).joined(separator: ", ")
                throw .unknownColumn(
                    "line \(line): unknown column\(unknown.count == 1 ? "" : "s") \(names)\(unknown.count > 10 ? " and \(unknown.count - 10) more" : ""); the columns are \(BatchFile.columnList); remove or rename \(unknown.count == 1 ? "it" : "them") so that no data is ignored")
            }
            let missing = Field.allCases.filter { $0.column.isRequired && indices[$0.rawValue] == nil }
            guard missing.isEmpty else {
                let names = missing.map { "\($0.column.name) (\($0.column.chineseName))" }.joined(separator: ", ")
                throw .missingColumn("line \(line): the header lacks the required column\(missing.count == 1 ? "" : "s") \(names)")
            }
            self.indices = indices
            self.unnamed = unnamed
            self.labels = header.map(BatchFile.trimmed)
        }

        /// The index of a field's cell, or `nil` when the file has no such column.
        func index(of field: Field) -> Int? {
            indices[field.rawValue]
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
    /// Validates records one by one, keeping valid rows, problems and the first line of each
    /// citizen ID number seen.
    struct RowValidator {
        let today: CivilDate
        var rows: [BatchRow] = []
        var problems: [BatchRowProblem] = []
        var rejectedRecords: [[String]] = []
        /// The first line of each valid citizen ID number, from every row whose number is
        /// valid, including rows with other faults, so that correcting a rejected row cannot
        /// later issue a second certificate to a person already issued from this file.
        var firstLine: [String: Int] = [:]

        init(today: CivilDate, expectedRows: Int) {
            self.today = today
            firstLine.reserveCapacity(expectedRows)
        }

        mutating func validate(_ record: [String], line: Int, layout: Layout) {
            let width = layout.labels.count
            guard record.count == width else {
                reject(record, line: line, faults: [
                    "has \(record.count) field\(record.count == 1 ? "" : "s"), the header has \(width) (a missing comma, or a comma inside a field that is not in double quotes?)",
                ])
                return
            }
            var faults: [String] = []

            func cell(_ field: Field) -> String {
                guard let index = layout.index(of: field) else { return "" }
                return BatchFile.trimmed(record[index])
            }
            func label(_ field: Field) -> String {
                guard let index = layout.index(of: field) else { return field.column.name }
                return layout.labels[index]
            }
            /// Runs a validator on a required cell, recording its fault under the column.
            func required<T>(_ field: Field, _ parse: (String) throws(IdentifierError) -> T) -> T? {
                let value = cell(field)
                guard !value.isEmpty else {
                    faults.append("\(label(field)): empty")
                    return nil
                }
                do {
                    return try parse(value)
                } catch {
                    faults.append("\(label(field)): \(BatchFile.shortReason(error.reason))")
                    return nil
                }
            }
            /// As `required`, but an empty or absent cell is `nil` without a fault.
            func optional<T>(_ field: Field, _ parse: (String) throws(IdentifierError) -> T) -> T?? {
                guard !cell(field).isEmpty else { return .some(nil) }
                return required(field, parse).map { .some($0) }
            }

            let today = self.today
            let name = required(.name) { (value) throws(IdentifierError) in try PersonName(value) }
            let citizenID = required(.idNumber) { (value) throws(IdentifierError) in
                try BatchFile.citizenID(value, asOf: today)
            }
            let category = required(.category, BatchFile.category)
            let level = required(.level, BatchFile.level)
            let region = required(.region) { (value) throws(IdentifierError) in try RegionCode(household: value) }
            let card = optional(.socialSecurityCard) { (value) throws(IdentifierError) in
                try SocialSecurityCardNumber(value)
            }
            let validFrom = optional(.validFrom, BatchFile.date)

            for index in layout.unnamed where !BatchFile.trimmed(record[index]).isEmpty {
                faults.append("column \(index + 1) has no header but holds a value")
            }
            if let citizenID, case .some(.some(let date)) = validFrom, date < citizenID.birthDate {
                faults.append("\(label(.validFrom)): before the holder's birth date")
            }
            if let citizenID {
                if let first = firstLine[citizenID.value] {
                    faults.append("duplicate of line \(first)")
                } else {
                    firstLine[citizenID.value] = line
                }
            }

            guard faults.isEmpty, let name, let citizenID, let category, let level, let region,
                  let card, let validFrom
            else {
                reject(record, line: line, faults: faults)
                return
            }
            rows.append(BatchRow(
                line: line, name: name, citizenID: citizenID, category: category, level: level,
                region: region, socialSecurityCard: card, validFrom: validFrom))
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

    /// Reads a `yyyy-MM-dd` date, explaining the form spreadsheets substitute for it.
    static func date(_ value: String) throws(IdentifierError) -> CivilDate {
        do {
            return try CivilDate(value)
        } catch {
            // Excel writes dates as displayed, e.g. 2025/1/5 in a Chinese locale.
            if value.utf8.contains(UInt8(ascii: "/")) {
                throw .invalidFormat("must be yyyy-MM-dd, e.g. 2025-01-05; the spreadsheet wrote another date format (format the column as text or as yyyy-mm-dd)")
            }
            throw error
        }
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

    /// The number of line breaks (CR LF, LF or a lone CR) inside the fields of a record.
    static func lineBreaks(in record: [String]) -> Int {
        var count = 0
        for field in record {
            var previousWasCR = false
            for byte in field.utf8 {
                if byte == 0x0A {
                    if !previousWasCR { count &+= 1 }
                    previousWasCR = false
                } else if byte == 0x0D {
                    count &+= 1
                    previousWasCR = true
                } else {
                    previousWasCR = false
                }
            }
        }
        return count
    }

    /// The number of LF bytes.
    static func lineCount(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var count = 0
            for byte in buffer where byte == 0x0A {
                count &+= 1
            }
            return count
        }
    }

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
            let escaped: String = cell.replacingOccurrences(of: "\"", with: "\"\"")
            return "\"" + escaped + "\""
        }.joined(separator: ",")
    }
}

// MARK: - Bytes

extension BatchFile {
    /// Reads a file, refusing one over ``maximumSize`` before reading it when its size is known.
    static func read(_ url: URL) throws(BatchFileError) -> [UInt8] {
        let path = url.path
        let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isDirectoryKey])
        if values?.isDirectory == true {
            throw .unreadable("\(path) is a directory, not a CSV file")
        }
        if let size = values?.fileSize, size > maximumSize {
            throw .tooLarge(tooLargeReason(size))
        }
        let data: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            // Bounded even when the size was unknown (a pipe) or the file grew meanwhile.
            data = try handle.read(upToCount: maximumSize + 1) ?? Data()
        } catch {
            throw .unreadable("cannot read \(path): \(error.localizedDescription)")
        }
        guard data.count <= maximumSize else {
            throw .tooLarge(tooLargeReason(data.count))
        }
        return [UInt8](data)
    }

    static func tooLargeReason(_ size: Int) -> String {
        let mebibyte = 1024 * 1024
        return "the file has \(size) bytes (over \(size / mebibyte) MiB); the limit is \(maximumSize / mebibyte) MiB: split it into several files"
    }

    /// The text of the bytes without a UTF-8 byte order mark, or a `notUTF8` error that says
    /// what the bytes look like and how to convert them.
    static func decode(_ bytes: [UInt8]) throws(BatchFileError) -> String {
        // The Unicode Standard §23.8: EF BB BF is the byte order mark in UTF-8; Excel's
        // "CSV UTF-8" writes it.
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        let body = bytes[(hasBOM ? 3 : 0)...]
        if !hasBOM, bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            throw .notUTF8(
                "the file is UTF-16 (Excel's \"Unicode Text\", which is also tab-separated), not UTF-8: save it as \"CSV UTF-8 (Comma delimited)\" / \"CSV UTF-8(逗号分隔)\" instead")
        }
        let scan = UTF8Scan(body)
        if let offset = scan.firstInvalidOffset {
            let line = 1 + body[body.startIndex..<(body.startIndex + offset)].reduce(0) { $1 == 0x0A ? $0 &+ 1 : $0 }
            let position = "first bad byte on line \(line), byte \(offset + (hasBOM ? 3 : 0) + 1) of the file"
            // Heuristic: in GBK text nearly every invalid UTF-8 sequence is a GBK double-byte
            // character (GBK: lead 0x81–0xFE, trail 0x40–0xFE except 0x7F; GB 18030-2005 §5.2
            // adds four-byte sequences), while in other encodings most are not.
            if scan.gbkSequences * 2 > scan.invalidSequences {
                throw .notUTF8(
                    "the file is not UTF-8 (\(position)); it looks like GBK/GB18030, the encoding of Excel's plain \"CSV\" on Chinese Windows. Convert it with `iconv -f GB18030 -t UTF-8 in.csv > out.csv` (GB18030 includes GBK and the rare characters some names need), or save it from the spreadsheet as \"CSV UTF-8 (Comma delimited)\" / \"CSV UTF-8(逗号分隔)\"")
            }
            throw .notUTF8(
                "the file is not UTF-8 (\(position)) and does not look like GBK either; save it from the spreadsheet as \"CSV UTF-8 (Comma delimited)\" / \"CSV UTF-8(逗号分隔)\"")
        }
        return String(decoding: body, as: UTF8.self)
    }

    /// A pass over bytes that counts invalid UTF-8 sequences (RFC 3629 §4) and how many of them
    /// are well-formed GBK or GB18030 multi-byte characters.
    struct UTF8Scan {
        var invalidSequences = 0
        var gbkSequences = 0
        var firstInvalidOffset: Int?

        init(_ bytes: ArraySlice<UInt8>) {
            bytes.withUnsafeBufferPointer { buffer in
                var index = 0
                while index < buffer.count {
                    if buffer[index] < 0x80 {
                        index += 1
                        continue
                    }
                    if let length = UTF8Scan.utf8Length(buffer, at: index) {
                        index += length
                        continue
                    }
                    if firstInvalidOffset == nil {
                        firstInvalidOffset = index
                    }
                    invalidSequences += 1
                    if let length = UTF8Scan.gbkLength(buffer, at: index) {
                        gbkSequences += 1
                        index += length
                    } else {
                        index += 1
                    }
                }
            }
        }

        /// The length of the well-formed UTF-8 sequence at `index` (RFC 3629 §4), or `nil`.
        static func utf8Length(_ b: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
            func byte(_ offset: Int, in range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
                index + offset < b.count && range.contains(b[index + offset])
            }
            switch b[index] {
            case 0x00...0x7F:
                return 1
            case 0xC2...0xDF:
                return byte(1) ? 2 : nil
            case 0xE0:
                return byte(1, in: 0xA0...0xBF) && byte(2) ? 3 : nil
            case 0xE1...0xEC, 0xEE...0xEF:
                return byte(1) && byte(2) ? 3 : nil
            case 0xED:
                return byte(1, in: 0x80...0x9F) && byte(2) ? 3 : nil
            case 0xF0:
                return byte(1, in: 0x90...0xBF) && byte(2) && byte(3) ? 4 : nil
            case 0xF1...0xF3:
                return byte(1) && byte(2) && byte(3) ? 4 : nil
            case 0xF4:
                return byte(1, in: 0x80...0x8F) && byte(2) && byte(3) ? 4 : nil
            default:
                return nil
            }
        }

        /// The length of the GBK double-byte or GB18030 four-byte character at `index`, or `nil`.
        static func gbkLength(_ b: UnsafeBufferPointer<UInt8>, at index: Int) -> Int? {
            func byte(_ offset: Int, in range: ClosedRange<UInt8>) -> Bool {
                index + offset < b.count && range.contains(b[index + offset])
            }
            guard byte(0, in: 0x81...0xFE) else { return nil }
            if byte(1, in: 0x40...0xFE), b[index + 1] != 0x7F {
                return 2
            }
            if byte(1, in: 0x30...0x39), byte(2, in: 0x81...0xFE), byte(3, in: 0x30...0x39) {
                return 4
            }
            return nil
        }
    }
}
