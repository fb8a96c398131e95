import Foundation
import XMLCoder
import ZIPFoundation

/// Reads the first worksheet of an Office Open XML workbook (ECMA-376 Part 1, SpreadsheetML
/// §18.3: worksheets; §18.4: shared strings) into rows of text: a ZIP archive (ZIPFoundation)
/// of XML parts. The small parts that name the sheets are decoded whole (XMLCoder); the sheet
/// and its shared strings, which grow with the rows, are streamed (``WorksheetParser``,
/// ``SharedStringsParser``). Every part read is bounded, so a ZIP bomb is refused rather than
/// inflated.
enum XLSXReader {
    /// One row of the sheet: its 1-based number and cells by column.
    typealias Row = SpreadsheetTable.Record

    /// SpreadsheetML's last row (ECMA-376 §18.3.1.73: 1,048,576 rows).
    static let lastRow = 1_048_576
    /// The most columns read: a staff table has a few dozen; Excel's 16,384, each padded with
    /// empty cells before a far one, would let a few kilobytes of XML fill gigabytes.
    static let maximumColumns = 256
    /// The most cells read, empty ones included (a million rows of sixteen columns).
    static let maximumCells = 16 << 20
    /// The longest text of a cell, in UTF-16 units: Excel's own limit (32,767 characters,
    /// "Excel specifications and limits"). One shared string of a megabyte, referenced by
    /// every cell, had made a 7.8 KB workbook take 1.9 GB and write a 629 MB reject file.
    static let maximumCellLength = 32_767
    /// The most shared strings: a million rows of several distinct columns. Fifty million
    /// empty items fit in 358 KB of XML.
    static let maximumSharedStrings = 8 << 20

    /// The rows of the first worksheet.
    /// - Throws: `unreadable` naming the part that is missing or malformed, `tooLarge`.
    /// - Returns: the rows, and how the workbook numbers its dates.
    static func firstSheet(of bytes: [UInt8], maximumSize: Int) throws(BatchFileError) -> (rows: [Row], dateSystem: SpreadsheetTable.DateSystem) {
        let archive: Archive
        try ZIPPreflight.check(bytes)
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw .unreadable("不是有效的 .xlsx 文件 / not a valid .xlsx workbook (the ZIP archive does not open): \(error)")
        }
        var budget = maximumSize
        let (sheetPath, dateSystem) = try firstSheetPath(archive, budget: &budget)
        var strings: [String] = []
        if archive["xl/sharedStrings.xml"] != nil {
            let path = "xl/sharedStrings.xml"
            let parser = SharedStringsParser(path: path)
            try parser.parse(inflate(part: path, from: archive, budget: &budget))
            strings = parser.strings
        }
        let sheet = WorksheetParser(path: sheetPath, strings: strings)
        try sheet.parse(inflate(part: sheetPath, from: archive, budget: &budget))
        // Staff edit the rows they see: a row a filter hides is not one they checked.
        if let first = sheet.hiddenRows.first {
            let listed = sheet.hiddenRows.prefix(10).map(String.init).joined(separator: ", ") + (sheet.hiddenRows.count > 10 ? " …" : "")
            throw .unreadable("第 \(first) 行等 \(sheet.hiddenRows.count) 行被隐藏（筛选）：请清除筛选、取消隐藏或删除这些行 / \(sheet.hiddenRows.count) row\(sheet.hiddenRows.count == 1 ? " is" : "s are") hidden (row\(sheet.hiddenRows.count == 1 ? "" : "s") \(listed)), as a filter hides them: clear the filter, unhide or delete them, so that the rows read are the ones you see")
        }
        return (sheet.rows, dateSystem)
    }

    /// The path of the first sheet in workbook order (ECMA-376 §18.2.20, §9.2 relationships),
    /// or `xl/worksheets/sheet1.xml` when the workbook names none; and the workbook's date
    /// system (`workbookPr/@date1904`, §18.2.28).
    private static func firstSheetPath(_ archive: Archive, budget: inout Int) throws(BatchFileError) -> (String, SpreadsheetTable.DateSystem) {
        guard archive["xl/workbook.xml"] != nil else {
            throw .unreadable("不是 Excel 工作簿（缺少 xl/workbook.xml）/ not an Excel workbook: xl/workbook.xml is missing")
        }
        let workbook: Workbook = try decode(part: "xl/workbook.xml", from: archive, budget: &budget)
        let dateSystem: SpreadsheetTable.DateSystem = ["1", "true"].contains(workbook.workbookPr?.date1904 ?? "") ? .from1904 : .from1900
        let path = try firstSheetPath(of: workbook, in: archive, budget: &budget)
        return (path, dateSystem)
    }

    private static func firstSheetPath(of workbook: Workbook, in archive: Archive, budget: inout Int) throws(BatchFileError) -> String {
        let fallback = "xl/worksheets/sheet1.xml"
        // The first sheet is the one read: a hidden one is not what staff looked at and edited.
        if let first = workbook.sheets.sheet.first, first.state == "hidden" || first.state == "veryHidden" {
            throw .unreadable("第一个工作表「\((first.name ?? "").prefix(31))」是隐藏的：请取消隐藏或删除 / the first sheet is hidden: unhide or delete it, so that the sheet read is the one you see")
        }
        guard let first = workbook.sheets.sheet.first, let id = first.id else { return fallback }
        guard archive["xl/_rels/workbook.xml.rels"] != nil else { return fallback }
        let relationships: Relationships = try decode(part: "xl/_rels/workbook.xml.rels", from: archive, budget: &budget)
        guard let target = relationships.Relationship?.first(where: { $0.Id == id })?.Target else { return fallback }
        // Targets are relative to xl/, or absolute from the package root.
        let path = target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
        guard archive[path] != nil else {
            throw .unreadable("工作簿缺少第一个工作表 / the workbook's first sheet \(path) is missing")
        }
        return path
    }

    /// Inflates one part, within what is left of the budget, refusing a document type
    /// declaration: Office parts never carry one (ECMA-376 Part 2 §8.1.4), and one could only
    /// define entities that expand beyond what the budget measured.
    private static func inflate(part path: String, from archive: Archive, budget: inout Int) throws(BatchFileError) -> Data {
        guard let entry = archive[path] else {
            throw .unreadable("工作簿缺少 \(path) / the workbook lacks \(path)")
        }
        guard entry.uncompressedSize <= Int64(budget) else {
            throw .tooLarge("工作表解压后过大 / \(path) inflates to \(entry.uncompressedSize) bytes, over the limit: 请拆分文件 / split the file")
        }
        var data = Data()
        let limit = budget
        do {
            // The declared size may lie: count what actually comes out.
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                guard data.count + chunk.count <= limit else { throw BatchFileError.tooLarge("\(path) inflates beyond the limit") }
                data.append(chunk)
            }
        } catch let error as BatchFileError {
            throw .tooLarge("工作表解压后过大 / \(error.reason): 请拆分文件 / split the file")
        } catch {
            throw .unreadable("无法解压 \(path) / cannot inflate \(path): \(error)")
        }
        budget -= data.count
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil {
            throw .unreadable("\(path) 含有文档类型声明 / \(path) holds a document type declaration, which no workbook part has")
        }
        return data
    }

    /// Inflates one of the small parts that name the sheets and decodes it whole (XMLCoder).
    private static func decode<T: Decodable>(part path: String, from archive: Archive, budget: inout Int) throws(BatchFileError) -> T {
        let data = try inflate(part: path, from: archive, budget: &budget)
        // XMLCoder builds the whole tree recursively: 10,000 nested elements in a 1.8 KB part
        // overflowed the stack (SIGSEGV). These parts are four or five elements deep: a
        // streamed pass (the XML parser's own reading of comments, CDATA and quoted values)
        // refuses a deeper one first.
        try NestingProbe(path: path).parse(data)
        let decoder = XMLDecoder()
        decoder.shouldProcessNamespaces = true
        decoder.trimValueWhitespaces = false
        do {
            return try decoder.decode(T.self, from: data)
        } catch {
            throw .unreadable("\(path) 不是有效的 XML / \(path) is not valid SpreadsheetML: \(String(describing: error).prefix(200))")
        }
    }
}

