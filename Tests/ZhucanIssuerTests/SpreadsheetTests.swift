import Foundation
import Testing
import ZIPFoundation
import ZhucanIdentifiers
import ZhucanSpreadsheet

/// Spreadsheets as staff keep them: workbooks written by Excel (shared strings, rich text,
/// sparse rows, numbers), GB18030 CSV, formula cells neutralised in everything written.
@Suite("Spreadsheets: .xlsx and CSV in, .xlsx and CSV out")
struct SpreadsheetTests {
    /// A workbook as Excel writes it: shared strings (one in rich-text runs with a phonetic
    /// run), a number cell, a boolean, an inline string, a skipped cell (C2) and a skipped row.
    static func excelWorkbook(replacing replaced: [String: String] = [:]) throws -> [UInt8] {
        var parts: [(String, String)] = [
            ("[Content_Types].xml", #"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#),
            ("xl/workbook.xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名册" sheetId="1" r:id="rId3"/><sheet name="其他" sheetId="2" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", #"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId3" Type="worksheet" Target="worksheets/sheet2.xml"/></Relationships>"#),
            ("xl/sharedStrings.xml", #"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>身份证号</t></si><si><t xml:space="preserve"> 低保 </t></si><si><r><rPr><b/></rPr><t>是</t></r><rPh sb="0" eb="1"><t>シ</t></rPh></si><si><r><t>欧阳</t></r><r><t>小明</t></r></si></sst>"#),
            ("xl/worksheets/sheet1.xml", #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row></sheetData></worksheet>"#),
            ("xl/worksheets/sheet2.xml", #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:D4"/><sheetData><row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="D1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="2"><c r="A2"><v>3.30482199001011E+17</v></c><c r="B2" t="s"><v>2</v></c><c r="D2" t="s"><v>3</v></c></row><row r="4"><c r="A4" t="str"><f>A2</f><v>330482</v></c><c r="B4" t="b"><v>1</v></c></row></sheetData></worksheet>"#),
        ]
        parts = parts.map { ($0.0, replaced[$0.0] ?? $0.1) }
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return [UInt8](try #require(archive.data))
    }

    @Test("an Excel workbook: its first sheet in workbook order, shared strings and rich text, sparse cells, row numbers kept")
    func readsExcel() throws {
        let table = try SpreadsheetTable(bytes: try Self.excelWorkbook())
        #expect(table.format == .xlsx)
        #expect(table.records.map(\.row) == [1, 2, 4])
        #expect(table.records[0].cells == ["身份证号", " 低保 ", "", "姓名"])
        #expect(table.records[1].cells == ["3.30482199001011E+17", "是", "", "欧阳小明"])
        #expect(table.records[2].cells == ["330482", "true", "", ""])
    }

    @Test("an ID number Excel turned into a number is refused with the reason, by row and column")
    func scientificNotation() throws {
        let list = try PersonListFile(
            table: try SpreadsheetTable(bytes: try Self.excelWorkbook()),
            columns: [.init(key: "dibao", chineseName: "低保", kind: .flag), .init(key: "name", chineseName: "姓名", kind: .flag)]
        )
        #expect(list.rows.isEmpty)
        let reasons = list.problems.map(\.reason)
        #expect(reasons.count == 2)
        #expect(reasons[0].hasPrefix("第 2 行 A 列 身份证号：格式错误 / row 2, column A (身份证号): the spreadsheet turned the number into scientific notation"), "\(reasons[0])")
        #expect(reasons[0].contains("第 2 行 D 列 姓名：应为“是”或“否”"), "\(reasons[0])")
        #expect(reasons[1].contains("第 4 行 A 列 身份证号：位数错误"), "\(reasons[1])")
    }

    // One shared string of a megabyte, referenced by every cell, made a 7.8 KB workbook take
    // 1.9 GB of memory and write a 629 MB reject file.
    @Test("a cell or shared string longer than Excel allows (32,767 characters) is refused, naming where")
    func overlongCells() throws {
        let long = String(repeating: "长", count: 32_768)
        let shared = try Self.excelWorkbook(replacing: [
            "xl/sharedStrings.xml": #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>身份证号</t></si><si><t>LONG</t></si></sst>"#
                .replacingOccurrences(of: "LONG", with: long),
        ])
        #expect {
            try SpreadsheetTable(bytes: shared)
        } throws: { ($0 as? BatchFileError)?.reason.contains("shared string 2 of xl/sharedStrings.xml is longer than a cell may be (32767 characters)") == true }
        let inline = try Self.excelWorkbook(replacing: [
            "xl/worksheets/sheet2.xml": #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>身份证号</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>LONG</t></is></c></row></sheetData></worksheet>"#
                .replacingOccurrences(of: "LONG", with: long),
        ])
        #expect {
            try SpreadsheetTable(bytes: inline)
        } throws: { ($0 as? BatchFileError)?.reason.contains("row 2, column A: longer than a cell may be") == true }
        // In CDATA too, where it had gone round the count.
        let cdata = try Self.excelWorkbook(replacing: [
            "xl/sharedStrings.xml": #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>身份证号</t></si><si><t><![CDATA[LONG]]></t></si></sst>"#
                .replacingOccurrences(of: "LONG", with: long),
        ])
        #expect {
            try SpreadsheetTable(bytes: cdata)
        } throws: { ($0 as? BatchFileError)?.reason.contains("shared string 2 of xl/sharedStrings.xml is longer than a cell may be") == true }
        // Excel's longest is read.
        let longest = try Self.excelWorkbook(replacing: [
            "xl/worksheets/sheet2.xml": #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>LONG</t></is></c></row></sheetData></worksheet>"#
                .replacingOccurrences(of: "LONG", with: String(long.dropFirst())),
        ])
        #expect(try SpreadsheetTable(bytes: longest).records.first?.cells.first?.count == 32_767)
    }

    // A workbook a program wrote has formulas and no saved results: each cell read as empty,
    // and an empty cell leaves a household fact unchanged: "imported 0 facts of 5 people".
    @Test("a formula whose result was never saved is refused naming its cell; an .xls or a password-protected workbook is named as such")
    func unsavedFormulasAndOldWorkbooks() throws {
        let unsaved = try Self.excelWorkbook(replacing: [
            "xl/worksheets/sheet2.xml": #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>身份证号</t></is></c><c r="B1" t="inlineStr"><is><t>低保</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c><c r="B2" t="str"><f>IF(1,"是","否")</f></c></row></sheetData></worksheet>"#,
        ])
        #expect {
            try SpreadsheetTable(bytes: unsaved)
        } throws: { ($0 as? BatchFileError)?.reason.contains("row 2, column B: a formula whose result was never saved") == true }
        // The same formula with its result, as Excel saves it, reads.
        let saved = try Self.excelWorkbook(replacing: [
            "xl/worksheets/sheet2.xml": #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="str"><f>"身份证号"</f><v>身份证号</v></c></row></sheetData></worksheet>"#,
        ])
        #expect(try SpreadsheetTable(bytes: saved).records.first?.cells == ["身份证号"])
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] + [UInt8](repeating: 0, count: 504)
        #expect {
            try SpreadsheetTable(bytes: ole)
        } throws: { ($0 as? BatchFileError)?.reason.contains("an Excel 97–2003 .xls or a password-protected workbook") == true }
    }

