import ZhucanCertLogic

/// Text in Chinese and English.
package struct LocalizedText: Sendable, Hashable {
    /// 中文.
    package var zh: String
    /// English.
    package var en: String

    /// Makes a text.
    package init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    init(_ json: JSONValue?, at path: String) throws(CatalogueError) {
        guard let object = json?.objectValue, let zh = object["zh"]?.stringValue, let en = object["en"]?.stringValue,
            !zh.isEmpty, !en.isEmpty
        else { throw CatalogueError(.malformed, "\(path): must be {\"zh\": text, \"en\": text}") }
        self.zh = zh
        self.en = en
    }
}
