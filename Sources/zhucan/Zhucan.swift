import ArgumentParser
import Foundation

/// `zhucan`: issue and verify electronic disability certificates, identity and service codes.
@main
struct Zhucan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zhucan",
        abstract: "Issue and verify electronic disability certificates (残疾人电子证照) and their QR codes.",
        discussion: """
            Exit status: 0 success (or "valid"), 1 a negative answer (for example "not valid"),
            2 a usage or input error.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, IssueCommand.self, ReissueCommand.self, CorrectCommand.self, RenewCommand.self, RestoreCheckCommand.self, CodeCommand.self, VerifyCommand.self, InspectCommand.self, QRCommand.self,
            SuspendCommand.self, ReinstateCommand.self, RevokeCommand.self,
            CatalogueCommand.self, HouseholdCommand.self, TrustListCommand.self, StatusListCommand.self, KeysCommand.self, AuditCommand.self,
            HolderCommand.self, ServeCommand.self, APIKeyCommand.self, VerifierCommand.self,
            ServedCommand.self, RosterCommand.self, ReportCommand.self,
        ]
    )

    /// Parses and runs a command; every usage or input error exits with status 2, with a
    /// one-line reason on standard error.
    static func main() async {
        // Owner-only files and folders, whatever the caller's umask: workspaces, exports,
        // proofs and reject files hold personal data (issue #15, item 7).
        umask(0o077)
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("zhucan: \(LanguageOption.Language.current.render(failure.message))\n".utf8))
            Foundation.exit(failure.status)
        } catch {
            let status = exitCode(for: error)
            if status == .success || status.rawValue == EXIT_FAILURE {
                exit(withError: error)
            }
            // ArgumentParser uses EX_USAGE (64) for usage errors; Zhucan's contract is 2.
            FileHandle.standardError.write(Data("\(fullMessage(for: error))\n".utf8))
            Foundation.exit(CommandFailure.usageStatus)
        }
    }
}
