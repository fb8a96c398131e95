import ArgumentParser
import Foundation
import ZhucanEnvelope
import ZhucanIssuer

/// `zhucan trust-list`.
struct TrustListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust-list", abstract: "Publish the trust list (issuer keys, signed by the root key).",
        subcommands: [Publish.self]
    )

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign a new trust list and write it to a file (ZC1: text).")
        @OptionGroup var workspace: WorkspaceOption
        @Option(help: ArgumentHelp("Where to write it (a list it replaces keeps its mode; a new one is 0600).", valueName: "file")) var out: String

        func run() async throws {
            // Before signing: a refused --out must not leave a list published that no one has.
            try Files.checkReplaceable(out)
            let opened = try workspace.open()
            let publication = try CommandFailure.mappingIssuerErrors { try opened.publishTrustList(now: Clock.now) }
            try Files.write(Array((publication.text + "\n").utf8), to: out, keepingMode: true)
            print("trust list \(publication.sequence) written to \(out), expires \(Timestamp.iso(publication.expiresAt))")
        }
    }
}

/// `zhucan status-list`.
struct StatusListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status-list", abstract: "Publish the status list (IETF Token Status List, 2 bits per certificate).",
        subcommands: [Publish.self]
    )

    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Sign a new status list and write it to a file (binary COSE_Sign1, application/statuslist+cwt).")
        @OptionGroup var workspace: WorkspaceOption
        @Option(help: ArgumentHelp("Where to write it (a list it replaces keeps its mode; a new one is 0600).", valueName: "file")) var out: String

        func run() async throws {
            try Files.checkReplaceable(out)
            let opened = try workspace.open()
            let publication = try CommandFailure.mappingIssuerErrors { try opened.publishStatusList(now: Clock.now) }
            guard let bytes = Data(base64Encoded: publication.text) else { throw CommandFailure.input("stored status list is damaged") }
            try Files.write(Array(bytes), to: out, keepingMode: true)
            print("status list \(publication.sequence) written to \(out) (\(bytes.count) bytes), expires \(Timestamp.iso(publication.expiresAt))")
        }
    }
}

/// `zhucan keys rotate`.
struct KeysRotate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Replace the workspace's issuer key; the old one is retired and stays on the trust list.",
        discussion: """
            Certificates signed by the old key keep verifying; signatures it makes after today are rejected \
            (key_not_valid_at_signing). Its private key file is removed from keys/: it signs nothing more, and a copy \
            could still sign certificates dated before today. A copy that may have been taken: `zhucan keys revoke`.
            """
    )
    @OptionGroup var workspace: WorkspaceOption

    func run() async throws {
        let opened = try workspace.open()
        let key = try CommandFailure.mappingIssuerErrors { try opened.rotateIssuerKey(now: Clock.now) }
        print(key.publicKey.keyID.hex)
        FileHandle.standardError.write(Data("new \(key.algorithm.rawValue) issuer key; trust list republished\n".utf8))
    }
}
