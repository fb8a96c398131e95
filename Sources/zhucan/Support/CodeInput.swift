import Foundation
import ZhucanEnvelope

/// A code given on the command line: the text itself, `@FILE` for a file's contents, or `@-`
/// for standard input.
enum CodeInput {
    /// The code text.
    /// - Throws: `CommandFailure.input` when the file cannot be read or is not UTF-8.
    static func read(_ argument: String) throws -> String {
        guard argument.hasPrefix("@") else { return argument }
        // No code is longer than the envelope's text limit: read no more than that.
        let bytes = try Files.read(String(argument.dropFirst()), what: "code file", limit: EnvelopeLayers.Limits().maxTextLength)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CommandFailure.input("\(argument.dropFirst()) is not UTF-8 text")
        }
        return text
    }
}
