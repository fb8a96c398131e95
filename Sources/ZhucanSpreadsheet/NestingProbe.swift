import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A streamed pass over a part that is then decoded whole: it fails once elements nest deeper
/// than ``XLSXReader/maximumNesting``, before a recursive decoder builds the tree.
final class NestingProbe: SpreadsheetMLParser {
    private var depth = 0

    override func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        depth += 1
        if depth > XLSXReader.maximumNesting {
            fail(parser, .unreadable("\(path) 嵌套过深 / \(path) nests elements more than \(XLSXReader.maximumNesting) deep, which no workbook part does"))
        }
    }

    override func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        depth -= 1
    }
}
