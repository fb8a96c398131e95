/// The short, versioned prefix before the base45 text, in the QR alphanumeric alphabet.
package enum EnvelopePrefix: String, Sendable, Hashable, CaseIterable {
    /// Zhucan, envelope version 1: every Zhucan object; the object type is in the protected
    /// `typ` header (signed), not in this prefix (which is not).
    case zhucan = "ZC1:"
    /// Zhucan, compact version 2 (identity and service codes): the COSE_Sign1 itself in
    /// base45, no zlib (a short signed object does not shrink).
    case compact = "ZC2:"
    /// Zhucan, compact version 2, zlib-compressed: written only when it is shorter.
    case compactDeflated = "ZC2Z:"
    /// EU Digital COVID Certificate, for interoperability tests only.
    case dcc = "HC1:"

    /// The prefix `text` starts with, if any.
    package static func of(_ text: some StringProtocol) -> EnvelopePrefix? {
        allCases.first { text.hasPrefix($0.rawValue) }
    }

    /// Whether the base45 text is a zlib stream (RFC 1950) rather than the COSE_Sign1 itself.
    package var isDeflated: Bool { self != .compact }

    /// Whether this is Zhucan's compact format (version 2).
    package var isCompact: Bool { self == .compact || self == .compactDeflated }

    /// The prefix for people: "ZC2: (Zhucan compact, version 2, not compressed)".
    package var summary: String {
        switch self {
        case .zhucan: "\(rawValue) (Zhucan envelope, version 1)"
        case .compact: "\(rawValue) (Zhucan compact, version 2, not compressed)"
        case .compactDeflated: "\(rawValue) (Zhucan compact, version 2, zlib)"
        case .dcc: "\(rawValue) (EU Digital COVID Certificate)"
        }
    }
}
