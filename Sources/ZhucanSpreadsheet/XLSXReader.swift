import Foundation
import XMLCoder
import ZIPFoundation

/// Reads the first worksheet of an Office Open XML workbook (ECMA-376 Part 1, SpreadsheetML
/// §18.3: worksheets; §18.4: shared strings) into rows of text: a ZIP archive (ZIPFoundation)
/// of XML parts (XMLCoder).
///
/// Cells are read as staff see their values: shared and inline strings (rich-text runs
/// joined, phonetic runs left out), numbers as stored (an ID number typed as a number comes
/// back as `3.30482199001011E+17`, which the validators recognise), booleans as
/// `true`/`false`. Formulas are not evaluated: their cached value is read. Every part read is
/// bounded, so a ZIP bomb is refused rather than inflated.
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
        let strings: [String]
        if archive["xl/sharedStrings.xml"] != nil {
            let table: SharedStrings = try decode(part: "xl/sharedStrings.xml", from: archive, budget: &budget)
            strings = table.si?.map(\.text) ?? []
        } else {
            strings = []
        }
        let sheet: Worksheet = try decode(part: sheetPath, from: archive, budget: &budget)
        var rows = [Row]()
        rows.reserveCapacity(sheet.sheetData.row?.count ?? 0)
        var nextRow = 1
        var cellCount = 0
        for row in sheet.sheetData.row ?? [] {
            let number = row.r ?? nextRow
            // Rows come in order, each numbered once, within the sheet (ECMA-376 §18.3.1.73).
            guard number >= nextRow, number <= Self.lastRow else {
                throw .unreadable("行号 \(number) 无效或顺序错误 / row number \(number) is out of order or beyond \(Self.lastRow)")
            }
            nextRow = number + 1
            var cells = [String]()
            var nextColumn = 0
            for cell in row.c ?? [] {
                var column = nextColumn
                if let reference = cell.r {
                    let letters = reference.prefix { $0.isASCII && $0.isLetter }
                    guard let index = SpreadsheetTable.columnIndex(letters) else {
                        throw .unreadable("第 \(number) 行有无效的单元格引用 / row \(number): invalid cell reference \"\(reference.prefix(16))\"")
                    }
                    column = index
                }
                guard column >= nextColumn else {
                    throw .unreadable("第 \(number) 行的单元格顺序错误 / row \(number): cells out of order")
                }
                guard column < Self.maximumColumns else {
                    throw .unreadable("第 \(number) 行有超过 \(Self.maximumColumns) 列的单元格 / row \(number) has a cell beyond column \(Self.maximumColumns): not a table of people")
                }
                cellCount += column + 1 - cells.count
                guard cellCount <= Self.maximumCells else {
                    throw .tooLarge("工作表的单元格过多 / the sheet holds more than \(Self.maximumCells) cells: 请拆分文件 / split the file")
                }
                if column > cells.count {
                    cells += Array(repeating: "", count: column - cells.count)
                }
                cells.append(try value(of: cell, row: number, strings: strings))
                nextColumn = column + 1
            }
            rows.append(Row(row: number, cells: cells))
        }
        return (rows, dateSystem)
    }

    /// A cell's value as text (ECMA-376 §18.18.11, ST_CellType).
    private static func value(of cell: Worksheet.Cell, row: Int, strings: [String]) throws(BatchFileError) -> String {
        switch cell.t {
        case "s":
            guard let index = cell.v.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }), strings.indices.contains(index) else {
                throw .unreadable("第 \(row) 行引用了不存在的共享字符串 / row \(row): a shared string that does not exist")
            }
            return strings[index]
        case "inlineStr":
            return cell.is?.text ?? ""
        case "b":
            return cell.v == "1" ? "true" : "false"
        default:
            // n (number), str (a formula's text), d (ISO 8601 date), e (an error such as #N/A).
            return cell.v ?? ""
        }
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

    /// Inflates one part, within what is left of the budget, and decodes its XML.
    private static func decode<T: Decodable>(part path: String, from archive: Archive, budget: inout Int) throws(BatchFileError) -> T {
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
        // Office parts never carry a document type declaration (ECMA-376 Part 2 §8.1.4); one
        // could only define entities that expand beyond what the budget measured.
        if data.range(of: Data("<!DOCTYPE".utf8)) != nil {
            throw .unreadable("\(path) 含有文档类型声明 / \(path) holds a document type declaration, which no workbook part has")
        }
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

    /// Text with attributes (`<t xml:space="preserve">`): its character data.
    struct Text: Decodable {
        let value: String?
        enum CodingKeys: String, CodingKey {
            case value = ""
        }
    }

    /// A string item: plain text, or rich-text runs (`r`), with phonetic runs (`rPh`) left out.
    struct StringItem: Decodable {
        struct Run: Decodable {
            let t: Text?
        }
        let t: Text?
        let r: [Run]?

        var text: String {
            if let t { return t.value ?? "" }
            return (r ?? []).map { $0.t?.value ?? "" }.joined()
        }
    }

    /// `xl/sharedStrings.xml`.
    struct SharedStrings: Decodable {
        let si: [StringItem]?
    }

    /// A worksheet part: rows of cells.
    struct Worksheet: Decodable {
        struct SheetData: Decodable {
            let row: [Row]?
        }
        struct Row: Decodable {
            let r: Int?
            let c: [Cell]?
        }
        struct Cell: Decodable {
            let r: String?
            let t: String?
            let v: String?
            let `is`: StringItem?
        }
        let sheetData: SheetData
    }
}
