import Foundation

/// Standard base64 (RFC 4648 §4), as signed notes and checkpoints use it.
enum Base64 {
    /// `bytes` in padded standard base64.
    static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// The bytes of canonical padded base64 text, or `nil`.
    ///
    /// Canonical only: one byte string has one encoding, so a signature line or root hash
    /// cannot be re-spelled (non-zero padding bits, missing `=`, whitespace) while decoding to
    /// the same bytes. RFC 4648 §3.5 lets decoders reject non-zero pad bits.
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let text = String(text)
        guard let data = Data(base64Encoded: text) else { return nil }
        let bytes = [UInt8](data)
        guard encode(bytes) == text else { return nil }
        return bytes
    }
}
