import Foundation
import Testing
import ZhucanTesting

/// The external decoder: `zbarimg` (apt `zbar-tools`), which reads PNG, and SVG through
/// ImageMagick's SVG coder (Debian 12: `libmagickcore-6.q16-6-extra`, a recommended package
/// that `apt-get install zbar-tools` brings in).
enum Zbar {
    /// The `zbarimg` executable found on `PATH`, if any.
    static let executable: URL? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":")
            .map { URL(fileURLWithPath: String($0)).appendingPathComponent("zbarimg") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Use as `.enabled(if: Zbar.shouldRun)`: true when `zbarimg` is installed or `CI` is set
    /// (so CI fails instead of silently skipping); otherwise warns once and skips.
    static let shouldRun: Bool = {
        if executable != nil { return true }
        if TestVectors.isRequired { return true }  // CI is set
        FileHandle.standardError.write(Data("""
            WARNING: zbarimg not found on PATH; QR scan tests are SKIPPED.
            Install it with `apt-get install zbar-tools`. (With CI set, these tests fail instead.)\n
            """.utf8))
        return false
    }()

    /// Decodes the one QR code in an image file, exactly as `zbarimg --raw -q` prints it minus
    /// its final newline.
    static func scan(_ file: URL) throws -> String {
        let zbarimg = try #require(executable, "zbarimg is not installed (apt-get install zbar-tools)")
        let process = Process()
        process.executableURL = zbarimg
        // QR codes only: a large symbol's modules can pass for a 1D barcode, which zbar would
        // report as a second symbol.
        process.arguments = ["--raw", "-q", "--nodbus", "-Sdisable", "-Sqrcode.enable", file.path]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try Shell.launch(process)
        // zbarimg's output is small (one symbol), so reading one pipe then the other cannot
        // dead-lock on a full pipe buffer.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let messages = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(
            process.terminationStatus == 0,
            "zbarimg exited with \(process.terminationStatus) for \(file.lastPathComponent): \(messages)"
        )
        var text = String(decoding: data, as: UTF8.self)
        if text.hasSuffix("\n") { text.removeLast() }
        return text
    }
}
