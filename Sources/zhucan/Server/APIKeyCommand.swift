import ArgumentParser
import Foundation
import ZhucanEnvelope
import ZhucanRegistry
import ZhucanServiceStore

/// `zhucan apikey`: the keys of the HTTP service's clients.
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey",
        abstract: "Create, list and revoke API keys of the verification service.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    /// `zhucan apikey create`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an API key and print it once (only its hash is stored).",
            discussion: "Scopes: verify, redeem, lookup, issue, audit. The key is printed alone on standard output."
        )

        @OptionGroup var workspace: WorkspaceOption
        @OptionGroup var database: DatabaseOption

        @Option(help: ArgumentHelp("Who holds it (\"bus company 3\").", valueName: "name"))
        var name: String

        @Option(name: .customLong("scope"), help: ArgumentHelp("A scope it grants (repeatable).", valueName: "scope"))
        var scopes: [String]

        func validate() throws {
            guard !scopes.isEmpty else { throw ValidationError("give at least one --scope") }
            for scope in scopes where APIKey.Scope(rawValue: scope) == nil {
                throw ValidationError("--scope \(scope): must be one of \(APIKey.Scope.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }

        func run() async throws {
            let opened = try workspace.open()
            try await database.withStore(workspace: opened, logger: DatabaseOption.commandLogger) { store in
                try await APIKeyActions.create(in: store, name: name, scopes: scopes)
            }
        }
    }

    /// `zhucan apikey list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API keys (id, name, scopes, created, revoked).")

        @OptionGroup var workspace: WorkspaceOption
        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let opened = try workspace.open()
            try await database.withStore(workspace: opened, logger: DatabaseOption.commandLogger) { try await APIKeyActions.list(in: $0) }
        }
    }

    /// `zhucan apikey revoke`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key: running services refuse it within their --key-cache-seconds (1 s by default).")

        @OptionGroup var workspace: WorkspaceOption
        @OptionGroup var database: DatabaseOption

        @Option(help: ArgumentHelp("The key's id (8 hexadecimal digits).", valueName: "id"))
        var id: String

        func run() async throws {
            let opened = try workspace.open()
            try await database.withStore(workspace: opened, logger: DatabaseOption.commandLogger) { try await APIKeyActions.revoke(in: $0, id: id) }
        }
    }
}
