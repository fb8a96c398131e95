import ArgumentParser
import ZhucanIssuer

/// `zhucan audit checkpoint`: signs a checkpoint of the log now, and prints it.
struct AuditCheckpointCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkpoint",
        abstract: "Sign a checkpoint of the transparency log as it is now (if it grew) and print it.",
        discussion: """
            Every command that changes the registry signs one already; this covers a log that \
            grew without one (a crash between an issuance and its checkpoint). The log refuses \
            to sign a checkpoint that does not extend the last one. Also prints the log's \
            verifier key, which auditors pin.
            """
    )

    @OptionGroup var workspace: WorkspaceOption

    func run() async throws {
        let opened = try workspace.open()
        let checkpoint = try CommandFailure.mappingIssuerErrors { try opened.signCheckpoint(now: Clock.now) }
        print(checkpoint.note, terminator: "")
        print("log key: \(try CommandFailure.mappingIssuerErrors { try opened.logVerifierKey().verifierKey })")
    }
}
