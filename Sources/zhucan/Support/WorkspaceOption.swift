import ArgumentParser
import Foundation
import ZhucanIssuer

/// `--dir D`: the issuer workspace; default `$ZHUCAN_DIR`, else `./zhucan-data`.
struct WorkspaceOption: ParsableArguments {
    @Option(help: ArgumentHelp("Workspace folder (default: $ZHUCAN_DIR, else ./zhucan-data).", valueName: "dir"))
    var dir: String?

    /// The folder to use.
    var url: URL {
        let path = dir ?? ProcessInfo.processInfo.environment["ZHUCAN_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "zhucan-data"
        return URL(fileURLWithPath: path, isDirectory: true)
    }

    /// Opens the workspace.
    func open() throws -> Workspace {
        try CommandFailure.mappingIssuerErrors { try Workspace(opening: url) }
    }
}

/// The current time, seconds since the epoch.
enum Clock {
    static var now: Int64 { Int64(Date().timeIntervalSince1970) }
}
