import Foundation
import ZIPFoundation
import ZhucanIdentifiers

/// Writes a table for staff to open: an Office Open XML workbook (`.xlsx`) or CSV (RFC 4180,
/// UTF-8 with a byte order mark, which Excel needs to show Chinese, and CR LF line ends).
///
/// Every cell that starts like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading
/// apostrophe (OWASP, CSV injection), in both formats: a workbook saved again as CSV keeps
/// the neutralised text. ``SpreadsheetTable`` readers strip it again.
///
/// A file is written a row at a time, whatever its length: a first discovery over a province
/// lists millions of rows, a sheet of a gigabyte per million. A workbook holds at most
/// ``sheetRows`` rows per sheet, each sheet starting with the header.
package enum SpreadsheetWriter {
    /// The rows of a worksheet, header included: Excel opens no more (Microsoft, "Excel
    /// specifications and limits": 1,048,576 rows by 16,384 columns), and neither do WPS
    /// and LibreOffice.
    package static let sheetRows = 1_048_576

    /// The format for a path: `.xlsx` for a workbook, CSV otherwise.
    package static func format(forPath path: String) -> SpreadsheetTable.Format {
        path.lowercased().hasSuffix(".xlsx") ? .xlsx : .csv
    }

    /// Writes `header` and `rows` in `format` into `file`, which exists and is empty (it keeps
    /// its mode): one CSV file, or a workbook of as many sheets of ``sheetRows`` as the rows
    /// need, named `sheetName` when one is enough, else `sheetName 1`, `sheetName 2` ….
    ///
    /// The rows are read twice for a workbook: a ZIP entry's size comes before its data.
    /// - Throws: the file system's error.
    package static func write<Rows: Collection<[String]>>(
        header: [String], rows: Rows, format: SpreadsheetTable.Format, sheetName: String, into file: URL
    ) throws {
        switch format {
        case .csv:
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            var chunk = Array("\u{FEFF}".utf8)
            appendCSVLine(header, to: &chunk)
            for row in rows {
                appendCSVLine(row, to: &chunk)
                if chunk.count >= 1 << 20 {
                    try handle.write(contentsOf: chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            try handle.write(contentsOf: chunk)
        case .xlsx:
            // An empty archive, its end of central directory record alone (APPNOTE.TXT
            // §4.3.16), which ZIPFoundation then fills in place.
            do {
                let handle = try FileHandle(forWritingTo: file)
                defer { try? handle.close() }
                try handle.write(contentsOf: [0x50, 0x4B, 0x05, 0x06] + [UInt8](repeating: 0, count: 18))
            }
            do {
                try addWorkbook(header: header, rows: rows, sheetName: sheetName, sheetRows: sheetRows, to: Archive(url: file, accessMode: .update))
            } catch Data.DataError.unwritableFile {
                // ZIPFoundation reports a failed write without its reason; errno still holds it
                // ("No space left on device").
                throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: strerror(errno))])
            }
        }
    }

    /// The bytes of `rows` (the first is the header) in `format`, built in memory.
    package static func bytes(_ rows: [[String]], format: SpreadsheetTable.Format, sheetName: String = "Sheet1") -> [UInt8] {
        switch format {
        case .csv: Array(csv(rows).utf8)
        case .xlsx: xlsx(rows, sheetName: sheetName)
        }
    }

    /// CSV text of `rows`, neutralised, with a byte order mark.
    package static func csv(_ rows: [[String]]) -> String {
        var bytes = Array("\u{FEFF}".utf8)
        for row in rows {
            appendCSVLine(row, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A workbook of `rows` (the first is the header), built in memory.
    package static func xlsx(_ rows: [[String]], sheetName: String, sheetRows: Int = sheetRows) -> [UInt8] {
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            try addWorkbook(header: rows.first ?? [], rows: rows.dropFirst(), sheetName: sheetName, sheetRows: sheetRows, to: archive)
            return [UInt8](archive.data ?? Data())
        } catch {
            // Writing to memory fails only on a programming error.
            preconditionFailure("xlsx in memory: \(error)")
        }
    }

    // MARK: - CSV

    /// Appends a CSV record and its CR LF.
    private static func appendCSVLine(_ cells: [String], to bytes: inout [UInt8]) {
        bytes += BatchFile.csvLine(cells).utf8
        bytes += "\r\n".utf8
    }

    // MARK: - Workbook

    /// Adds the parts of a workbook to an empty archive: one worksheet per ``sheetRows`` rows
    /// (each starting with `header`), as inline strings (ECMA-376 Part 1 §18.3.1.53), and the
    /// smallest package Excel, WPS and LibreOffice open (content types, relationships,
    /// workbook, styles). Every cell, and every column for what is typed in later, has the
    /// Text number format (built-in 49, §18.8.30): an ID number a clerk corrects or types in
    /// stays text, where General turns it into 3.60121E+17 and keeps 15 digits.
    private static func addWorkbook<Rows: Collection<[String]>>(
        header: [String], rows: Rows, sheetName: String, sheetRows: Int, to archive: Archive
    ) throws {
        precondition(sheetRows >= 2, "a sheet holds the header and at least one row")
        var sheets: [Rows.SubSequence] = []
        var start = rows.startIndex
        repeat {
            let end = rows.index(start, offsetBy: sheetRows - 1, limitedBy: rows.endIndex) ?? rows.endIndex
            sheets.append(rows[start..<end])
            start = end
        } while start != rows.endIndex
        let names = sheets.indices.map { index in
            guard sheets.count > 1 else { return String(sheetName.prefix(31)) }
            // Excel refuses a sheet name of more than 31 characters.
            let suffix = " \(index + 1)"
            return String(sheetName.prefix(31 - suffix.count)) + suffix
        }
        let declaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        let contentTypes = declaration
            + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
            + #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
            + sheets.indices.map { #"<Override PartName="/xl/worksheets/sheet\#($0 + 1).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"# }.joined()
            + "</Types>"
        let packageRelationships = declaration
            + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
        let workbook = declaration
            + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#
            + names.enumerated().map { #"<sheet name="\#(escaped($1))" sheetId="\#($0 + 1)" r:id="rId\#($0 + 1)"/>"# }.joined()
            + "</sheets></workbook>"
        let workbookRelationships = declaration
            + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
            + sheets.indices.map { #"<Relationship Id="rId\#($0 + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#($0 + 1).xml"/>"# }.joined()
            + #"<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
            + "</Relationships>"
        // Style 1 is the Text format; the rest is what Excel requires of a style sheet.
        let styles = declaration
            + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
            + #"<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>"#
            + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
            + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
            + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
            + #"<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
            + #"<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#
            + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#
        for (path, text) in [("[Content_Types].xml", contentTypes), ("_rels/.rels", packageRelationships),
                             ("xl/workbook.xml", workbook), ("xl/_rels/workbook.xml.rels", workbookRelationships), ("xl/styles.xml", styles)] {
            let bytes = Array(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                Data(bytes[Int(position)..<Int(position) + size])
            }
        }
        for (index, rows) in sheets.enumerated() {
            let sheet = SheetXML(header: header, rows: rows)
            let size = sheet.size
            try archive.addEntry(with: "xl/worksheets/sheet\(index + 1).xml", type: .file, uncompressedSize: size,
                                 compressionMethod: .deflate, provider: sheet.reader(size: size))
        }
    }

    /// A worksheet's XML, produced a row at a time: counted once for its size, then read in
    /// the chunks ZIPFoundation asks for, in order.
    private struct SheetXML<Rows: Collection<[String]>> {
        let header: [String]
        let rows: Rows

        static var prologue: [UInt8] {
            Array((#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
                + #"<cols><col min="1" max="16384" width="20" style="1" customWidth="1"/></cols><sheetData>"#).utf8)
        }
        static var epilogue: [UInt8] { Array("</sheetData></worksheet>".utf8) }

        /// The rows' XML one row at a time, the header first.
        struct Cursor {
            private var header: [String]?
            private var rows: Rows.Iterator
            private var number = 0

            init(_ sheet: SheetXML) {
                header = sheet.header
                rows = sheet.rows.makeIterator()
            }

            /// Appends the next row's XML to `sheet`; `false` after the last.
            mutating func appendNext(to sheet: inout [UInt8]) -> Bool {
                guard let cells = header ?? rows.next() else { return false }
                header = nil
                number += 1
                let reference = String(number)
                sheet += "<row r=\"".utf8
                sheet += reference.utf8
                sheet += "\">".utf8
                for (column, cell) in cells.enumerated() where !cell.isEmpty {
                    sheet += "<c r=\"".utf8
                    sheet += SpreadsheetTable.columnLetters(column).utf8
                    sheet += reference.utf8
                    sheet += "\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8
                    appendEscaped(FreeText.neutralisingFormula(cell), to: &sheet)
                    sheet += "</t></is></c>".utf8
                }
                sheet += "</row>".utf8
                return true
            }
        }

        /// The number of bytes of the XML.
        var size: Int64 {
            var size = Int64(Self.prologue.count + Self.epilogue.count)
            var cursor = Cursor(self)
            var row = [UInt8]()
            while cursor.appendNext(to: &row) {
                size += Int64(row.count)
                row.removeAll(keepingCapacity: true)
            }
            return size
        }

        /// A ZIPFoundation provider of the XML, which `total` bytes were counted: each call
        /// returns the next `size` bytes.
        ///
        /// - Throws: when the rows give other bytes than they were counted with (a collection
        ///   that changed between the passes), rather than a sheet cut short or run on.
        func reader(size total: Int64) -> (Int64, Int) throws -> Data {
            var pending = Self.prologue
            var consumed = 0
            var cursor = Cursor(self)
            var finished = false
            return { position, size in
                while pending.count - consumed < size, !finished {
                    if consumed >= 1 << 20 {
                        pending.removeFirst(consumed)
                        consumed = 0
                    }
                    if !cursor.appendNext(to: &pending) {
                        pending += Self.epilogue
                        finished = true
                    }
                }
                let isLast = position + Int64(size) == total
                guard pending.count - consumed >= size, !isLast || (finished && pending.count - consumed == size) else {
                    throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "the sheet's rows changed while it was written"])
                }
                defer { consumed += size }
                return Data(pending[consumed..<consumed + size])
            }
        }
    }

    /// Text safe in XML character data and attribute values: markup characters escaped,
    /// characters XML 1.0 forbids (§2.2: C0 controls but tab, LF, CR; U+FFFE, U+FFFF) replaced
    /// by U+FFFD.
    static func escaped(_ text: String) -> String {
        var bytes = [UInt8]()
        appendEscaped(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `text` made safe as ``escaped(_:)`` makes it, as UTF-8: a sheet of a million
    /// rows holds ten million cells.
    static func appendEscaped(_ text: String, to bytes: inout [UInt8]) {
        var utf8 = text.utf8.makeIterator()
        while let byte = utf8.next() {
            switch byte {
            case UInt8(ascii: "&"): bytes += "&amp;".utf8
            case UInt8(ascii: "<"): bytes += "&lt;".utf8
            case UInt8(ascii: ">"): bytes += "&gt;".utf8
            case UInt8(ascii: "\""): bytes += "&quot;".utf8
            case 0x09, 0x0A, 0x0D: bytes.append(byte)
            case ..<0x20: bytes += "\u{FFFD}".utf8
            case 0xEF:
                // U+FFFE and U+FFFF are EF BF BE and EF BF BF; the other characters from EF (the
                // full-width forms of Chinese punctuation among them) are kept.
                guard let second = utf8.next(), let third = utf8.next() else { preconditionFailure("a String is valid UTF-8") }
                let forbidden = second == 0xBF && third >= 0xBE
                bytes.append(0xEF)
                bytes.append(forbidden ? 0xBF : second)
                bytes.append(forbidden ? 0xBD : third)
            default: bytes.append(byte)
            }
        }
    }
}