    // XMLCoder decodes these parts whole and recursively: 10,000 nested elements in a 1.8 KB
    // workbook.xml crashed the process (SIGSEGV). Run in a process of its own, so that a
    // regression fails this test by name rather than killing the run.
    @Test("a workbook part nested deeper than any workbook is refused, not decoded into a stack overflow")
    func deeplyNestedPart() async {
        await #expect(processExitsWith: .success) {
            let workbook = #"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">DEEP<sheets><sheet name="名册" sheetId="1" r:id="rId3"/></sheets></workbook>"#
            // Plain, and the ways a scan of tags alone was fooled (a review): a quoted "/>" that
            // looks self-closing, closing tags hidden in a comment or CDATA that count down first.
            let closes = String(repeating: "</x>", count: 10_000)
            for (name, deep) in [
                ("plain", String(repeating: "<x>", count: 10_000) + closes),
                ("quoted />", String(repeating: #"<x a="/>">"#, count: 10_000) + closes),
                ("comment", "<!-- >" + closes + " -->" + String(repeating: "<x>", count: 10_000) + closes),
                ("CDATA", "<y><![CDATA[>" + closes + "]]></y>" + String(repeating: "<x>", count: 10_000) + closes),
            ] {
                let bytes = try SpreadsheetTests.excelWorkbook(replacing: ["xl/workbook.xml": workbook.replacingOccurrences(of: "DEEP", with: deep)])
                #expect("\(name)") {
                    try SpreadsheetTable(bytes: bytes)
                } throws: { ($0 as? BatchFileError)?.reason.contains("nests elements more than 64 deep") == true }
            }
        }
    }

