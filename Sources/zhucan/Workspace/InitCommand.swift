import ArgumentParser
import Foundation
import ZhucanIssuer
import ZhucanSigning

/// `zhucan init`: creates an issuer workspace.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create an issuer workspace: root and issuer keys, registry, trust list and status list.",
        discussion: """
            --demo uses the public demo keys (compiled into zhucan; the same as the repository's
            keys/) and a Pinghu demo issuer: for trying Zhucan out only, never for real
            certificates.
            The workspace is built beside the folder and moved into place when complete: a
            failure leaves nothing. The folder must be new or empty; it is made mode 0700 and
            every file in it 0600.
            """
    )

    @OptionGroup var workspace: WorkspaceOption

    @Option(help: "Signature algorithm of the keys: sm2 (default, the national standard), es256, ed25519.")
    var algorithm: SignatureAlgorithm = .sm2

    @Option(name: .customLong("issuer-name"), help: "The issuing federation's name (证照颁发机构).")
    var issuerName: String?

    @Option(name: .customLong("issuer-uscc"), help: "Its unified social credit code (证照颁发机构代码, GB 32100).")
    var issuerCode: String?

    @Option(help: "Its region code (GB/T 2260), e.g. 330482 for 平湖市.")
    var region: String?

    @Flag(help: "Use the public demo keys and the Pinghu demo issuer.")
    var demo = false

    @Option(name: .customLong("keys-dir"), help: ArgumentHelp("Read the demo keys from this folder instead (with --demo).", valueName: "dir"))
    var keysDirectory: String?

    func validate() throws {
        if keysDirectory != nil && !demo { throw ValidationError("--keys-dir goes with --demo") }
        if !demo && (issuerName == nil || issuerCode == nil || region == nil) {
            throw ValidationError("give --issuer-name, --issuer-uscc and --region (or --demo for the demo issuer)")
        }
    }

    func run() async throws {
        var configuration = WorkspaceConfiguration.demo
        configuration.algorithm = algorithm.rawValue
        if let issuerName { configuration.issuerName = issuerName }
        if let issuerCode { configuration.issuerCode = issuerCode.uppercased() }
        if let region { configuration.region = region }
        let keys: Workspace.KeySource = demo ? .demo(keysDirectory: keysDirectory.map { URL(fileURLWithPath: $0) }) : .generate
        let created = try CommandFailure.mappingIssuerErrors {
            try Workspace.create(at: workspace.url, configuration: configuration, keys: keys, now: Clock.now)
        }
        let issuer = try CommandFailure.mappingIssuerErrors { try created.issuerKey() }
        let root = try CommandFailure.mappingIssuerErrors { try created.trustAnchor() }
        print("""
            created workspace \(workspace.url.path)\(demo ? " (DEMO keys: never for real certificates)" : "")
              issuer:     \(configuration.issuerName) (\(configuration.issuerCode), region \(configuration.region))
              issuer key: \(issuer.algorithm.rawValue) \(issuer.publicKey.keyID.hex)
              root key:   \(root.algorithm.rawValue) \(root.keyID.hex)  → give keys/root.pub.pem to verifiers as the trust anchor
              registry:   \(workspace.url.appendingPathComponent(Workspace.registryFile).path)
            """)
    }
}
