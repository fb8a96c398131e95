import Foundation

/// The built `zhucan` executable, for tests that drive the CLI as a user would.
package enum ZhucanBinary {
    /// `$ZHUCAN_BINARY`, else `zhucan` beside the test bundle in the build folder.
    package static let url: URL = {
        if let path = ProcessInfo.processInfo.environment["ZHUCAN_BINARY"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the test runner is `<build>/debug/zhucanPackageTests.xctest`; on macOS the
        // bundle's executable sits deeper, inside `….xctest/Contents/MacOS`.
        while !folder.path.isEmpty, folder.path != "/" {
            let candidate = folder.appendingPathComponent("zhucan")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: "zhucan")
    }()

    /// Runs `zhucan` with `arguments`.
    package static func run(
        _ arguments: [String],
        in directory: URL? = nil,
        stdin: Data? = nil,
        environment: [String: String] = [:]
    ) throws -> Shell.Output {
        try Shell.run([url.path] + arguments, in: directory, stdin: stdin, environment: environment)
    }
}
