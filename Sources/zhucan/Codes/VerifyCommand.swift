import ArgumentParser
import Foundation
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIssuer
import ZhucanSigning

/// `zhucan verify`: checks a code offline.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a code offline. Exit 0 valid, 1 not valid, 2 usage or unreadable file.",
        discussion: """
            Three ways to say whom to trust:
              --signer PUB|CERT       one key: checks the envelope, key, signature and time only
                                      (also EU DCC HC1: codes, without the DCC business rules);
              --trust-anchor ROOT.pub.pem --trust-list FILE [--status-list FILE …] [--catalogue FILE …]
                                      a verifier's cached lists, without a workspace (a service
                                      code needs the catalogue edition it names, as
                                      GET /v1/catalogue/N serves it);
              --dir D (default)       the issuer workspace's own keys and latest lists.
            With lists, also checks the signing key's validity and the certificate's status.
            Times are checked against --at (default: this machine's clock) with --skew seconds
            in the holder's favour.
            """
    )

    @Argument(help: ArgumentHelp("The code, or @FILE to read it from a file (@- for standard input).", valueName: "code"))
    var code: String

    @Option(help: ArgumentHelp("Trust exactly this public key or X.509 certificate (PEM or DER).", valueName: "pub|cert"))
    var signer: String?

    @Option(name: .customLong("trust-anchor"), help: ArgumentHelp("The root public key that signs trust lists.", valueName: "root.pub.pem"))
    var trustAnchor: String?

    @Option(name: .customLong("trust-list"), help: ArgumentHelp("A trust list file.", valueName: "file"))
    var trustList: String?

    @Option(name: .customLong("status-list"), help: ArgumentHelp("A status list file (repeatable).", valueName: "file"))
    var statusLists: [String] = []

    @Option(name: .customLong("catalogue"), help: ArgumentHelp("A signed catalogue edition, as GET /v1/catalogue/N serves it (repeatable).", valueName: "file"))
    var catalogues: [String] = []

    @OptionGroup var workspace: WorkspaceOption

    @Option(help: ArgumentHelp("The service being provided: a service code must be for it.", valueName: "id"))
    var service: String?

    @Option(help: ArgumentHelp(
        "Validation time (default now): RFC 3339 with a zone (2026-11-29T10:00:00Z), a date (2026-11-29, from 00:00 UTC+8), or a date-time without a zone (2026-11-29T10:00:00, read as China Standard Time, UTC+8).",
        valueName: "time"))
    var at: String?

    @Option(help: "Allowed clock skew in seconds, in the holder's favour.")
    var skew: Int64 = EnvelopeVerifier.Configuration.defaultSkew

    @Flag(help: "Print the verification report as JSON, with the keys and values of POST /v1/verify (Docs/format.md §10).")
    var json = false

    func validate() throws {
        guard skew >= 0, skew <= 86_400 else { throw ValidationError("--skew must be 0–86400 seconds") }
        if let at {
            do { _ = try TimeInput(at) } catch { throw ValidationError("--at: \(error.reason)") }
        }
        if signer != nil && (trustList != nil || trustAnchor != nil || !statusLists.isEmpty) {
            throw ValidationError("--signer cannot be combined with --trust-anchor / --trust-list / --status-list")
        }
        if (trustList == nil) != (trustAnchor == nil) {
            throw ValidationError("--trust-list and --trust-anchor go together")
        }
        if !catalogues.isEmpty && trustList == nil {
            throw ValidationError("--catalogue goes with --trust-anchor and --trust-list, whose issuer keys check it")
        }
    }

    func run() async throws {
        let text = try CodeInput.read(code)
        let input = try at.map { text in try CommandFailure.mappingInputErrors("--at") { try TimeInput(text) } }
        let time = input?.seconds ?? Clock.now
        let clock = input == nil ? "system clock" : "--at"
        let configuration = EnvelopeVerifier.Configuration(validationTime: time, skew: skew)
        var report: VerificationReport
        if let signer {
            let key = try CommandFailure.mappingInputErrors(signer) { try PublicKey(contentsOf: try Files.read(signer, what: "signer key")) }
            report = VerificationReport(EnvelopeVerifier(keys: [key], configuration: configuration).verify(text), clock: clock, skew: skew)
        } else {
            let lists = try loadLists(signedBy: input.map { $0.seconds + skew })
            report = VerificationReport(
                CredentialVerifier(lists: lists, configuration: configuration).verify(text, service: service), clock: clock, skew: skew)
        }
        report.at = input?.interpretation
        if json {
            try JSONOutput.print(report)
        } else {
            print(VerificationAdvice.human(report))
        }
        if !report.valid { throw CommandFailure(message: "not valid: \(report.reason)", status: CommandFailure.negativeStatus) }
    }

    /// The lists given, or the workspace's; with `time` (`--at`), the workspace's lists signed
    /// by then.
    func loadLists(signedBy time: Int64?) throws -> CredentialVerifier.Lists {
        if let trustList, let trustAnchor {
            let anchor = try CommandFailure.mappingInputErrors(trustAnchor) { try PublicKey(contentsOf: try Files.read(trustAnchor, what: "trust anchor")) }
            let listText = String(decoding: try Files.read(trustList, what: "trust list"), as: UTF8.self)
            var lists = CredentialVerifier.Lists(
                trustAnchors: [anchor], trustList: listText,
                statusLists: try statusLists.map { try Files.read($0, what: "status list") }
            )
            guard !catalogues.isEmpty else { return lists }
            // Each edition under the trust list's issuer keys, as a node takes it.
            guard let issuerKeys = VerifiedLists(lists).issuerKeys else {
                throw CommandFailure.input("\(trustList): the trust list does not verify under \(trustAnchor), so no catalogue can be checked")
            }
            lists.catalogues = try catalogues.map { file in
                do {
                    return try CatalogueEdition(verifying: String(decoding: try Files.read(file, what: "catalogue"), as: UTF8.self), under: issuerKeys).issued
                } catch let failure as CatalogueEdition.Failure {
                    switch failure {
                    case .signature(let detail): throw CommandFailure.input("\(file): not signed by a key the trust list lets sign it: \(detail)")
                    case .malformed(let detail): throw CommandFailure.input("\(file): not a catalogue: \(detail)")
                    }
                }
            }
            return lists
        }
        let opened = try workspace.open()
        return try CommandFailure.mappingIssuerErrors { try opened.verifierLists(signedBy: time) }
    }
}
