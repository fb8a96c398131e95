import ArgumentParser
import Foundation
import ZhucanAudit
import ZhucanIdentifiers
import ZhucanIssuer
import ZhucanRegistry

/// `zhucan audit prove`: a certificate's inclusion proof against the latest checkpoint.
struct AuditProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Print the proof that a certificate's issuance is in the transparency log.",
        discussion: """
            Prints (or writes to --out) a JSON proof: the log entry recording the issuance, its \
            RFC 9162 inclusion path, and the latest signed checkpoint. Anybody with the log key \
            checks it offline with `zhucan audit check-proof`. The entry holds the certificate: \
            give the proof only to its holder or an auditor.
            """
    )

    @OptionGroup var workspace: WorkspaceOption

    @Option(help: ArgumentHelp("The certificate number (20 characters).", valueName: "number"))
    var certificate: String

    @Option(help: ArgumentHelp("Write the proof here instead of standard output.", valueName: "file"))
    var out: String?

    func run() async throws {
        let opened = try workspace.open()
        let number = certificate.uppercased()
        guard (try? DisabilityCertificateNumber(number)) != nil else {
            throw CommandFailure.input("--certificate: not a valid disability certificate number")
        }
        let registry = opened.registry
        let proof: CertificateInclusionProof = try CommandFailure.mappingRegistryErrors {
            guard let stored = try registry.certificate(number: number) else {
                throw CommandFailure.negative("no certificate \(number.prefix(6))… in this workspace")
            }
            guard let index = try registry.logIndex(ofIssued: stored.licenseID) else {
                throw CommandFailure.negative("certificate \(stored.licenseID) was issued before the log began")
            }
            guard let checkpoint = try registry.latestCheckpoint(), index < checkpoint.size else {
                throw CommandFailure.negative("no signed checkpoint covers entry \(index) yet; run `zhucan audit checkpoint`")
            }
            guard let entry = try registry.logEntries(in: index..<(index + 1)).first else {
                throw CommandFailure.negative("log entry \(index) is missing: run `zhucan audit log`")
            }
            return CertificateInclusionProof(
                licenseID: stored.licenseID, index: index, size: checkpoint.size, entry: entry.data,
                hashes: try registry.inclusionProof(index: index, size: checkpoint.size), checkpoint: checkpoint.note,
                logKey: try? opened.logVerifierKey().verifierKey
            )
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let bytes = Array(try encoder.encode(proof)) + [0x0A]
        if let out {
            try Files.write(bytes, to: out)
            print("inclusion proof of \(proof.licenseId) (entry \(proof.index) of \(proof.size)) written to \(out)")
        } else {
            FileHandle.standardOutput.write(Data(bytes))
        }
    }
}
