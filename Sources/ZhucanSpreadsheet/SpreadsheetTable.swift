import CSV
import Foundation
import Synchronization

/// A spreadsheet as staff keep it, read into records: an Office Open XML workbook (`.xlsx`,
/// its first sheet) or a CSV file (RFC 4180) in UTF-8, with or without a byte order mark, or
/// in GB18030, detected (``CSVText``).
///
/// Records keep the row number staff see: the physical line of a CSV file (a quoted field
/// with line breaks spans several), the row number of a sheet. Blank records (every cell
/// empty or white space, which spreadsheets write as `,,,,`) are left out. Reading is bounded:
/// ``maximumSize`` bytes of file, and as many of uncompressed sheet.
package struct SpreadsheetTable: Sendable {
    /// A file format read.
    package enum Format: String, Sendable {
        case csv
        case xlsx
    }

    /// One non-blank record.
    package struct Record: Sendable {
        /// The 1-based row (sheet) or line (CSV) number where it starts.
        package let row: Int
        /// The cells, left to right; a sheet's rows are padded to the header's width.
        package let cells: [String]
    }

    /// The format the file was read as.
    package let format: Format

    /// How a workbook numbers its days (ECMA-376 §18.17.4.1): from 1899-12-30, the 1900 date
    /// system every current Excel writes, or from 1904-01-01 (`date1904`, workbooks from old
    /// Mac Excel). A CSV file holds text, no serials.
    package enum DateSystem: Sendable {
        case from1900, from1904
    }

    /// The workbook's date system; `.from1900` for CSV, which has none.
    package let dateSystem: DateSystem

    /// The text encoding of a CSV file (`UTF-8` or `GB18030`); `nil` for a workbook.
    package let encoding: String?

    /// The non-blank records, in order; the first is the header.
    package let records: [Record]

    /// The largest file accepted, 256 MiB: some 3 million rows, far beyond any district.
    package static let maximumSize = 256 * 1024 * 1024

    /// Reads a file: a workbook when it is a ZIP archive (`PK\u{3}\u{4}`), CSV otherwise.
    /// - Throws: ``BatchFileError`` (`unreadable`, `tooLarge`, `notUTF8`).
    package init(contentsOf url: URL) throws(BatchFileError) {
        try self.init(bytes: SpreadsheetTable.read(url))
    }

    /// Reads the bytes of a file: a workbook when they are a ZIP archive, CSV otherwise.
    package init(bytes: [UInt8]) throws(BatchFileError) {
        guard bytes.count <= SpreadsheetTable.maximumSize else {
            throw .tooLarge(SpreadsheetTable.tooLargeReason(bytes.count))
        }
        // An OLE2 compound file (MS-CFB §2.2): Excel 97–2003's .xls, or any workbook Excel
        // encrypted with a password. Read as text, it was "neither UTF-8 nor GB18030".
        if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            throw .unreadable("这是旧版 .xls 或加了密码的工作簿：请另存为 .xlsx（不设密码）或“CSV UTF-8” / an Excel 97–2003 .xls or a password-protected workbook: save it as .xlsx (without a password) or as \"CSV UTF-8\"")
        }
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            let (rows, dateSystem) = try XLSXReader.firstSheet(of: bytes, maximumSize: SpreadsheetTable.maximumSize)
            self.format = .xlsx
            self.dateSystem = dateSystem
            self.encoding = nil
            self.records = SpreadsheetTable.padded(rows.filter { !SpreadsheetTable.isBlank($0.cells) })
        } else {
            let (text, encoding) = try CSVText.decode(bytes)
            self.format = .csv
            self.dateSystem = .from1900
            self.encoding = encoding.rawValue
            self.records = try SpreadsheetTable.csvRecords(text)
        }
    }

    /// The column letters staff see for a 0-based index: A … Z, AA … AZ, BA ….
    package static func columnLetters(_ index: Int) -> String {
        var index = index + 1
        var letters = [Character]()
        while index > 0 {
            let remainder = (index - 1) % 26
            letters.append(Character(Unicode.Scalar(UInt8(65 + remainder))))
            index = (index - 1) / 26
        }
        return String(letters.reversed())
    }

    /// The 0-based column index of letters such as `C` or `AB`, or `nil`.
    package static func columnIndex(_ letters: Substring) -> Int? {
        var index = 0
        guard !letters.isEmpty, letters.count <= 3 else { return nil }
        for scalar in letters.unicodeScalars {
            guard scalar.value >= 65, scalar.value <= 90 else { return nil }
            index = index * 26 + Int(scalar.value - 64)
        }
        return index - 1
    }

    /// Whether every cell is empty or white space.
    package static func isBlank(_ cells: [String]) -> Bool {
        cells.allSatisfy { $0.allSatisfy(\.isWhitespace) }
    }

    /// Sheet rows made as wide as the header: a sheet stores no trailing empty cells, so short
    /// rows are padded; and Excel stores an empty cell that has only a format (a border, a
    /// fill: `<c r="F2" s="1"/>`), so empty cells past the header's last label are dropped.
    private static func padded(_ records: [Record]) -> [Record] {
        guard let header = records.first else { return records }
        let width = (header.cells.lastIndex { !$0.isEmpty } ?? -1) + 1
        return records.map { record in
            var cells = record.cells
            while cells.count > width, cells.last?.isEmpty == true { cells.removeLast() }
            if cells.count < width { cells += Array(repeating: "", count: width - cells.count) }
            return cells.count == record.cells.count ? record : Record(row: record.row, cells: cells)
        }
    }

    /// The error a cell shows when its formula failed (ECMA-376 §18.18.11, ST_CellType `e`, and
    /// the errors of later Excel), or `nil`. A workbook stores it as the cell's value, and a
    /// CSV file saved from it as text: a name looked up by VLOOKUP from the ID number comes
    /// back as `#N/A`, which is no name.
    package static func formulaError(_ cell: String) -> String? {
        guard cell.utf8.first == UInt8(ascii: "#") else { return nil }
        let trimmed = cell.trimmingCharacters(in: .whitespaces).uppercased()
        return formulaErrors.contains(trimmed) ? trimmed : nil
    }

    private static let formulaErrors: Set<String> = [
        "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
        "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#PYTHON!",
    ]

    /// The records of CSV text, parsed by CSV.swift (quoted fields, doubled quotes, commas
    /// and line breaks inside quotes, CR LF or LF line ends), numbered by physical line.
    ///
    /// A large file without a double quote, as spreadsheets save names and numbers, is parsed
    /// in parts on every core: each of its line feeds ends a record, so it can be cut at any
    /// of them. Reading a 100,000-row batch had kept one core busy, and the other idle, for a
    /// tenth of a second before the first certificate was signed.
    private static func csvRecords(_ text: String) throws(BatchFileError) -> [Record] {
        try checkQuotes(text)
        let parts = csvParts(text)
        guard parts.count > 1 else {
            return try csvRecords(text, firstLine: 1, isStart: true)
        }
        let parsed = Mutex<[Int: Result<[Record], BatchFileError>]>([:])
        DispatchQueue.concurrentPerform(iterations: parts.count) { index in
            let result = Result { () throws(BatchFileError) in
                try csvRecords(String(parts[index].text), firstLine: parts[index].firstLine, isStart: index == 0)
            }
            parsed.withLock { $0[index] = result }
        }
        var records: [Record] = []
        for index in parts.indices {
            try records += parsed.withLock { $0[index]! }.get()
        }
        return records
    }

    /// Refuses a quote that opens a field (RFC 4180 §2.5) and is never closed: CSV.swift reads
    /// everything after it, to the end of the file, as one cell, so thousands of people would
    /// silently become one rejected row.
    /// - Throws: `unreadable` naming the line where the quote opened.
    static func checkQuotes(_ text: String) throws(BatchFileError) {
        var inQuotes = false, atFieldStart = true, line = 1, opened = 0, previous: UInt8 = 0
        var bytes = text.utf8.makeIterator()
        var next = bytes.next()
        while let byte = next {
            next = bytes.next()
            if byte == 0x0A, previous != 0x0D { line += 1 }
            if byte == 0x0D { line += 1 }
            previous = byte
            if inQuotes {
                guard byte == UInt8(ascii: "\"") else { continue }
                if next == UInt8(ascii: "\"") {
                    // A doubled quote inside a quoted field (§2.7).
                    previous = next ?? 0
                    next = bytes.next()
                } else {
                    // A closing quote ends the field (§2.6). CSV.swift reads anything else after
                    // it as the quotes going on, to the end of the file.
                    if let next, next != UInt8(ascii: ","), next != 0x0A, next != 0x0D {
                        throw .unreadable("第 \(line) 行的引号后还有字符 / line \(line): text follows a closing quote, so the rest of the file would read as one cell: 请把整个单元格放进引号，或去掉引号 / put the whole field inside the quotes, or remove them")
                    }
                    inQuotes = false
                    atFieldStart = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\"") where atFieldStart:
                inQuotes = true
                opened = line
            case UInt8(ascii: ","), 0x0A, 0x0D:
                atFieldStart = true
            default:
                atFieldStart = false
            }
        }
        if inQuotes {
            throw .unreadable("第 \(opened) 行的引号没有闭合 / line \(opened): a quoted field is never closed, so the rest of the file would read as one cell: 请检查该行的引号 / check the quotes on that line")
        }
    }

    /// `text` cut after line feeds into parts of about `csvPartSize` bytes, each with the
    /// number of its first line; the whole text when it is small or holds a double quote.
    package static func csvParts(_ text: String) -> [(text: Substring, firstLine: Int)] {
        let cuts = text.utf8.withContiguousStorageIfAvailable { bytes -> [(offset: Int, line: Int)] in
            guard bytes.count >= 2 * csvPartSize, !bytes.contains(UInt8(ascii: "\"")) else { return [] }
            var cuts: [(offset: Int, line: Int)] = []
            var lineBreaks = 0
            for offset in bytes.indices {
                // Counted as the records count them: CR LF, LF or a lone CR is one line break.
                switch bytes[offset] {
                case 0x0A where offset > 0 && bytes[offset - 1] == 0x0D:
                    break
                case 0x0A, 0x0D:
                    lineBreaks += 1
                default:
                    continue
                }
                if bytes[offset] == 0x0A, offset + 1 >= (cuts.count + 1) * csvPartSize, bytes.count - (offset + 1) >= csvPartSize {
                    cuts.append((offset + 1, 1 + lineBreaks))
                }
            }
            return cuts
        } ?? []
        var parts: [(text: Substring, firstLine: Int)] = []
        var start = (index: text.startIndex, line: 1)
        for cut in cuts {
            let end = text.utf8.index(text.startIndex, offsetBy: cut.offset)
            parts.append((text[start.index..<end], start.line))
            start = (end, cut.line)
        }
        parts.append((text[start.index...], start.line))
        return parts
    }

    /// The size of a part of a large CSV file parsed on its own, 1 MiB (some 20,000 rows).
    static let csvPartSize = 1 << 20

    /// The records of one part of a CSV file, whose first line is `firstLine`; `isStart` when
    /// the part starts the file.
    private static func csvRecords(_ text: String, firstLine: Int, isStart: Bool) throws(BatchFileError) -> [Record] {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: false)
        } catch {
            throw .unreadable("CSV 无法读取 / the CSV reader could not start: \(error)")
        }
        var records = [Record]()
        var nextLine = firstLine
        // CSVReader reports no positions: each record consumes its own line break, plus any
        // line breaks inside quoted fields, which it keeps in the field text (RFC 4180 §2.6).
        while var cells = reader.next() {
            let line = nextLine
            nextLine = nextLine &+ 1 &+ lineBreaks(in: cells)
            if isBlank(cells) { continue }
            if isStart, records.isEmpty, let first = cells.first, first.unicodeScalars.first == "\u{FEFF}" {
                // A second byte order mark (some tools add one to a file that has one).
                cells[0] = String(first.unicodeScalars.dropFirst())
            }
            records.append(Record(row: line, cells: cells))
        }
        return records
    }

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

    /// Reads a file, refusing one over ``maximumSize`` before reading it when its size is known.
    static func read(_ url: URL) throws(BatchFileError) -> [UInt8] {
        let path = url.path
        let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isDirectoryKey])
        if values?.isDirectory == true {
            throw .unreadable("\(path) 是目录 / is a directory, not a spreadsheet")
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
            throw .unreadable("无法读取 / cannot read \(path): \(error.localizedDescription)")
        }
        guard data.count <= maximumSize else {
            throw .tooLarge(tooLargeReason(data.count))
        }
        return [UInt8](data)
    }

    static func tooLargeReason(_ size: Int) -> String {
        let mebibyte = 1024 * 1024
        return "文件过大 / the file has \(size) bytes (over \(size / mebibyte) MiB); the limit is \(maximumSize / mebibyte) MiB: 请拆分为多个文件 / split it into several files"
    }
}
