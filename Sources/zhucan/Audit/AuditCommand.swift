import ArgumentParser
import ZhucanIssuer

/// `zhucan audit`: the auditor's checks.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Re-verify what the issuer signed.",
        subcommands: [Signatures.self]
    )

    /// `zhucan audit signatures`.
    struct Signatures: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-verify every stored certificate, trust list and status list at its signing time.",
            discussion: "Prints `N checked, M failed` and each failure; exit 1 if any failed."
        )

        @OptionGroup var workspace: WorkspaceOption

        func run() async throws {
            let opened = try workspace.open()
            let audit = try CommandFailure.mappingIssuerErrors { try opened.auditSignatures() }
            for failure in audit.failures {
                print("FAILED \(failure.object): \(failure.reason) — \(failure.detail)")
            }
            print("\(audit.checked) checked, \(audit.failures.count) failed")
            if !audit.failures.isEmpty { throw CommandFailure.negative("\(audit.failures.count) signature(s) failed") }
        }
    }
}