    // A reject file's ID numbers, corrected or typed in Excel, became 3.60121E+17 in cells of
    // the General format, and the file was refused when read back (a review).
    @Test("Every cell and column of a workbook written has the Text format (built-in 49), so numbers typed in stay text")
    func writtenCellsAreText() throws {
        let bytes = SpreadsheetWriter.bytes([["身份证号", "姓名"], ["360121197011210013", "王小明"]], format: .xlsx)
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        func part(_ path: String) throws -> String {
            let entry = try #require(archive[path], "\(path)")
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }
        let styles = try part("xl/styles.xml")
        #expect(styles.contains(#"<cellXfs count="2">"#) && styles.contains(#"<xf numFmtId="49""#), "\(styles)")
        #expect(try part("xl/_rels/workbook.xml.rels").contains(#"Target="styles.xml""#))
        #expect(try part("[Content_Types].xml").contains(#"PartName="/xl/styles.xml""#))
        let sheet = try part("xl/worksheets/sheet1.xml")
        #expect(sheet.contains(#"<cols><col min="1" max="16384" width="20" style="1" customWidth="1"/></cols><sheetData>"#), "\(sheet)")
        #expect(sheet.components(separatedBy: "<c ").count - 1 == 4 && sheet.components(separatedBy: #" s="1" t="inlineStr""#).count - 1 == 4, "\(sheet)")
        #expect(try SpreadsheetTable(bytes: bytes).records.last?.cells == ["360121197011210013", "王小明"], "and it reads back")
    }

