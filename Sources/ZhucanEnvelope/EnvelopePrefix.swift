/// The short, versioned prefix before the base45 text, in the QR alphanumeric alphabet.
package enum EnvelopePrefix: String, Sendable, Hashable, CaseIterable {
    /// Zhucan, envelope version 1: every Zhucan object; the object type is in the protected
    /// `typ` header (signed), not in this prefix (which is not).
    case zhucan = "ZC1:"
    /// EU Digital COVID Certificate, for interoperability tests only.
    case dcc = "HC1:"

    /// The prefix `text` starts with, if any.
    package static func of(_ text: some StringProtocol) -> EnvelopePrefix? {
        allCases.first { text.hasPrefix($0.rawValue) }
    }
}
