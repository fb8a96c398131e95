import ArgumentParser
import Foundation
import ZhucanSigning

/// `zhucan keys generate`: a new key pair as `PATH.key.pem` (0600) and `PATH.pub.pem`.
struct KeysGenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate a key pair: PATH.key.pem (PKCS#8, mode 0600) and PATH.pub.pem (SPKI).",
        discussion: "Prints the key id (first 8 bytes of SHA-256 over the SPKI DER) in hex. Never overwrites a key."
    )

    @Option(help: "Signature algorithm: sm2 (SM2 with SM3), es256 (ECDSA P-256), ed25519.")
    var algorithm: SignatureAlgorithm

    @Option(help: ArgumentHelp("Path prefix of the two files to write.", valueName: "path"))
    var out: String

    @OptionGroup var passphrase: PassphraseOption

    func run() async throws {
        let privatePath = out + ".key.pem", publicPath = out + ".pub.pem"
        for path in [privatePath, publicPath] where Files.exists(path) {
            throw CommandFailure.input("\(path) already exists; refusing to overwrite a key")
        }
        let passphrase = try passphrase.load()
        let key = try PrivateKey.generate(algorithm)
        try CommandFailure.mappingInputErrors("cannot write the private key") {
            try key.write(toNewFileAt: privatePath, passphrase: passphrase)
        }
        do {
            try Files.write(Array(key.publicKey.pemRepresentation.utf8), to: publicPath)
        } catch {
            try? FileManager.default.removeItem(atPath: privatePath)
            throw error
        }
        print(key.publicKey.keyID.hex)
        FileHandle.standardError.write(Data("""
            wrote \(privatePath) (\(algorithm.rawValue) private key, mode 0600\(passphrase == nil ? "" : ", encrypted")) \
            and \(publicPath)\n
            """.utf8))
    }
}

extension SignatureAlgorithm: ExpressibleByArgument {
    public init?(argument: String) {
        guard let algorithm = SignatureAlgorithm(rawValue: argument.lowercased()), algorithm.canSign else { return nil }
        self = algorithm
    }

    public static var allValueStrings: [String] { signing.map(\.rawValue) }
}
