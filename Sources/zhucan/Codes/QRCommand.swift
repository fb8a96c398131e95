import ArgumentParser
import Foundation
import ZhucanQR

/// `zhucan qr`: a code as a QR symbol.
struct QRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qr",
        abstract: "Render a code as a QR symbol: terminal, PNG or SVG (alphanumeric mode, error correction Q).",
        discussion: "A code too long for the largest QR symbol (2,420 characters at level Q) is an error."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case terminal, png, svg }

    @Argument(help: ArgumentHelp("The code, or @FILE to read it from a file (@- for standard input).", valueName: "code"))
    var code: String

    @Option(help: "terminal (default), png or svg.")
    var format: Format = .terminal

    @Option(help: ArgumentHelp("Output file (required for png; default standard output).", valueName: "file"))
    var out: String?

    @Option(help: "Pixels per module for png and svg (1–32).")
    var scale = 8

    func validate() throws {
        guard (1...32).contains(scale) else { throw ValidationError("--scale must be 1–32") }
        if format == .png && out == nil { throw ValidationError("--format png needs --out FILE") }
    }

    func run() async throws {
        let text = try CodeInput.read(code).trimmingCharacters(in: .whitespacesAndNewlines)
        let symbol: QRCode
        do {
            symbol = try QRCode(text: text, errorCorrection: .quartile)
        } catch {
            throw CommandFailure.input("\(error.reason)")
        }
        let bytes: [UInt8] = switch format {
        case .terminal: Array(symbol.renderTerminal().utf8)
        case .png: symbol.renderPNG(scale: scale, border: 4)
        case .svg: Array(symbol.renderSVG(scale: scale, border: 4).utf8)
        }
        if let out {
            try Files.write(bytes, to: out)
            FileHandle.standardError.write(Data("QR version \(symbol.version) (\(symbol.size)×\(symbol.size) modules), \(text.count) characters → \(out)\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}
