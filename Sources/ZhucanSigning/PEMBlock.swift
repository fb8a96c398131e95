import Foundation

/// One PEM block (RFC 7468): `-----BEGIN LABEL-----`, base64 DER, `-----END LABEL-----`.
struct PEMBlock {
    let label: String
    let der: [UInt8]

    init(label: String, der: [UInt8]) {
        self.label = label
        self.der = der
    }

    /// The first PEM block in `bytes`, or `nil` if there is none (for example, DER input).
    static func first(in bytes: [UInt8]) -> PEMBlock? {
        guard let text = String(validating: bytes, as: UTF8.self),
            let begin = text.range(of: "-----BEGIN "),
            let labelEnd = text.range(of: "-----", range: begin.upperBound..<text.endIndex)
        else { return nil }
        let label = String(text[begin.upperBound..<labelEnd.lowerBound])
        guard let end = text.range(of: "-----END \(label)-----", range: labelEnd.upperBound..<text.endIndex) else {
            return nil
        }
        let body = text[labelEnd.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        guard let der = Data(base64Encoded: String(body)) else { return nil }
        return PEMBlock(label: label, der: Array(der))
    }

    /// The PEM text, 64 base64 characters a line.
    var text: String {
        let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return "-----BEGIN \(label)-----\n\(base64)\n-----END \(label)-----\n"
    }
}
