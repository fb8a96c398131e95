import ArgumentParser
import Foundation
import ZhucanAudit
import ZhucanEnvelope
import ZhucanIssuer
import ZhucanRegistry
import ZhucanServiceStore

/// `zhucan audit export`: the whole log in one file, for auditors without database access.
struct AuditExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the transparency log (entries and checkpoints) for an offline audit.",
        discussion: """
            Writes JSON Lines (Docs/audit.md): a header with the log's origin, verifier key and \
            every signed checkpoint, then one line per entry. The entries hold certificates — \
            personal data: hand the file over as confidentially as the registry itself.
            """
    )

    @OptionGroup var workspace: WorkspaceOption

    @Option(help: ArgumentHelp("The export file to write (replaced atomically).", valueName: "file"))
    var out: String

    func run() async throws {
        let opened = try workspace.open()
        try Files.checkReplaceable(out)
        let logKey = try? opened.logVerifierKey().verifierKey
        var exported: UInt64 = 0
        do {
            let checkpoints = try opened.registry.logCheckpoints()
            let count = try opened.registry.logEntryCount()
            let header = LogExportFile.Header(
                origin: try opened.logOrigin(), logKey: logKey, checkpoints: checkpoints.map(\.note), entries: count,
                exportedAt: Timestamp.iso(Clock.now)
            )
            // Owner-only, and renamed into place whole: entries carry certificates (personal data).
            try OwnerOnlyFile.write(to: URL(fileURLWithPath: out)) { temporary in
                try LogExportFile.write(into: temporary, header: header) { write in
                    try opened.registry.exportLog(upTo: count) { entry in
                        try write(entry)
                        exported += 1
                    }
                }
            }
        } catch let error as CommandFailure {
            throw error
        } catch let error as CocoaError {
            throw CommandFailure.input("cannot export the log to \(out): \(error.localizedDescription)")
        } catch {
            throw CommandFailure.input("cannot export the log to \(out): \(error)")
        }
        print("\(exported) entries exported to \(out)")
    }
}
