import Foundation
import Testing
import ZhucanTesting

/// A running `zhucan serve` or `zhucan verifier serve` for tests: its log goes to a file (a pipe that nobody drains
/// would fill up and stall the server under load), and its port is read from the log.
final class ServeProcess {
    let process: Process
    /// The port it listens on, on 127.0.0.1.
    let port: Int
    /// Standard error: Hummingbird's start line and one line per request.
    let logURL: URL

    /// Starts `zhucan serve --dir DIRECTORY --port 0 --log-level info ARGUMENTS…` in `folder` and waits until
    /// it listens.
    /// - Throws: when the process exits or logs no port within 30 s.
    convenience init(
        directory: String, in folder: URL, arguments: [String] = [], logName: String = "serve.log", environment: [String: String] = [:]
    ) throws {
        try self.init(
            command: ["serve", "--dir", directory, "--port", "0", "--log-level", "info"] + arguments, in: folder, logName: logName,
            environment: environment
        )
    }

    /// Starts `zhucan COMMAND…` (which must listen with `--port 0 --log-level info`) in `folder`
    /// and waits until it listens.
    /// - Parameter launcher: a program and its arguments that run `zhucan` (`setpriv` to run it
    ///   as another user); empty to run it directly.
    /// - Throws: when the process exits or logs no port within 30 s.
    /// - Parameter host: the address it says it listens on (`--host`).
    init(
        command: [String], in folder: URL, logName: String, launcher: [String] = [], environment: [String: String] = [:],
        host: String = "127.0.0.1"
    ) throws {
        logURL = folder.appendingPathComponent(logName)
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        defer { try? log.close() }
        process = Process()
        if let program = launcher.first {
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = Array(launcher.dropFirst()) + [ZhucanBinary.url.path] + command
        } else {
            process.executableURL = ZhucanBinary.url
            process.arguments = command
        }
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardError = log
        process.standardOutput = FileHandle.nullDevice
        try Shell.launch(process)

        // Hummingbird logs the bound address: "… listening on 127.0.0.1:PORT".
        let deadline = Date().addingTimeInterval(30)
        var found: Int?
        while found == nil, process.isRunning, Date() < deadline {
            let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on \(host):") {
                found = Int(text[range.upperBound...].prefix { $0.isNumber })
            } else {
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            let text = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            throw ServeProcessError(message: "zhucan \(command.prefix(2).joined(separator: " ")) did not start: \(text.suffix(2_000))")
        }
        port = found
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// The log so far.
    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// Sends `signal` and waits for the process to end: at most a minute (the service bounds
    /// its own shutdown at 20 s, `ShutdownDeadline`), then it is killed and the test fails,
    /// rather than the whole run waiting for ever.
    func stop(_ signal: Int32 = SIGTERM) {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            Issue.record("zhucan did not stop within 60 s of signal \(signal); its log ends: \(log.suffix(1_000))")
        }
        process.waitUntilExit()
    }
}
