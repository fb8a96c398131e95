import ArgumentParser
import Foundation
import ZhucanIssuer

/// `zhucan audit checkpoint`: signs a checkpoint of the log now, and prints it.
struct AuditCheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign a checkpoint of the transparency log as it is now (if it grew) and print it.",
        discussion: """
            Every command that changes the registry signs one already; this covers a log that \
            grew without one (a crash between an issuance and its checkpoint). The log refuses \
            to sign a checkpoint that does not extend the last one. The checkpoint goes to standard \
            output (save it with `> checkpoint.txt`); the log's verifier key, which auditors and \
            nodes pin (--log-key), goes to standard error as `log key: …`.
            """
    )

    @OptionGroup var workspace: WorkspaceOption

    func run() async throws {
        let opened = try workspace.open()
        let checkpoint = try CommandFailure.mappingIssuerErrors { try opened.signCheckpoint(now: Clock.now) }
        // Standard output is the signed note alone, so that `> checkpoint.txt` saves what
        // `--trusted-checkpoint` and `restore-check --checkpoint` read; the key goes beside it.
        print(checkpoint.note, terminator: "")
        let key = try CommandFailure.mappingIssuerErrors { try opened.logVerifierKey().verifierKey }
        FileHandle.standardError.write(Data("log key: \(key)\n".utf8))
    }
}
