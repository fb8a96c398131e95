import Foundation
import ZIPFoundation
import ZhucanIdentifiers

/// Writes a table for staff to open: an Office Open XML workbook (`.xlsx`) or CSV (RFC 4180,
/// UTF-8 with a byte order mark, which Excel needs to show Chinese, and CR LF line ends).
///
/// Every cell that starts like a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading
/// apostrophe (OWASP, CSV injection), in both formats: a workbook saved again as CSV keeps
/// the neutralised text. ``SpreadsheetTable`` readers strip it again.
package enum SpreadsheetWriter {
    /// The format for a path: `.xlsx` for a workbook, CSV otherwise.
    package static func format(forPath path: String) -> SpreadsheetTable.Format {
        path.lowercased().hasSuffix(".xlsx") ? .xlsx : .csv
    }

    /// The bytes of `rows` (the first is the header) in `format`.
    package static func bytes(_ rows: [[String]], format: SpreadsheetTable.Format, sheetName: String = "Sheet1") -> [UInt8] {
        switch format {
        case .csv: Array(csv(rows).utf8)
        case .xlsx: xlsx(rows, sheetName: sheetName)
        }
    }

    /// CSV text of `rows`, neutralised, with a byte order mark.
    package static func csv(_ rows: [[String]]) -> String {
        "\u{FEFF}" + rows.map(BatchFile.csvLine).joined(separator: "\r\n") + "\r\n"
    }

    /// A workbook of one sheet holding `rows` as inline strings (ECMA-376 §18.3.1.53): the
    /// smallest package Excel, WPS and LibreOffice open (content types, relationships,
    /// workbook, sheet).
    package static func xlsx(_ rows: [[String]], sheetName: String) -> [UInt8] {
        // The sheet is built as UTF-8 bytes, not as a String to be copied into bytes: a list of
        // a million holders is a sheet of about a gigabyte.
        var sheet = Array(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#.utf8)
        sheet += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#.utf8
        for (rowIndex, row) in rows.enumerated() {
            sheet += "<row r=\"\(rowIndex + 1)\">".utf8
            for (column, cell) in row.enumerated() where !cell.isEmpty {
                let text = escaped(FreeText.neutralisingFormula(cell))
                sheet += "<c r=\"\(SpreadsheetTable.columnLetters(column))\(rowIndex + 1)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8
                sheet += text.utf8
                sheet += "</t></is></c>".utf8
            }
            sheet += "</row>".utf8
        }
        sheet += "</sheetData></worksheet>".utf8
        let parts: [(String, [UInt8])] = [
            ("[Content_Types].xml", Array(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.utf8)),
            ("_rels/.rels", Array(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.utf8)),
            ("xl/workbook.xml", Array((#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name=""# + escaped(String(sheetName.prefix(31))) + #"" sheetId="1" r:id="rId1"/></sheets></workbook>"#).utf8)),
            ("xl/_rels/workbook.xml.rels", Array(#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.utf8)),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (path, bytes) in parts {
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate) { position, size in
                    Data(bytes[Int(position)..<Int(position) + size])
                }
            }
            return [UInt8](archive.data ?? Data())
        } catch {
            // Writing to memory fails only on a programming error.
            preconditionFailure("xlsx in memory: \(error)")
        }
    }

    /// Text safe in XML character data and attribute values: markup characters escaped,
    /// characters XML 1.0 forbids (§2.2: C0 controls but tab, LF, CR) replaced by U+FFFD.
    static func escaped(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": out.append(contentsOf: "&quot;".unicodeScalars)
            case "\t", "\n", "\r": out.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: out.append("\u{FFFD}")
            default: out.append(scalar)
            }
        }
        return String(out)
    }
}
