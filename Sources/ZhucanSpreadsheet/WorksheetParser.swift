import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A worksheet part (ECMA-376 §18.3), streamed into rows of text as staff see them.
///
/// Cells are read as their values: shared and inline strings (rich-text runs joined,
/// phonetic runs left out), numbers as stored (an ID number typed as a number comes back as
/// `3.30482199001011E+17`, which the validators recognise), booleans as `true`/`false`, an
/// error as Excel shows it (`#N/A`, which the validators refuse). Formulas are not evaluated:
/// their cached value is read.
final class WorksheetParser: SpreadsheetMLParser {
    private(set) var rows: [XLSXReader.Row] = []
    /// Rows hidden (`row/@hidden`, §18.3.1.73), as a filter hides them, that hold a value.
    private(set) var hiddenRows: [Int] = []

    private let strings: [String]
    private var isInSheetData = false
    private var nextRow = 1
    private var cellCount = 0
    /// The row being read: its number, whether it is hidden, its cells so far.
    private var rowNumber: Int?
    private var isRowHidden = false
    private var cells: [String] = []
    private var nextColumn = 0
    /// The cell being read: its column, type (`t`, §18.18.11) and value text.
    /// The cell being read; `formula` when it has an `f`, `saved` when it has a `v`; `length`
    /// its text's so far, in UTF-16 units.
    private var cell: (column: Int, type: String?, value: String, inline: String, formula: Bool, saved: Bool, length: Int)?
    private var isInValue = false
    private var isInInlineString = false
    private var isInInlineText = false
    private var phoneticDepth = 0

    init(path: String, strings: [String]) {
        self.strings = strings
        super.init(path: path)
    }

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        guard isInSheetData else {
            if elementName == "sheetData" { isInSheetData = true }
            return
        }
        switch elementName {
        case "row": startRow(parser, attributes)
        case "c": startCell(parser, attributes)
        case "v":
            isInValue = cell != nil
            cell?.saved = true
        case "f": cell?.formula = true
        case "is": isInInlineString = cell != nil
        case "rPh": phoneticDepth += 1
        case "t": isInInlineText = isInInlineString && phoneticDepth == 0
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        guard isInSheetData else { return }
        switch elementName {
        case "sheetData": isInSheetData = false
        case "row": endRow()
        case "c": endCell(parser)
        case "v": isInValue = false
        case "is": isInInlineString = false
        case "rPh": phoneticDepth -= 1
        case "t": isInInlineText = false
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard isInValue || isInInlineText, cell != nil else { return }
        if isInValue { cell?.value.append(string) } else { cell?.inline.append(string) }
        // Counted as it comes (a cell may arrive a character at a time).
        cell?.length += string.utf16.count
        if let cell, cell.length > XLSXReader.maximumCellLength {
            let at = SpreadsheetTable.columnLetters(cell.column)
            fail(parser, .unreadable("第 \(rowNumber ?? nextRow) 行 \(at) 列超过 \(XLSXReader.maximumCellLength) 个字符 / row \(rowNumber ?? nextRow), column \(at): longer than a cell may be (\(XLSXReader.maximumCellLength) characters)"))
        }
    }

    override func parser(_ parser: XMLParser, foundCDATA block: Data) {
        self.parser(parser, foundCharacters: String(decoding: block, as: UTF8.self))
    }

    private func startRow(_ parser: XMLParser, _ attributes: [String: String]) {
        var number = nextRow
        if let text = attributes["r"] {
            guard let given = Int(text) else {
                return fail(parser, .unreadable("行号 \(text.prefix(20)) 无效 / row number \(text.prefix(20)) is not a number"))
            }
            number = given
        }
        // Rows come in order, each numbered once, within the sheet (§18.3.1.73).
        guard number >= nextRow, number <= XLSXReader.lastRow else {
            return fail(parser, .unreadable("行号 \(number) 无效或顺序错误 / row number \(number) is out of order or beyond \(XLSXReader.lastRow)"))
        }
        nextRow = number + 1
        nextColumn = 0
        rowNumber = number
        isRowHidden = ["1", "true"].contains(attributes["hidden"] ?? "")
        cells = []
    }

    private func startCell(_ parser: XMLParser, _ attributes: [String: String]) {
        guard let number = rowNumber else { return }
        var column = nextColumn
        if let reference = attributes["r"] {
            let letters = reference.prefix { $0.isASCII && $0.isLetter }
            guard let index = SpreadsheetTable.columnIndex(letters) else {
                return fail(parser, .unreadable("第 \(number) 行有无效的单元格引用 / row \(number): invalid cell reference \"\(reference.prefix(16))\""))
            }
            column = index
        }
        guard column >= nextColumn else {
            return fail(parser, .unreadable("第 \(number) 行的单元格顺序错误 / row \(number): cells out of order"))
        }
        guard column < XLSXReader.maximumColumns else {
            return fail(parser, .unreadable("第 \(number) 行有超过 \(XLSXReader.maximumColumns) 列的单元格 / row \(number) has a cell beyond column \(XLSXReader.maximumColumns): not a table of people"))
        }
        cellCount += column + 1 - cells.count
        guard cellCount <= XLSXReader.maximumCells else {
            return fail(parser, .tooLarge("工作表的单元格过多 / the sheet holds more than \(XLSXReader.maximumCells) cells: 请拆分文件 / split the file"))
        }
        cell = (column, attributes["t"], "", "", false, false, 0)
    }

    private func endCell(_ parser: XMLParser) {
        guard let cell, let number = rowNumber else { return }
        self.cell = nil
        // ECMA-376 §18.3.1.40: `v` is the formula's result as last computed. A workbook a
        // program wrote has formulas and no results: each cell would read empty, and an empty
        // cell leaves a household fact unchanged, without a word.
        if cell.formula, !cell.saved {
            let at = SpreadsheetTable.columnLetters(cell.column)
            return fail(parser, .unreadable("第 \(number) 行 \(at) 列是没有保存结果的公式，请在 Excel 或 WPS 中打开并保存后再导入 / row \(number), column \(at): a formula whose result was never saved (a workbook written by a program): open and save it in Excel or WPS, then import it"))
        }
        let text: String
        switch cell.type {
        case "s":
            guard let index = Int(cell.value.trimmingCharacters(in: .whitespaces)), strings.indices.contains(index) else {
                return fail(parser, .unreadable("第 \(number) 行引用了不存在的共享字符串 / row \(number): a shared string that does not exist"))
            }
            text = strings[index]
        case "inlineStr":
            text = cell.inline
        case "b":
            text = cell.value == "1" ? "true" : "false"
        default:
            // n (number), str (a formula's text), d (ISO 8601 date), e (an error such as #N/A).
            text = cell.value
        }
        if cell.column > cells.count {
            cells += Array(repeating: "", count: cell.column - cells.count)
        }
        cells.append(text)
        nextColumn = cell.column + 1
    }

    private func endRow() {
        guard let number = rowNumber else { return }
        rowNumber = nil
        if isRowHidden, !SpreadsheetTable.isBlank(cells) { hiddenRows.append(number) }
        rows.append(XLSXReader.Row(row: number, cells: cells))
    }
}
