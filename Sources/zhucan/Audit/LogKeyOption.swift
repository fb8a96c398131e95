import Foundation
import ZhucanTransparency

/// `--log-key`: a note verifier key `<name>+<hex id>+<base64 key>` (C2SP signed-note), given
/// as is or in a file.
enum LogKeyOption {
    /// What precedes the key where `zhucan audit checkpoint` prints it.
    static let label = "log key: "

    /// A saved checkpoint's bytes without the `log key: …` line that `zhucan audit checkpoint`
    /// printed after it on standard output until 2026-12-05: such a file is read as saved.
    static func checkpoint(_ bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let range = text.range(of: "\n" + label, options: .backwards),
            !text[range.upperBound...].dropLast().contains("\n")
        else { return bytes }
        return Array(text[..<range.lowerBound].utf8) + [UInt8(ascii: "\n")]
    }

    static func verifier(_ value: String) throws -> NoteVerifier {
        var text = value
        if !value.contains("+") || Files.exists(value) {
            text = String(decoding: try Files.read(value, what: "log key"), as: UTF8.self)
        }
        // As `zhucan audit checkpoint` writes it on standard error: `log key: <key>`.
        text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix(Self.label) { text = String(text.dropFirst(Self.label.count)) }
        do {
            return try NoteVerifier(verifierKey: text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw CommandFailure.input("--log-key: not a note verifier key (name+id+key): \(error.reason)")
        }
    }
}
