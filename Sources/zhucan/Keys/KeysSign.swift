import ArgumentParser
import Foundation
import ZhucanSigning

/// `zhucan keys sign`: a detached signature, byte-compatible with the `openssl` command line.
struct KeysSign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a file; the signature is compatible with the openssl command line.",
        discussion: """
            ES256 and SM2 signatures are DER, as `openssl dgst -sha256 -sign` and
            `openssl dgst -sm3 -sign -sigopt distid:1234567812345678` write them; Ed25519
            signatures are the raw 64 bytes of `openssl pkeyutl -sign -rawin`.
            Use --format raw for the 64-byte r‖s form that COSE uses.
            """
    )

    @Option(help: ArgumentHelp("Private key file (PKCS#8 PEM or DER).", valueName: "key"))
    var key: String

    @Option(name: .customLong("in"), help: ArgumentHelp("File to sign ('-' for standard input).", valueName: "file"))
    var input: String

    @Option(help: ArgumentHelp("Where to write the signature.", valueName: "sig"))
    var out: String

    @Option(help: "Signature encoding: der (default for sm2 and es256) or raw.")
    var format: SignatureFormat?

    @OptionGroup var passphrase: PassphraseOption

    func run() async throws {
        let passphrase = try passphrase.load()
        Files.recordInput(key)
        try Files.checkReplaceable(out)
        let privateKey = try CommandFailure.mappingInputErrors(key) {
            try PrivateKey(contentsOfFile: key, passphrase: passphrase)
        }
        let message = try Files.read(input)
        let format = format ?? (privateKey.algorithm == .ed25519 ? .raw : .der)
        let signature = try CommandFailure.mappingInputErrors("cannot sign") {
            try privateKey.signature(for: message, format: format)
        }
        try Files.write(signature, to: out)
    }
}

extension SignatureFormat: ExpressibleByArgument {}
