import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// `xl/sharedStrings.xml` (ECMA-376 §18.4), streamed: each string item's text, plain or in
/// rich-text runs joined, with phonetic runs (`rPh`, §18.4.6) left out.
final class SharedStringsParser: SpreadsheetMLParser {
    private(set) var strings: [String] = []
    private var item: String?
    /// The item's length so far, in UTF-16 units.
    private var itemLength = 0
    private var isInText = false
    private var phoneticDepth = 0

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch elementName {
        case "si":
            item = ""
            itemLength = 0
        case "rPh": phoneticDepth += 1
        case "t": isInText = item != nil && phoneticDepth == 0
        default: break
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        switch elementName {
        case "si":
            guard strings.count < XLSXReader.maximumSharedStrings else {
                return fail(parser, .tooLarge("共享字符串过多 / \(path) holds more than \(XLSXReader.maximumSharedStrings) shared strings: 请拆分文件 / split the file"))
            }
            strings.append(item ?? "")
            item = nil
        case "rPh": phoneticDepth -= 1
        case "t": isInText = false
        default: break
        }
    }

    override func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard isInText else { return }
        item?.append(string)
        // Counted as it comes: the parser may hand a string over a character at a time, and
        // counting the whole item each time would be quadratic.
        itemLength += string.utf16.count
        if itemLength > XLSXReader.maximumCellLength {
            fail(parser, .unreadable("\(path) 中第 \(strings.count + 1) 个共享字符串超过 \(XLSXReader.maximumCellLength) 个字符 / shared string \(strings.count + 1) of \(path) is longer than a cell may be (\(XLSXReader.maximumCellLength) characters)"))
        }
    }

    override func parser(_ parser: XMLParser, foundCDATA block: Data) {
        self.parser(parser, foundCharacters: String(decoding: block, as: UTF8.self))
    }
}
