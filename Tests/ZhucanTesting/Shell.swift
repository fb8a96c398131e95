import Foundation

/// Runs programs for tests: the built `zhucan` binary, `openssl`, `zbarimg`.
package enum Shell {
    /// What a finished program left behind.
    package struct Output: Sendable {
        /// The exit status.
        package let status: Int32
        /// Standard output.
        package let stdout: Data
        /// Standard error.
        package let stderr: Data
        /// Standard output as UTF-8 text.
        package var text: String { String(decoding: stdout, as: UTF8.self) }
        /// Standard error as UTF-8 text.
        package var errorText: String { String(decoding: stderr, as: UTF8.self) }
    }

    /// Runs `arguments[0]` (found on `PATH`, or a path) with the rest as arguments, waits, and
    /// returns its status and output. Output goes through temporary files, so a chatty program
    /// can never block on a full pipe.
    package static func run(
        _ arguments: [String],
        in directory: URL? = nil,
        stdin: Data? = nil,
        environment: [String: String] = [:]
    ) throws -> Output {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("zhucan-shell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out"), errURL = scratch.appendingPathComponent("err")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        try process.run()
        if let stdin {
            try input.fileHandleForWriting.write(contentsOf: stdin)
            try input.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        try out.close()
        try err.close()
        return Output(
            status: process.terminationStatus,
            stdout: try Data(contentsOf: outURL),
            stderr: try Data(contentsOf: errURL)
        )
    }

    /// Whether `program` is on `PATH`.
    package static func has(_ program: String) -> Bool {
        (try? run(["sh", "-c", "command -v \(program)"]).status) == 0
    }
}
