import Foundation
import ZhucanSigning

/// The text of an API key, `zk_<id>_<secret>`, split and hashed.
package struct APIKeyToken: Sendable, Hashable {
    /// The public id (8 lower-case hexadecimal digits).
    package let id: String
    /// The secret (43 base64url characters).
    let secret: String

    /// Reads a token; `nil` when it does not have the form `zk_<8 hex>_<43 base64url>`.
    package init?(_ text: String) {
        // Check the shape before anything else: the text comes from an HTTP header.
        let bytes = Array(text.utf8)
        let prefix = Array(APIKey.tokenPrefix.utf8)
        guard bytes.count == prefix.count + 8 + 1 + Self.secretLength, bytes.starts(with: prefix) else { return nil }
        let idBytes = bytes[prefix.count..<prefix.count + 8]
        guard idBytes.allSatisfy(Self.isLowerHex), bytes[prefix.count + 8] == UInt8(ascii: "_") else { return nil }
        let secretBytes = bytes[(prefix.count + 9)...]
        guard secretBytes.allSatisfy(Self.isBase64URL) else { return nil }
        id = String(decoding: idBytes, as: UTF8.self)
        secret = String(decoding: secretBytes, as: UTF8.self)
    }

    init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    /// A new random token.
    package static func generate() -> APIKeyToken {
        var generator = SystemRandomNumberGenerator()
        let idBytes = (0..<4).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secretBytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        // RFC 4648 §5: base64url, and no padding (a token is pasted into headers and shells).
        let secret = Data(secretBytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return APIKeyToken(id: idBytes.map { String(format: "%02x", $0) }.joined(), secret: secret)
    }

    /// The whole token text.
    package var text: String { "\(APIKey.tokenPrefix)\(id)_\(secret)" }

    /// SHA-256 of the secret text: what the registry stores.
    package var secretHash: [UInt8] { Digest.sha256(Array(secret.utf8)) }

    /// Whether this token's secret hashes to `stored`, compared in constant time (every byte
    /// is looked at, whatever differs first) so that timing tells nothing about the hash.
    package func matches(_ stored: [UInt8]) -> Bool {
        Digest.constantTimeEquals(secretHash, stored)
    }

    /// 32 bytes in unpadded base64: ⌈32 × 4 / 3⌉ characters.
    static let secretLength = 43

    private static func isLowerHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }
}

extension APIKeyToken: CustomStringConvertible {
    /// The id only: a token printed by accident must not leak its secret.
    package var description: String { "\(APIKey.tokenPrefix)\(id)_…" }
}
