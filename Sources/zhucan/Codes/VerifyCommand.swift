import ArgumentParser
import Foundation
import ZhucanEnvelope
import ZhucanSigning

/// `zhucan verify`: checks a code offline against an explicitly given signer key.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a code offline. Exit 0 valid, 1 not valid, 2 usage or unreadable file.",
        discussion: """
            Checks, in order: the envelope layers, the key (kid) and algorithm, the signature,
            then nbf/iat/exp against the validation time (--at, else this machine's clock) with
            --skew seconds in the holder's favour. HC1: codes (EU DCC) are checked for envelope,
            signature, kid and iat/exp only, not the DCC business rules.
            """
    )

    @Argument(help: ArgumentHelp("The code, or @FILE to read it from a file (@- for standard input).", valueName: "code"))
    var code: String

    @Option(help: ArgumentHelp("The signer's public key or X.509 certificate (PEM or DER).", valueName: "pub|cert"))
    var signer: String

    @Option(help: ArgumentHelp("Validation time, ISO 8601 (2026-11-29T10:00:00Z or 2026-11-29); default now.", valueName: "time"))
    var at: String?

    @Option(help: "Allowed clock skew in seconds, in the holder's favour.")
    var skew: Int64 = EnvelopeVerifier.Configuration.defaultSkew

    @Flag(help: "Print JSON: valid, reason, detail, validationTime, clock, and what was read.")
    var json = false

    func validate() throws {
        guard skew >= 0 else { throw ValidationError("--skew must not be negative") }
        if let at, Timestamp.parse(at) == nil {
            throw ValidationError("--at must be ISO 8601, e.g. 2026-11-29T10:00:00Z or 2026-11-29")
        }
    }

    func run() async throws {
        let text = try CodeInput.read(code)
        let key = try CommandFailure.mappingInputErrors(signer) { try PublicKey(contentsOf: try Files.read(signer, what: "signer key")) }
        let clock = at == nil ? "system clock" : "--at"
        let time = at.flatMap(Timestamp.parse) ?? Int64(Date().timeIntervalSince1970)
        let result = EnvelopeVerifier(keys: [key], configuration: .init(validationTime: time, skew: skew)).verify(text)
        if json {
            var object: [String: Any] = [
                "valid": result.isValid,
                "reason": result.reason.rawValue,
                "detail": result.detail,
                "validationTime": Timestamp.iso(time),
                "clock": clock,
                "skewSeconds": skew,
            ]
            if let cose = result.layers.cose {
                object["kid"] = cose.keyID?.hex
                object["alg"] = cose.algorithmValue.flatMap(CoseAlgorithm.init(rawValue:))?.name
                object["typ"] = cose.type
            }
            try JSONOutput.print(object)
        } else {
            print(result.reason.bilingualDescription)
            print("reason: \(result.reason.rawValue) — \(result.detail)")
            print("checked at \(Timestamp.iso(time)) (\(clock), skew \(skew) s)")
        }
        if !result.isValid { throw CommandFailure(message: "not valid: \(result.reason.rawValue)", status: CommandFailure.negativeStatus) }
    }
}
