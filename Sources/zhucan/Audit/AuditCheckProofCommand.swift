import ArgumentParser
import Foundation
import ZhucanAudit
import ZhucanTransparency

/// `zhucan audit check-proof`: verifies an inclusion proof offline.
struct AuditCheckProofCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-proof",
        abstract: "Check a certificate's inclusion proof (from `zhucan audit prove`) offline.",
        discussion: "Exit 0 and one line when the proof holds; exit 1 naming the failed check otherwise."
    )

    @Argument(help: ArgumentHelp("The proof file (- for standard input).", valueName: "file"))
    var proof: String

    @Option(help: ArgumentHelp("The log's verifier key (name+id+key), or a file holding it. Default: the key in the proof.", valueName: "key"))
    var logKey: String?

    @Option(help: ArgumentHelp(
        "The certificate the proof must be for: its text, @FILE for a file's, @- for standard input. Without it the proof shows that a certificate of this identifier was logged, not that this one was.",
        valueName: "certificate"))
    var certificate: String?

    func run() async throws {
        let decoded: CertificateInclusionProof
        do {
            decoded = try JSONDecoder().decode(CertificateInclusionProof.self, from: Data(try Files.read(proof, what: "proof")))
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure.input("\(proof) is not an inclusion proof (\(CertificateInclusionProof.format))")
        }
        let verifier: NoteVerifier
        if let logKey {
            verifier = try LogKeyOption.verifier(logKey)
        } else if let embedded = decoded.logKey {
            verifier = try LogKeyOption.verifier(embedded)
            FileHandle.standardError.write(Data("note: log key taken from the proof itself; pin it with --log-key\n".utf8))
        } else {
            throw CommandFailure.input("the proof names no log key: give --log-key")
        }
        var text: String?
        if let certificate {
            text = try CodeInput.read(certificate).trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            FileHandle.standardError.write(Data("note: no --certificate: this proves that a certificate of \(decoded.licenseId) was logged, not which\n".utf8))
        }
        do {
            let checkpoint = try decoded.check(logKey: verifier, certificate: text)
            print("valid: \(decoded.licenseId) is entry \(decoded.index) of \(checkpoint.origin) at size \(checkpoint.size)\(text == nil ? "" : ", and records this certificate")")
        } catch let error as AuditError {
            throw CommandFailure.negative("invalid: \(error.reason)")
        }
    }
}
