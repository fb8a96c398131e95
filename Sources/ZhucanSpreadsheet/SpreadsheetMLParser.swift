import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A streaming reader of one SpreadsheetML part: the parts that grow with the rows (the
/// worksheet, the shared strings) are read element by element (SAX) rather than into a tree.
///
/// A tree of a 60,000-row sheet had held every element at once, and libxml2 refuses a part
/// handed to it in one piece beyond 10 MB ("huge input lookup"): Excel's district workbooks
/// could not be read at all. The part is fed to the parser in chunks from a stream instead.
class SpreadsheetMLParser: NSObject, XMLParserDelegate {
    /// The part's path, for reasons.
    let path: String
    /// The first fault met; the parse stops there.
    private(set) var failure: BatchFileError?

    init(path: String) {
        self.path = path
    }

    /// Parses `data` into this reader, throwing the first fault or the XML's own.
    func parse(_ data: Data) throws(BatchFileError) {
        let parser = XMLParser(stream: InputStream(data: data))
        parser.delegate = self
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let parsed = parser.parse()
        if let failure { throw failure }
        guard parsed, parser.parserError == nil else {
            let reason = parser.parserError.map { String(describing: $0).prefix(200) } ?? "the parse stopped"
            throw .unreadable("\(path) 不是有效的 XML / \(path) is not valid SpreadsheetML: \(reason)")
        }
    }

    /// Stops the parse with `fault`, unless one was met already.
    func fail(_ parser: XMLParser, _ fault: BatchFileError) {
        guard failure == nil else { return }
        failure = fault
        parser.abortParsing()
    }

    // The events a part's reader overrides. Declared here, so that the conformance's witnesses
    // are these class methods and reach the overrides: on Linux `XMLParserDelegate` is a Swift
    // protocol, and a method only a subclass declares would never be called.
    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {}
    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {}
    func parser(_ parser: XMLParser, foundCharacters string: String) {}
    func parser(_ parser: XMLParser, foundCDATA block: Data) {}

    // Office parts never declare entities (ECMA-376 Part 2 §8.1.4): one could only expand
    // beyond what the ZIP budget measured.
    func parser(_ parser: XMLParser, foundInternalEntityDeclarationWithName name: String, value: String?) {
        fail(parser, .unreadable("\(path) 含有文档类型声明 / \(path) holds a document type declaration, which no workbook part has"))
    }

    func parser(_ parser: XMLParser, foundExternalEntityDeclarationWithName name: String, publicID: String?, systemID: String?) {
        fail(parser, .unreadable("\(path) 含有文档类型声明 / \(path) holds a document type declaration, which no workbook part has"))
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        fail(parser, .unreadable("\(path) 不是有效的 XML / \(path) is not valid SpreadsheetML: \(String(describing: parseError).prefix(200))"))
    }
}
