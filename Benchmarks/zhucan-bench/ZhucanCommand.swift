import Foundation

/// Runs the release `zhucan` binary for the benchmarks, standard output discarded.
enum ZhucanCommand {
    /// Runs `zhucan ARGUMENTS…` at `binary` and waits for it.
    /// - Throws: `BenchmarkError` naming the command when it exits with a failure.
    static func run(_ binary: URL, _ arguments: [String]) throws {
        try finish(start(binary, arguments))
    }

    /// Starts `zhucan ARGUMENTS…` at `binary`.
    static func start(_ binary: URL, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits for a process `start` started.
    /// - Throws: `BenchmarkError` naming the command when it exits with a failure.
    static func finish(_ process: Process) throws {
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchmarkError("zhucan \((process.arguments ?? []).joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}
