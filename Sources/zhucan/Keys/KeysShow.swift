import ArgumentParser
import Foundation
import ZhucanSigning

/// `zhucan keys show`: what a key file is, its algorithm, key id and SPKI SHA-256.
struct KeysShow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the algorithm, key id and SPKI SHA-256 of a private key, public key or X.509 certificate."
    )

    @Argument(help: ArgumentHelp("Key or certificate file (PEM or DER).", valueName: "file"))
    var file: String

    @OptionGroup var passphrase: PassphraseOption

    @Flag(help: "Print JSON.")
    var json = false

    func run() async throws {
        let bytes = try Files.read(file, what: "key file")
        let passphrase = try passphrase.load()
        let keyFile = try CommandFailure.mappingInputErrors(file) { try KeyFile(contentsOf: bytes, passphrase: passphrase) }
        let key = keyFile.publicKey
        if json {
            let object: [String: String] = [
                "file": file,
                "type": keyFile.kind.rawValue,
                "algorithm": key.algorithm.rawValue,
                "keyId": key.keyID.hex,
                "spkiSha256": Hexadecimal.encode(key.fingerprint),
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("""
                file:        \(file)
                type:        \(keyFile.kind.rawValue)
                algorithm:   \(key.algorithm.rawValue) (\(key.algorithm))
                key id:      \(key.keyID.hex)
                spki sha256: \(Hexadecimal.encode(key.fingerprint))
                """)
        }
    }
}
