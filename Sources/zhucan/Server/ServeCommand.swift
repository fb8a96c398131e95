import ArgumentParser
import Foundation
import Logging
import ZhucanHTTP
import ZhucanIssuer
import ZhucanPostgres
import ZhucanServer

/// `zhucan serve`: the verification service over HTTP.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the verification service over HTTP on the workspace's registry (SQLite) or PostgreSQL.",
        discussion: """
            Verifiers call it with an API key (zhucan apikey create). SIGTERM or SIGINT stops it
            gracefully: requests in flight finish, within 20 s (ZHUCAN_SHUTDOWN_SECONDS). Logs go to standard error, one line per
            request, with personal data masked.

            With --database postgres://…, API keys, redemptions and events are kept in
            PostgreSQL, so that many instances can serve together (create keys with the same
            --database); certificates, lists and the log are read from the workspace.
            """
    )

    @OptionGroup var workspace: WorkspaceOption
    @OptionGroup var database: DatabaseOption

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on.")
    var port = 8080

    @Option(name: .customLong("rate-limit"), help: "Requests per minute allowed to one API key.")
    var rateLimit = 600

    @Option(name: .customLong("max-body-bytes"), help: "Largest request body accepted, bytes.")
    var maxBodyBytes = 64 * 1024

    @Option(
        name: .customLong("key-cache-seconds"),
        help: "How long an API key that authenticated is trusted before the store is read again; a revoked key stops working within it (0: read on every request)."
    )
    var keyCacheSeconds = 1.0

    @Option(
        name: .customLong("idle-timeout-seconds"),
        help: "Close a connection that sends nothing usable for this long: idle keep-alive, incomplete headers, a stalled body."
    )
    var idleTimeoutSeconds = 30.0

    @Option(name: .customLong("body-timeout-seconds"), help: "A request body must arrive within this time, else 408.")
    var bodyTimeoutSeconds = 30.0

    @Option(
        name: .customLong("max-connections"),
        help: "Most connections served at once; more wait in the backlog (default: the open-file limit less 64, 16–4096)."
    )
    var maxConnections: Int?

    @Option(
        name: .customLong("public-url"),
        help: ArgumentHelp(
            "The service's address as phones reach it, e.g. https://zhucan.example: enrolment links begin with it and device proofs must name it (default: as each request addressed the service).",
            valueName: "url"
        )
    )
    var publicURL: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (default: $LOG_LEVEL, else info).")
    var logLevel: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0–65535") }
        guard rateLimit >= 1 else { throw ValidationError("--rate-limit must be at least 1") }
        guard (0...300).contains(keyCacheSeconds) else { throw ValidationError("--key-cache-seconds must be 0–300") }
        guard (1_024...16 * 1_024 * 1_024).contains(maxBodyBytes) else { throw ValidationError("--max-body-bytes must be 1024–16777216") }
        guard (1...600).contains(idleTimeoutSeconds) else { throw ValidationError("--idle-timeout-seconds must be 1–600") }
        guard (1...600).contains(bodyTimeoutSeconds) else { throw ValidationError("--body-timeout-seconds must be 1–600") }
        if let maxConnections, !(1...1_000_000).contains(maxConnections) { throw ValidationError("--max-connections must be 1–1000000") }
        if let publicURL {
            do { _ = try PublicOrigin(publicURL) } catch { throw ValidationError("--public-url: \(error)") }
        }
        if let logLevel, Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level: unknown level \(logLevel)") }
    }

    func run() async throws {
        let level = (logLevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"]).flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = ServiceLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        let configuration = ServiceConfiguration(
            host: host, port: port, maxBodyBytes: maxBodyBytes, rateLimitPerMinute: rateLimit,
            apiKeyCacheTTL: .milliseconds(Int64((keyCacheSeconds * 1_000).rounded())),
            idleTimeout: .milliseconds(Int64((idleTimeoutSeconds * 1_000).rounded())),
            bodyReadTimeout: .milliseconds(Int64((bodyTimeoutSeconds * 1_000).rounded())),
            maxConnections: maxConnections, publicOrigin: try publicURL.map { try PublicOrigin($0) }
        )
        let logger = Logger(label: "zhucan.server")
        if publicURL == nil {
            // Said on loopback too, more quietly: a proxy on this machine that passes on the
            // client's Host leaves the same choice to the client.
            logger.log(
                level: Loopback.contains(host) ? .info : .warning,
                """
                no --public-url: each request's own Host header names this service, so whoever sends the request \
                chooses the address an enrolment link begins with and a device proof must name; give the address \
                phones reach, e.g. --public-url https://zhucan.example
                """, metadata: ["host": .string(host)])
        }
        let deadline = ShutdownDeadline.arm(logger: logger)
        defer { withExtendedLifetime(deadline) {} }
        let opened = try workspace.open()
        try await database.withStore(workspace: opened, logger: logger, deadline: PostgresServiceStore.serviceDeadline) { store in
            try await CommandFailure.mappingIssuerErrorsAsync {
                try await CommandFailure.mappingListenFailure(host: host, port: port) {
                    try await runApplication(workspace: workspace.url, configuration: configuration, store: store, logger: logger)
                }
            }
        }
    }
}
