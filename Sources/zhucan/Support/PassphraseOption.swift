import ArgumentParser
import ZhucanSigning

/// `--passphrase-file F`: the passphrase of an encrypted private key, first line of F.
struct PassphraseOption: ParsableArguments {
    @Option(
        name: .customLong("passphrase-file"),
        help: ArgumentHelp("File whose first line is the private key's passphrase.", valueName: "file")
    )
    var path: String?

    /// The passphrase, if a file was given.
    func load() throws -> Passphrase? {
        guard let path else { return nil }
        return try CommandFailure.mappingInputErrors("passphrase") { try Passphrase(contentsOfFile: path) }
    }
}
