import Foundation

/// Runs the release `zhucan` binary for the benchmarks, standard output discarded.
enum ZhucanCommand {
    /// Runs `zhucan ARGUMENTS…` at `binary` and waits for it.
    /// - Throws: `BenchmarkError` naming the command when it exits with a failure.
    static func run(_ binary: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError("zhucan \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}
