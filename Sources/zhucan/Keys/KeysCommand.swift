import ArgumentParser

/// `zhucan keys`: generate, inspect, and use signing keys.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Generate, show, and sign or verify with signing keys (SM2, ES256, Ed25519).",
        subcommands: [KeysGenerate.self, KeysShow.self, KeysSign.self, KeysVerify.self, KeysRotate.self, KeysRevoke.self]
    )
}

