import ArgumentParser
import Foundation
import Logging
import ZhucanIdentifiers
import ZhucanIssuer
import ZhucanPostgres
import ZhucanRegistry
import ZhucanServiceStore

/// `--database URL`: where the verification service keeps API keys, redemptions and events.
/// Default `$ZHUCAN_DATABASE_URL`, else the workspace's registry (SQLite). A `postgres://`
/// URL is a PostgreSQL database that many service instances share.
struct DatabaseOption: ParsableArguments {
    @Option(help: ArgumentHelp(
        "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=…] for the service's keys and events (default: $ZHUCAN_DATABASE_URL, else SQLite: the workspace's registry, or a node's --state-dir/node.sqlite). The environment variable keeps a password out of the process list.",
        valueName: "url"
    ))
    var database: String?

    /// The URL to use, if any.
    var text: String? {
        database ?? ProcessInfo.processInfo.environment["ZHUCAN_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func validate() throws {
        guard let text else { return }
        guard PostgresDatabaseURL.isPostgres(text) else {
            throw ValidationError("--database must be a postgres:// URL; without it the workspace's registry is used")
        }
        do { _ = try PostgresDatabaseURL(text) } catch let error as RegistryError { throw ValidationError("--database: \(error.reason)") }
    }

    /// Runs `body` with the store: PostgreSQL (connected and migrated for the duration of
    /// `body`) or the workspace's registry.
    /// - Parameter deadline: the longest one PostgreSQL call may take (a service's,
    ///   `PostgresServiceStore.serviceDeadline`); none for a command.
    func withStore<T>(workspace: Workspace, logger: Logger, deadline: Duration? = nil, _ body: (any ServiceStore) async throws -> T) async throws -> T {
        guard let text else { return try await body(workspace.registry) }
        return try await Self.withPostgres(text, logger: logger, deadline: deadline, body)
    }

    /// The redemptions made by the end of `date`, by service, from the PostgreSQL database the
    /// service instances share; nil without one, where the workspace's registry holds them and
    /// the report reads them itself.
    func redemptions(through date: CivilDate, logger: Logger) async throws -> [String: Set<String>]? {
        guard let text else { return nil }
        return try await Self.withPostgres(text, logger: logger) { store in
            try await CommandFailure.mappingRegistryErrorsAsync { try await store.redemptionsByService(before: ChinaTime.startOfDay(after: date)) }
        }
    }

    /// Runs `body` with a node's store: PostgreSQL, or the node's own SQLite file in its
    /// state folder (`node.sqlite`: API keys, redemptions and events only — never the
    /// issuer's registry).
    func withNodeStore<T>(stateDirectory: URL, logger: Logger, deadline: Duration? = nil, _ body: (any ServiceStore) async throws -> T) async throws -> T {
        guard let text else {
            do {
                try FileManager.default.createDirectory(at: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw CommandFailure.input("--state-dir \(stateDirectory.path): cannot create it: \(error.localizedDescription)")
            }
            let store = try CommandFailure.mappingRegistryErrors { try Registry(path: stateDirectory.appendingPathComponent("node.sqlite").path) }
            return try await body(store)
        }
        return try await Self.withPostgres(text, logger: logger, deadline: deadline, body)
    }

    /// Runs `body` with the PostgreSQL store at `text`, connected and migrated for its duration.
    private static func withPostgres<T>(
        _ text: String, logger: Logger, deadline: Duration? = nil, _ body: (any ServiceStore) async throws -> T
    ) async throws -> T {
        let url = try CommandFailure.mappingRegistryErrors { try PostgresDatabaseURL(text) }
        do {
            return try await PostgresServiceStore.withStore(url: url, logger: logger, deadline: deadline) { try await body($0) }
        } catch let error as RegistryError where error.code == .storage {
            throw CommandFailure.input(error.reason)
        }
    }

    /// A quiet logger for the database client of a one-shot command: warnings and worse.
    static var commandLogger: Logger {
        var logger = Logger(label: "zhucan.database")
        logger.logLevel = .warning
        return logger
    }
}