    // A workbook from old Mac Excel numbers days from 1904: its 2026-11-30 (serial 44,894) was
    // read as 2022-11-29, without a word.
    @Test("a date serial is read in the workbook's date system, 1900 or 1904 (ECMA-376 §18.17.4.1)")
    func dateSystems() throws {
        let id = "110105194912310021".prefix(17) + String((try? CitizenIDNumber.checkCharacter(for: "11010519491231002")) ?? "0")
        let sheet = #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>身份证号</t></is></c><c r="B1" t="inlineStr"><is><t>发放日期</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>ID</t></is></c><c r="B2"><v>SERIAL</v></c></row></sheetData></worksheet>"#
        let workbook = #"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">PROPERTIES<sheets><sheet name="发放" sheetId="1" r:id="rId3"/></sheets></workbook>"#
        for (properties, serial, expected) in [("", "46356", "2026-11-30"), (#"<workbookPr date1904="1"/>"#, "44894", "2026-11-30"),
                                               (#"<workbookPr date1904="true"/>"#, "0", "1904-01-01"), ("", "61", "1900-03-01")] {
            let bytes = try Self.excelWorkbook(replacing: [
                "xl/workbook.xml": workbook.replacingOccurrences(of: "PROPERTIES", with: properties),
                "xl/worksheets/sheet2.xml": sheet.replacingOccurrences(of: "ID", with: String(id)).replacingOccurrences(of: "SERIAL", with: serial),
            ])
            let list = try PersonListFile(table: try SpreadsheetTable(bytes: bytes), columns: [.init(key: "date", chineseName: "发放日期", kind: .date)])
            #expect(list.problems.isEmpty, "\(list.problems)")
            if case .date(let date)? = list.rows.first?.values["date"] { #expect(date.description == expected, "\(properties) \(serial)") } else { Issue.record("no date: \(properties) \(serial)") }
        }
    }

    // Every 名册 carries names, and the lists Zhucan writes label columns `身份证号 idNumber`:
    // both had been refused as unknown columns.
    @Test("a list's name column is left aside and Zhucan's own bilingual labels are read; any other unknown column is refused")
    func listHeaders() throws {
        let columns = [PersonListFile.Column(key: "dibao", chineseName: "低保", kind: .flag)]
        func list(_ text: String) throws -> PersonListFile {
            try PersonListFile(table: try SpreadsheetTable(bytes: Array(text.utf8)), columns: columns)
        }
        for header in ["姓名,身份证号,低保", "姓名 holder,身份证号 idNumber,低保 dibao", "name,id_number,dibao"] {
            let read = try list("\(header)\n王小明,360121197011210013,是\n")
            #expect(read.problems.isEmpty && read.rows.count == 1, "\(header): \(read.problems)")
            if case .flag(let value)? = read.rows.first?.values["dibao"] { #expect(value) } else { Issue.record("\(header): no 低保") }
        }
        for header in ["备注 低保,身份证号", "姓名,身份证号,低保 idNumber", "序号,身份证号,低保"] {
            let error = #expect(throws: BatchFileError.self, "\(header)") { try list("\(header)\n1,360121197011210013,是\n") }
            #expect(error?.reason.contains("unknown column") == true, "\(header): \(error?.reason ?? "")")
            #expect(error?.reason.contains("the columns are 身份证号 (idNumber), 低保 (dibao), 姓名 (name, left aside)") == true, "\(error?.reason ?? "")")
        }
    }

    @Test("an amount is 0 to 999,999,999 yuan a row, so a million rows' total cannot overflow")
    func amounts() throws {
        let ids = ["110105194912310021", "11010519491231002X"].map { String($0.prefix(17)) }.map { $0 + String((try? CitizenIDNumber.checkCharacter(for: $0)) ?? "0") }
        let text = "身份证号,金额\n\(ids[0]),999999999.99\n\(ids[1]),1000000000\n"
        let list = try PersonListFile(
            table: try SpreadsheetTable(bytes: Array(text.utf8)), columns: [.init(key: "amount", chineseName: "金额", kind: .amount)]
        )
        #expect(list.rows.count == 1)
        if case .amount(let fen)? = list.rows.first?.values["amount"] { #expect(fen == 99_999_999_999) } else { Issue.record("no amount") }
        #expect(list.problems.first?.reason.contains("0 to 999,999,999 yuan") == true, "\(list.problems)")
    }

    @Test("a quote that opens a field and is never closed is refused, naming its line, not read as one cell to the end of the file")
    func unclosedQuote() throws {
        let good = "姓名,身份证号\n\"王, 小明\",1\n\"说\"\"好\"\"\",2\n\"两\r\n行\",3\n"
        #expect(try SpreadsheetTable(bytes: Array(good.utf8)).records.count == 4)
        let bad = good + "张伟,\"11010119900307451X,1\n" + String(repeating: "李四,2\n", count: 1_000)
        let error = #expect(throws: BatchFileError.self) { try SpreadsheetTable(bytes: Array(bad.utf8)) }
        #expect(error?.reason.contains("line 6: a quoted field is never closed") == true, "\(error?.reason ?? "")")
    }

    @Test("not a workbook, or a bomb: refused with a reason, never a crash")
    func hostileWorkbooks() throws {
        #expect(throws: BatchFileError.self) { try SpreadsheetTable(bytes: [0x50, 0x4B, 0x03, 0x04, 0, 0, 0]) }
        let archive = try Archive(data: Data(), accessMode: .create)
        let zeros = Data(count: 8 * 1024 * 1024)
        try archive.addEntry(with: "xl/workbook.xml", type: .file, uncompressedSize: Int64(zeros.count), compressionMethod: .deflate) { position, size in
            zeros.subdata(in: Int(position)..<Int(position) + size)
        }
        let error = #expect(throws: BatchFileError.self) { try SpreadsheetTable(bytes: [UInt8](try #require(archive.data))) }
        #expect(error?.code == .unreadable, "8 MiB of zeros is no XML")
    }

    @Test("a crafted sheet is refused with a reason, never a crash or a memory blow-up: row numbers, far columns, a hidden first sheet, a DTD, ZIP64")
    func craftedSheets() throws {
        let sheet = "xl/worksheets/sheet2.xml"
        func rows(_ body: String) -> String {
            #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\#(body)</sheetData></worksheet>"#
        }
        let cases: [(String, [String: String])] = [
            ("row number 9223372036854775807", [sheet: rows(#"<row r="9223372036854775807"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>"#)]),
            ("row number 2 is out of order", [sheet: rows(#"<row r="4"><c r="A4"><v>1</v></c></row><row r="2"><c r="A2"><v>1</v></c></row>"#)]),
            ("row number 0", [sheet: rows(#"<row r="0"><c r="A1"><v>1</v></c></row>"#)]),
            ("beyond column 256", [sheet: rows(String(repeating: #"<row><c r="XFD1"/></row>"#, count: 3))]),
            ("the first sheet is hidden", ["xl/workbook.xml": #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="旧" sheetId="1" state="hidden" r:id="rId3"/><sheet name="新" sheetId="2" r:id="rId1"/></sheets></workbook>"#]),
            ("document type declaration", ["xl/sharedStrings.xml": #"<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">]><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&a;</t></si></sst>"#]),
        ]
        for (reason, replaced) in cases {
            let error = #expect(throws: BatchFileError.self, "\(reason)") { try SpreadsheetTable(bytes: try Self.excelWorkbook(replacing: replaced)) }
            #expect(error?.reason.contains(reason) == true, "\(reason): \(error?.reason ?? "")")
        }

        // ZIP64: a record and locator before the end record, the central directory said to lie
        // at 2^64 - 1. ZIPFoundation converts that offset to off_t unchecked and traps.
        var bytes = try Self.excelWorkbook()
        let end = bytes.count - 22
        #expect(Array(bytes[end..<end + 4]) == [0x50, 0x4B, 0x05, 0x06])
        func little(_ value: UInt64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        let record: [UInt8] = [0x50, 0x4B, 0x06, 0x06] + little(44, 8) + little(45, 2) + little(45, 2) + little(0, 4) + little(0, 4)
            + little(6, 8) + little(6, 8) + little(UInt64(bytes[end + 12]) | UInt64(bytes[end + 13]) << 8, 8) + little(.max, 8)
        let locator: [UInt8] = [0x50, 0x4B, 0x06, 0x07] + little(0, 4) + little(UInt64(end), 8) + little(1, 4)
        var endRecord = Array(bytes[end...])
        endRecord.replaceSubrange(8..<12, with: [0xFF, 0xFF, 0xFF, 0xFF])
        endRecord.replaceSubrange(16..<20, with: [0xFF, 0xFF, 0xFF, 0xFF])
        bytes = Array(bytes[..<end]) + record + locator + endRecord
        let zip64 = #expect(throws: BatchFileError.self) { try SpreadsheetTable(bytes: bytes) }
        #expect(zip64?.reason.contains("ZIP64") == true, "\(zip64?.reason ?? "")")
    }

    /// A sheet of `rows` as Excel writes a batch: a header, then one person a row, with
    /// shared strings and styled cells.
    static func batchSheet(_ rows: String) -> String {
        #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="B1" t="inlineStr"><is><t>id_number</t></is></c><c r="C1" t="inlineStr"><is><t>category</t></is></c><c r="D1" t="inlineStr"><is><t>level</t></is></c><c r="E1" t="inlineStr"><is><t>region</t></is></c><c r="F1" t="inlineStr"><is><t>valid_from</t></is></c></row>\#(rows)</sheetData></worksheet>"#
    }

    // libxml2 refuses a document handed to it in one piece beyond 10 MB: a 60,000-row
    // workbook from Excel was "not valid SpreadsheetML".
    @Test("a sheet part over 10 MB, as Excel writes some 45,000 rows, is read in full")
    func largeSheet() throws {
        let count = 45_000
        var rows = ""
        rows.reserveCapacity(count * 280)
        for row in 2...count + 1 {
            rows += #"<row r="\#(row)" spans="1:6" s="1" customFormat="1" x14ac:dyDescent="0.25"><c r="A\#(row)" s="2" t="s"><v>3</v></c><c r="B\#(row)" s="2" t="str"><v>360121197011210013</v></c><c r="C\#(row)" s="3"><v>4</v></c><c r="D\#(row)" s="3"><v>3</v></c><c r="E\#(row)" s="2" t="str"><v>330482</v></c></row>"#
        }
        let sheet = Self.batchSheet(rows).replacingOccurrences(of: "<worksheet ", with: #"<worksheet xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" "#)
        #expect(sheet.utf8.count > 10_500_000)
        let table = try SpreadsheetTable(bytes: try Self.excelWorkbook(replacing: ["xl/worksheets/sheet2.xml": sheet]))
        #expect(table.records.count == count + 1)
        #expect(table.records.last?.row == count + 1)
        #expect(table.records.last?.cells == ["欧阳小明", "360121197011210013", "4", "3", "330482", ""])
    }

    @Test("rows a filter hides are refused by number; a hidden row with nothing in it is no matter")
    func hiddenRows() throws {
        let person = #"<c t="inlineStr"><is><t>王小明</t></is></c><c t="str"><v>360121197011210013</v></c><c><v>4</v></c><c><v>3</v></c><c><v>330482</v></c>"#
        let hidden = Self.batchSheet(#"<row r="2">\#(person)</row><row r="3" hidden="1">\#(person)</row><row r="5" hidden="true">\#(person)</row>"#)
        let error = #expect(throws: BatchFileError.self) { try SpreadsheetTable(bytes: try Self.excelWorkbook(replacing: ["xl/worksheets/sheet2.xml": hidden])) }
        #expect(error?.reason.contains("2 rows are hidden (rows 3, 5)") == true, "\(error?.reason ?? "")")
        let blank = Self.batchSheet(#"<row r="2">\#(person)</row><row r="3" hidden="1"><c r="A3" s="1"/></row>"#)
        #expect(try SpreadsheetTable(bytes: try Self.excelWorkbook(replacing: ["xl/worksheets/sheet2.xml": blank])).records.count == 2)
    }

    // Excel writes a cell that has a border or a fill and no value; every such row had been
    // refused for having more fields than the header.
    @Test("a workbook's batch: styled empty cells past the header, an error cell, a date serial")
    func excelBatch() throws {
        let rows = #"""
            <row r="2"><c r="A2" t="inlineStr"><is><t>王小明</t></is></c><c r="B2" t="str"><v>360121197011210013</v></c><c r="C2"><v>4</v></c><c r="D2"><v>3</v></c><c r="E2"><v>330482</v></c><c r="F2"><v>46023</v></c><c r="G2" s="1"/><c r="H2" s="1"/></row>
            <row r="3"><c r="A3" t="e"><f>VLOOKUP(B3,名册!A:B,2,0)</f><v>#N/A</v></c><c r="B3" t="str"><v>11010519491231002X</v></c><c r="C3"><v>1</v></c><c r="D3"><v>2</v></c><c r="E3"><v>330482</v></c><c r="G3" s="1"/></row>
            """#
        let sheet = Self.batchSheet(rows).replacingOccurrences(of: "</c></row><row r=\"2\">", with: #"</c><c r="G1" s="1"/></row><row r="2">"#)
        let batch = try BatchFile(table: try SpreadsheetTable(bytes: try Self.excelWorkbook(replacing: ["xl/worksheets/sheet2.xml": sheet])),
                                  asOf: try CivilDate("2026-12-05"))
        #expect(batch.rows.map(\.line) == [2])
        #expect(batch.rows.first?.validFrom?.description == "2026-01-01", "serial 46023 in the 1900 date system")
        #expect(batch.problems.map(\.line) == [3])
        #expect(batch.problems.first?.reason.contains("the cell holds the spreadsheet error #N/A") == true, "\(batch.problems)")
    }

    // Found by the batch-file fuzz target: `"` then U+034E is one Character, which a String
    // replacement of `"` did not match, so the quote went out alone and ended the field.
    @Test("a quote followed by a combining mark is doubled in CSV written, and reads back as written")
    func quoteBeforeCombiningMark() throws {
        let cells = ["a\"\u{034E}b", "\"\u{0301}", "plain"]
        let text = SpreadsheetWriter.csv([["x", "y", "z"], cells])
        #expect(text.hasSuffix("\"a\"\"\u{034E}b\",\"\"\"\u{0301}\",plain\r\n"))
        let table = try SpreadsheetTable(bytes: Array(text.utf8))
        #expect(table.records.last?.cells == cells)
    }

    @Test("a closing quote followed by more than a comma or line end is refused, naming its line, not read as the rest of the file")
    func textAfterClosingQuote() throws {
        let text = "name,id_number\n\"王五\" ,1\n" + String(repeating: "李四,2\n", count: 5)
        let error = #expect(throws: BatchFileError.self) { try SpreadsheetTable(bytes: Array(text.utf8)) }
        #expect(error?.reason.contains("line 2: text follows a closing quote") == true, "\(error?.reason ?? "")")
        #expect(try SpreadsheetTable(bytes: Array("a,b\n\"x\",\"y\"\r\n\"z\",w".utf8)).records.count == 3)
    }

    @Test("cells that start like a formula come back neutralised from every written spreadsheet", arguments: [SpreadsheetTable.Format.csv, .xlsx])
    func formulaInjection(_ format: SpreadsheetTable.Format) throws {
        let hostile = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\nLF", "＝SUM(A1)", "＋1", "plain", "a=b"]
        let bytes = SpreadsheetWriter.bytes([["身份证号", "备注"]] + hostile.map { ["x", $0] }, format: format)
        let table = try SpreadsheetTable(bytes: bytes)
        let written = table.records.dropFirst().map { $0.cells[1] }
        for (cell, original) in zip(written, hostile) {
            if ["=", "+", "-", "@", "\t", "\n", "＝", "＋"].contains(where: { original.hasPrefix($0) }) {
                #expect(cell == "'" + original, "\(format): \(cell)")
            } else {
                #expect(cell == original)
            }
        }
        if format == .xlsx {
            #expect(bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]))
        } else {
            #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]), "a byte order mark, for Excel")
        }
    }

    @Test("what the writer writes, the reader reads: Chinese, quotes, commas, line breaks, XML specials, control characters")
    func roundTrip() throws {
        let rows = [["表头", "b"], ["张三,李四", "say \"hi\""], ["两行\r\n文本", "<&>"], ["\u{1}bell", "（全角）\u{FFFE}\u{FFFF}"]]
        for format in [SpreadsheetTable.Format.csv, .xlsx] {
            let table = try SpreadsheetTable(bytes: SpreadsheetWriter.bytes(rows, format: format))
            let read = table.records.map { $0.cells }
            #expect(read[0] == ["表头", "b"])
            #expect(read[1] == ["张三,李四", "say \"hi\""])
            #expect(read[2] == ["两行\r\n文本", "<&>"] || read[2] == ["两行\n文本", "<&>"], "\(format): \(read[2])")
            #expect(read[3][0].hasSuffix("bell"))
            #expect(read[3][1] == (format == .xlsx ? "（全角）\u{FFFD}\u{FFFD}" : "（全角）\u{FFFE}\u{FFFF}"), "XML 1.0 forbids U+FFFE and U+FFFF")
        }
    }

    @Test("a large CSV file read in parts on every core gives the records and line numbers of one reading")
    func csvInParts() throws {
        // Over 4 MiB of rows with every line end (CR LF, LF, a lone CR), blank lines, and a
        // line break inside a field written without quotes (CSV.swift keeps a lone CR there).
        var lines: [String] = ["\u{FEFF}name,id_number"]
        for row in 0..<200_000 {
            switch row % 7 {
            case 0: lines.append("王小明\(row),\(row)\r")
            case 3: lines.append("")
            case 5: lines.append(",,")
            default: lines.append("欧阳娜娜\(row),\(row)")
            }
        }
        let text = lines.joined(separator: "\n") + "\n"
        #expect(SpreadsheetTable.csvParts(String(text.dropFirst())).count >= 3)
        // One double quote anywhere, and the file is read in one pass: the quoted last cell
        // reads as the same text.
        let quoted = text.replacingOccurrences(of: "欧阳娜娜199999,199999\n", with: "欧阳娜娜199999,\"199999\"\n")
        #expect(quoted != text)
        #expect(SpreadsheetTable.csvParts(String(quoted.dropFirst())).count == 1)

        let parts = try SpreadsheetTable(bytes: Array(text.utf8))
        let whole = try SpreadsheetTable(bytes: Array(quoted.utf8))
        #expect(parts.records.count == whole.records.count)
        // Compared first, so that a failure does not print 200,000 records.
        let sameRows = parts.records.map(\.row) == whole.records.map(\.row)
        let sameCells = parts.records.map(\.cells) == whole.records.map(\.cells)
        #expect(sameRows)
        #expect(sameCells)
        #expect(parts.records.first?.cells == ["name", "id_number"])
        #expect(parts.records.last?.row == 200_001)
    }

    @Test("a table written to a file a row at a time reads back as written, past the writer's one-mebibyte chunks", arguments: [SpreadsheetTable.Format.csv, .xlsx])
    func writtenToFile(_ format: SpreadsheetTable.Format) throws {
        let rows = (0..<30_000).map { ["\($0)", "张三\($0)", $0 == 29_999 ? "=cmd" : "备注 <\($0)>"] }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("zhucan-table-\(UUID().uuidString).\(format.rawValue)")
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
        try SpreadsheetWriter.write(header: ["编号", "姓名", "备注"], rows: rows, format: format, sheetName: "名单", into: file)
        if format == .csv {
            #expect(try [UInt8](Data(contentsOf: file)) == SpreadsheetWriter.bytes([["编号", "姓名", "备注"]] + rows, format: .csv), "the same bytes as in memory")
        }
        let table = try SpreadsheetTable(contentsOf: file)
        #expect(table.records.count == 30_001)
        #expect(table.records.first?.cells == ["编号", "姓名", "备注"])
        #expect(table.records[12_346].cells == ["12345", "张三12345", "备注 <12345>"])
        #expect(table.records.last?.cells == ["29999", "张三29999", "'=cmd"], "neutralised")
    }

    @Test("a workbook holds at most sheetRows rows a sheet: the rest follow on further sheets, each under the header")
    func sheetsOfAtMostSheetRows() throws {
        let rows = [["编号"]] + (1...7).map { ["\($0)"] }
        let archive = try Archive(data: Data(SpreadsheetWriter.xlsx(rows, sheetName: "主动推送", sheetRows: 3)), accessMode: .read)
        func text(_ path: String) throws -> String {
            var data = Data()
            _ = try archive.extract(try #require(archive[path], "\(path)")) { data.append($0) }
            return String(decoding: data, as: UTF8.self)
        }
        let workbook = try text("xl/workbook.xml")
        for number in 1...4 {
            #expect(workbook.contains(#"<sheet name="主动推送 \#(number)" sheetId="\#(number)" r:id="rId\#(number)"/>"#), "\(workbook)")
            #expect(try text("[Content_Types].xml").contains("/xl/worksheets/sheet\(number).xml"))
            #expect(try text("xl/_rels/workbook.xml.rels").contains("worksheets/sheet\(number).xml"))
        }
        #expect(archive["xl/worksheets/sheet5.xml"] == nil)
        let cells = try (1...4).map { number in
            try text("xl/worksheets/sheet\(number).xml").components(separatedBy: "<t xml:space=\"preserve\">").dropFirst().map { String($0.prefix { $0 != "<" }) }
        }
        #expect(cells == [["编号", "1", "2"], ["编号", "3", "4"], ["编号", "5", "6"], ["编号", "7"]])
        #expect(try SpreadsheetTable(bytes: SpreadsheetWriter.xlsx(rows, sheetName: "主动推送", sheetRows: 3)).records.map(\.cells) == [["编号"], ["1"], ["2"]],
                "a reader of the first sheet finds a valid workbook")
        let one = try Archive(data: Data(SpreadsheetWriter.xlsx(rows, sheetName: "主动推送")), accessMode: .read)
        #expect(one["xl/worksheets/sheet2.xml"] == nil, "one sheet when the rows fit")
    }

    @Test("rows that read differently the second time are refused, not written as a sheet cut short or run on", arguments: [1, 2_000, -1, -2_000])
    func rowsThatChange(_ growth: Int) throws {
        /// Rows whose cells grow by `growth` characters (or shrink) each time they are read through.
        final class Growing: RandomAccessCollection, @unchecked Sendable {
            let growth: Int
            var passes = 0
            init(growth: Int) { self.growth = growth }
            var startIndex: Int { 0 }
            var endIndex: Int { 3 }
            subscript(position: Int) -> [String] {
                if position == 0 { passes += 1 }
                return ["\(position)" + String(repeating: "x", count: 5_000 + passes * growth)]
            }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("zhucan-growing-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(FileManager.default.createFile(atPath: file.path, contents: nil))
        let error = #expect(throws: CocoaError.self) {
            try SpreadsheetWriter.write(header: ["编号"], rows: Growing(growth: growth), format: .xlsx, sheetName: "名单", into: file)
        }
        #expect(error?.localizedDescription == "the sheet's rows changed while it was written", "\(String(describing: error))")
    }
}
