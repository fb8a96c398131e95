import ArgumentParser
import Foundation
import ZhucanIssuer

/// `zhucan reissue`: new certificates, signed by the active key, for those a revoked key signed.
struct ReissueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reissue",
        abstract: "Issue again, with the active key, every live certificate a revoked or retired key signed.",
        discussion: """
            After `zhucan keys revoke`, verifiers refuse the certificates the revoked key signed. This gives each \
            of them a new version (the same e-license serial, version + 1, the same holder, category, level, region, \
            card and start) that supersedes it, as a batch does: in chunks, every core signing, resumable. Holders' \
            enrolled phones follow the new certificate. Suspended certificates are held back and named: reinstate or \
            revoke them, then run again.
            """
    )
    @OptionGroup var workspace: WorkspaceOption

    @Option(name: .customLong("signed-by"), help: ArgumentHelp("The revoked (or retired) issuer key's id, 16 hex digits.", valueName: "kid"))
    var signedBy: String

    func run() async throws {
        let opened = try workspace.open()
        let bar = ProgressBar(total: 0)
        let started = Date()
        let summary: Workspace.BatchSummary
        do {
            summary = try await opened.reissueCertificates(signedBy: signedBy, now: Clock.now) { bar.update($0.done, of: $0.total) }
        } catch let error as IssuerError {
            throw CommandFailure(error)
        }
        bar.finish()
        BatchIssue.note(summary)
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        print(LanguageOption.Language.current.render(String(
            format: "已重新签发 %d 张 / re-issued %d certificates signed by %@, %d held back, in %.1f s",
            summary.issued, summary.issued, signedBy.lowercased(), summary.heldBack, seconds
        )))
    }
}
