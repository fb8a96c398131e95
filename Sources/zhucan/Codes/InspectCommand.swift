import ArgumentParser
import ZhucanEnvelope

/// `zhucan inspect`: every layer of an envelope, and where a broken one stops.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show every layer of a code: prefix, base45, zlib, COSE headers and CWT claims.",
        discussion: """
            Checks structure only, not signatures (use `zhucan verify`). A broken code shows the
            layers read before the one that failed. Exit 0 when every layer reads, 1 when one
            fails, 2 for an unreadable file.
            """
    )

    @Argument(help: ArgumentHelp("The code, or @FILE to read it from a file (@- for standard input).", valueName: "code"))
    var code: String

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let layers = EnvelopeLayers(reading: try CodeInput.read(code))
        if json {
            print(layers.report.jsonString(prettyPrinted: true))
        } else {
            print(Self.human(layers))
        }
        if let failure = layers.failure {
            throw CommandFailure.negative("\(layers.failedLayer) layer failed: \(failure.reason.rawValue): \(failure.detail)")
        }
    }

    static func human(_ layers: EnvelopeLayers) -> String {
        var lines: [String] = []
        func line(_ label: String, _ value: String) {
            lines.append(label.padding(toLength: 13, withPad: " ", startingAt: 0) + value)
        }
        if let prefix = layers.prefix {
            line("prefix:", prefix.summary)
            line("base45:", "\(layers.text.utf8.count - prefix.rawValue.count) characters")
        }
        if layers.prefix?.isDeflated == false {
            if let bytes = layers.compressed { line("bytes:", "\(bytes.count) (COSE_Sign1, not compressed)") }
        } else {
            if let compressed = layers.compressed { line("zlib:", "\(compressed.count) bytes") }
            if let inflated = layers.inflated { line("inflated:", "\(inflated.count) bytes") }
        }
        if let cose = layers.cose {
            let tags = cose.tags.isEmpty ? "untagged" : cose.tags.map { $0 == 61 ? "61 (CWT)" : "\($0) (COSE_Sign1)" }.joined(separator: " → ")
            line("COSE:", "COSE_Sign1, \(tags)")
            line("protected:", CBORText.compact(cose.protectedHeader.map(EnvelopeLayers.readableHeader)))
            line("unprotected:", CBORText.compact(cose.unprotectedHeader.map(EnvelopeLayers.readableHeader)))
            line("payload:", "\(cose.payload.count) bytes")
            line("signature:", "\(cose.signature.count) bytes")
        }
        if let claims = layers.claims {
            lines.append("claims:")
            lines.append(EnvelopeLayers.readableClaims(claims).jsonString(prettyPrinted: true))
        }
        if let failure = layers.failure {
            line("FAILED:", "\(layers.failedLayer) layer: \(failure.reason.rawValue) — \(failure.detail)")
        }
        return lines.joined(separator: "\n")
    }
}