extension XLSXReader {
    /// The deepest nesting of elements a part decoded whole may have.
    static let maximumNesting = 64
}

// MARK: - Parts

extension XLSXReader {
    /// `xl/workbook.xml`: the sheets in order.
    struct Workbook: Decodable {
        struct Sheets: Decodable {
            let sheet: [Sheet]
        }
        struct Sheet: Decodable {
            let name: String?
            /// `visible` (the default), `hidden` or `veryHidden` (ECMA-376 §18.18.68).
            let state: String?
            /// The relationship id (`r:id`; the prefix is the writer's choice, so any prefix).
            let id: String?

            struct Key: CodingKey {
                let stringValue: String
                init(stringValue: String) { self.stringValue = stringValue }
                var intValue: Int? { nil }
                init?(intValue: Int) { nil }
            }

            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: Key.self)
                name = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "name"))
                state = try container.decodeIfPresent(String.self, forKey: Key(stringValue: "state"))
                let idKey = container.allKeys.first { $0.stringValue == "id" || $0.stringValue.hasSuffix(":id") }
                id = try idKey.flatMap { try container.decodeIfPresent(String.self, forKey: $0) }
            }
        }
        /// `workbookPr`: `date1904` is `1` or `true` in a workbook that numbers days from 1904.
        struct Properties: Decodable {
            let date1904: String?
        }
        let sheets: Sheets
        let workbookPr: Properties?
    }

    /// `xl/_rels/workbook.xml.rels` (ECMA-376 Part 2, Open Packaging Conventions §9.3).
    struct Relationships: Decodable {
        struct Relationship: Decodable {
            let Id: String
            let Target: String
        }
        let Relationship: [Relationship]?
    }
}
