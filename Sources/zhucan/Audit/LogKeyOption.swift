import Foundation
import ZhucanTransparency

/// `--log-key`: a note verifier key `<name>+<hex id>+<base64 key>` (C2SP signed-note), given
/// as is or in a file.
enum LogKeyOption {
    static func verifier(_ value: String) throws -> NoteVerifier {
        var text = value
        if !value.contains("+") || Files.exists(value) {
            text = String(decoding: try Files.read(value, what: "log key"), as: UTF8.self)
        }
        do {
            return try NoteVerifier(verifierKey: text.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch {
            throw CommandFailure.input("--log-key: not a note verifier key (name+id+key): \(error.reason)")
        }
    }
}
