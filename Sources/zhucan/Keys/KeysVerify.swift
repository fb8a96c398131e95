import ArgumentParser
import Foundation
import ZhucanSigning

/// `zhucan keys verify`: checks a detached signature; exit 0 valid, 1 invalid, 2 input error.
struct KeysVerify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a detached signature. Exit 0 valid, 1 invalid, 2 usage or input error.",
        discussion: """
            Reads the signature in the form `zhucan keys sign` and the openssl command line write
            (DER for sm2 and es256, raw for ed25519); a 64-byte sm2 or es256 signature is read as raw r‖s.
            """
    )

    @Option(help: ArgumentHelp("Public key or X.509 certificate (PEM or DER).", valueName: "pub"))
    var pub: String

    @Option(name: .customLong("in"), help: ArgumentHelp("The signed file ('-' for standard input).", valueName: "file"))
    var input: String

    @Option(help: ArgumentHelp("The signature file.", valueName: "sig"))
    var sig: String

    func run() async throws {
        let publicKey = try CommandFailure.mappingInputErrors(pub) { try PublicKey(contentsOf: try Files.read(pub, what: "public key")) }
        let signature = try Files.read(sig, what: "signature")
        let message = try Files.read(input)
        // A DER ECDSA signature of a 256-bit curve is 8 to 72 bytes and starts with SEQUENCE;
        // exactly 64 bytes is raw r‖s (a DER one that long would need r and s of 29–30 bytes
        // and cannot start with 0x30 0x3e as raw does only by chance, so we try both).
        let formats: [SignatureFormat] = switch publicKey.algorithm {
        case .sm2, .es256: signature.count == 64 ? [.raw, .der] : [.der]
        case .ed25519, .ps256: [.raw]
        }
        if formats.contains(where: { publicKey.isValidSignature(signature, for: message, format: $0) }) {
            print("valid: \(publicKey.algorithm.rawValue) signature by key \(publicKey.keyID.hex)")
        } else {
            throw CommandFailure.negative("invalid: the signature does not verify with \(publicKey.algorithm.rawValue) key \(publicKey.keyID.hex)")
        }
    }
}
