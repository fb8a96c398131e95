import ArgumentParser
import Foundation
import ZhucanIssuer

/// `zhucan code`: mint identity and service codes.
struct CodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Mint a short-lived identity code or service code for a certificate, or print the certificate itself.",
        subcommands: [Identity.self, Service.self, Certificate.self]
    )

    /// `zhucan code certificate`.
    struct Certificate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a certificate's signed text (残疾人电子证照) as it was issued.",
            discussion: """
                For the holder (zhucan qr turns it into a QR code), a court, or an auditor checking a proof \
                (zhucan audit check-proof --certificate). The newest certificate with that number, in any state: \
                a state other than active is said on standard error.
                """
        )

        @OptionGroup var workspace: WorkspaceOption

        @Option(help: ArgumentHelp("Certificate number (残疾人证号).", valueName: "number"))
        var certificate: String

        func run() async throws {
            let opened = try workspace.open()
            let stored = try CommandFailure.mappingIssuerErrors { try opened.storedCertificate(number: certificate) }
            if stored.state != .active {
                FileHandle.standardError.write(Data("注意：此证件状态为 \(stored.state.rawValue) / note: this certificate is \(stored.state.rawValue)\n".utf8))
            }
            print(stored.code)
        }
    }

    /// `zhucan code identity`.
    struct Identity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mint an identity code (残疾人身份码): certificate reference and masked name only.",
            discussion: "Category and level are included only with --show-category, when the holder chooses. Refused for a suspended or revoked certificate."
        )

        @OptionGroup var workspace: WorkspaceOption

        @Option(help: ArgumentHelp("Certificate number (残疾人证号).", valueName: "number"))
        var certificate: String

        @Option(help: "Lifetime in seconds (default: the workspace's, 300).")
        var ttl: Int?

        @Flag(name: .customLong("show-category"), help: "Include category and level (the holder's choice).")
        var showCategory = false

        @Option(help: CodeFormat.help)
        var format: CodeFormat = .compact

        func run() async throws {
            let opened = try workspace.open()
            let code = try CommandFailure.mappingIssuerErrors {
                try opened.identityCode(certificateNumber: certificate, seconds: ttl, showCategory: showCategory, format: format, now: Clock.now)
            }
            CodeFormat.warnIfStandard(code, asked: format, in: opened)
            print(code)
        }
    }

    /// `zhucan code service`.
    struct Service: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mint a service code (助残服务码) for one catalogue service.",
            discussion: "With --one-time, a verifier can redeem it once. Refused for a suspended or revoked certificate."
        )

        @OptionGroup var workspace: WorkspaceOption

        @Option(help: ArgumentHelp("Certificate number (残疾人证号).", valueName: "number"))
        var certificate: String

        @Option(help: ArgumentHelp("Catalogue service id.", valueName: "id"))
        var service: String

        @Option(help: "Lifetime in seconds (default: the workspace's, 600).")
        var ttl: Int?

        @Flag(name: .customLong("one-time"), help: "Redeemable once.")
        var oneTime = false

        @Option(help: CodeFormat.help)
        var format: CodeFormat = .compact

        func run() async throws {
            let opened = try workspace.open()
            let code = try CommandFailure.mappingIssuerErrors {
                try opened.serviceCode(certificateNumber: certificate, service: service, seconds: ttl, oneTime: oneTime, now: Clock.now, format: format)
            }
            CodeFormat.warnIfStandard(code, asked: format, in: opened)
            print(code)
        }
    }
}
