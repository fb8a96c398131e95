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
        try launch(process)
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

    /// ``run(_:in:stdin:environment:)`` on a Dispatch thread, for async tests: waiting for a
    /// long-running program on one of the few threads of Swift's cooperative pool (two on a
    /// 2-core machine) would starve the in-process servers other suites are testing.
    package static func runOffPool(
        _ arguments: [String],
        in directory: URL? = nil,
        stdin: Data? = nil,
        environment: [String: String] = [:]
    ) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(arguments, in: directory, stdin: stdin, environment: environment) })
            }
        }
    }

    /// Marks every open descriptor above standard error close-on-exec, so that a program
    /// started now inherits none of them. Foundation's `Process` closes nothing in the child,
    /// and SwiftNIO accepts connections without `SOCK_CLOEXEC`: a long-running child would
    /// otherwise keep an in-process test server's connections open after the server closed
    /// them, and the client would never see the end.
    /// Starts `process`, its descriptors marked close-on-exec first (below), with every other
    /// test process launch held off meanwhile.
    ///
    /// Foundation starts a process with a socket pair whose one end only the child keeps; it
    /// learns of the exit when that end closes, and then waits for the child on its one manager
    /// thread. Marking descriptors while another thread is between making its pair and spawning
    /// closed that end at the other child's `exec`: the manager thread then waited for a child
    /// that was still running (a `zhucan serve`), no other exit was noticed, and the whole test
    /// run hung with zombies. So every test launch goes through here, one at a time.
    package static func launch(_ process: Process) throws {
        try launchLock.withLock {
            markDescriptorsCloseOnExec()
            try process.run()
        }
    }

    private static let launchLock = NSLock()

    static func markDescriptorsCloseOnExec() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return }
        for name in names {
            guard let descriptor = Int32(name), descriptor > 2 else { continue }
            let flags = fcntl(descriptor, F_GETFD)
            if flags >= 0, flags & FD_CLOEXEC == 0 {
                _ = fcntl(descriptor, F_SETFD, flags | FD_CLOEXEC)
            }
        }
    }

    /// Whether `program` is on `PATH`.
    package static func has(_ program: String) -> Bool {
        (try? run(["sh", "-c", "command -v \(program)"]).status) == 0
    }
}
