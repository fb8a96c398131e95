import ArgumentParser
import Foundation
import Logging
import ZhucanEnvelope
import ZhucanHTTP
import ZhucanNode
import ZhucanPostgres
import ZhucanServiceStore
import ZhucanSigning

/// `zhucan verifier`: a verification node, which holds no private key.
struct VerifierCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verifier",
        abstract: "Run a verification node that holds public material only, and manage its API keys.",
        discussion: """
            A node starts from the root public key and the issuer's URL. It fetches the trust
            list, the status lists, the catalogue editions and the log checkpoint from the
            issuer's public endpoints, checks every signature before using them, and answers
            POST /v1/verify and /v1/redeem exactly as the issuer's service does. It never reads
            a private key or the issuer's registry. See Docs/deployment.md.
            """,
        subcommands: [Serve.self, APIKeys.self]
    )

    /// `--state-dir` and `--database`: where a node keeps its cache and its store.
    struct StateOptions: ParsableArguments {
        @Option(help: ArgumentHelp("The node's folder: its cache of lists and, without --database, its SQLite store (default ./zhucan-node).", valueName: "dir"))
        var stateDir = "zhucan-node"

        @OptionGroup var database: DatabaseOption

        var url: URL { URL(fileURLWithPath: stateDir, isDirectory: true) }
    }

    /// `zhucan verifier serve`.
    struct Serve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a verification node over HTTP: verify, redeem, /healthz, /readyz, /metrics.",
            discussion: """
                The lists are fetched every --refresh-seconds with conditional GETs, with backoff
                while the issuer is down, and cached in --state-dir so that a restart serves at once.
                A list that does not verify, or is older than the one in use, is refused and the
                last good one kept. Once a list in use expires, answers are status_unknown, never
                valid. Checkpoints that do not extend the last one trusted (a forked or rewritten
                log) are refused and raised in /metrics and the log.

                Redemptions need a store shared by every node: give --database postgres://… to
                several nodes; a single node keeps them in --state-dir/node.sqlite.
                """
        )

        @Option(help: ArgumentHelp("The issuer's service, whose public endpoints give the lists.", valueName: "url"))
        var issuer: String

        @Option(name: .customLong("trust-anchor"), help: ArgumentHelp("The root public key that signs trust lists (repeatable).", valueName: "root.pub.pem"))
        var trustAnchors: [String]

        @Option(name: .customLong("log-key"), help: ArgumentHelp("The transparency log's verifier key (name+id+key, or a file; `zhucan audit checkpoint` prints it). With it a forked or rewritten log stops the lists; without it an inconsistency is only reported.", valueName: "key"))
        var logKey: String?

        @Option(name: .customLong("status-list"), help: ArgumentHelp("A status list to fetch, by id (repeatable; default 1).", valueName: "id"))
        var statusLists: [String] = []

        @OptionGroup var state: StateOptions

        @Option(help: "Address to listen on.")
        var host = "127.0.0.1"

        @Option(help: "Port to listen on.")
        var port = 8081

        @Option(name: .customLong("refresh-seconds"), help: "How often the lists are fetched from the issuer.")
        var refreshSeconds = 30.0

        @Option(name: .customLong("rate-limit"), help: "Requests per minute allowed to one API key.")
        var rateLimit = 600

        @Option(name: .customLong("key-cache-seconds"), help: "How long an API key that authenticated is trusted before the store is read again.")
        var keyCacheSeconds = 1.0

        @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (default: $LOG_LEVEL, else info).")
        var logLevel: String?

        func validate() throws {
            guard let url = URL(string: issuer), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--issuer must be an http:// or https:// URL, such as http://issuer.internal:8080")
            }
            // The address is on the node's log lines, and its lists are public: a password
            // in it would only leak.
            guard url.user == nil, url.password == nil else {
                throw ValidationError("--issuer must not hold a user or password: the issuer's lists need none, and the address is logged")
            }
            guard !trustAnchors.isEmpty else { throw ValidationError("give the root public key with --trust-anchor ROOT.pub.pem") }
            for id in statusLists where !(1...32).contains(id.count) || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
                throw ValidationError("--status-list \(id.prefix(40)): an id is 1–32 letters, digits, '-' or '_'")
            }
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0–65535") }
            guard (0.1...86_400).contains(refreshSeconds) else { throw ValidationError("--refresh-seconds must be 0.1–86400") }
            guard rateLimit >= 1 else { throw ValidationError("--rate-limit must be at least 1") }
            guard (0...300).contains(keyCacheSeconds) else { throw ValidationError("--key-cache-seconds must be 0–300") }
            if let logLevel, Logger.Level(rawValue: logLevel) == nil { throw ValidationError("--log-level: unknown level \(logLevel)") }
        }

        func run() async throws {
            let level = (logLevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"]).flatMap(Logger.Level.init(rawValue:)) ?? .info
            LoggingSystem.bootstrap { label in
                var handler = ServiceLogHandler(label: label)
                handler.logLevel = level
                return handler
            }
            let anchors = try trustAnchors.map { path in
                try CommandFailure.mappingInputErrors(path) { try PublicKey(contentsOf: try Files.read(path, what: "trust anchor")) }
            }
            let refresh = Duration.milliseconds(Int64((refreshSeconds * 1_000).rounded()))
            let configuration = NodeConfiguration(
                issuer: URL(string: issuer)!, trustAnchors: anchors, logKey: try logKey.map(LogKeyOption.verifier),
                stateDirectory: state.url, statusListIDs: statusLists.isEmpty ? ["1"] : statusLists,
                refreshInterval: refresh, maxBackoff: max(refresh, .seconds(300)),
                // A fetch never outlasts a round: an unreachable issuer is noticed at once.
                fetchTimeout: min(.seconds(10), max(.seconds(1), refresh)),
                server: ServiceConfiguration(
                    host: host, port: port, rateLimitPerMinute: rateLimit, listRefreshInterval: refresh,
                    apiKeyCacheTTL: .milliseconds(Int64((keyCacheSeconds * 1_000).rounded()))
                )
            )
            let logger = Logger(label: "zhucan.node")
            if let url = URL(string: issuer), url.scheme == "http", !Loopback.contains(url.host ?? "") {
                // Signatures stop a forged list, not a replayed one: only the transport tells a
                // node it has the issuer's newest (Docs/deployment.md, "Freshness").
                logger.warning("""
                    --issuer is plain http: whoever is on the path can serve older lists, still signed and unexpired \
                    (a status list from before a revocation), and hold the node on them; fetch over https
                    """, metadata: ["issuer": .string(issuer)])
            }
            let deadline = ShutdownDeadline.arm(logger: logger)
            defer { withExtendedLifetime(deadline) {} }
            try await state.database.withNodeStore(stateDirectory: state.url, logger: logger, deadline: PostgresServiceStore.serviceDeadline) { store in
                try await CommandFailure.mappingListenFailure(host: host, port: port) {
                    try await runNode(configuration: configuration, store: store, logger: logger)
                }
            }
        }
    }

    /// `zhucan verifier apikey`.
    struct APIKeys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apikey",
            abstract: "Create, list and revoke the API keys of verification nodes.",
            subcommands: [Create.self, List.self, Revoke.self]
        )

        /// `zhucan verifier apikey create`.
        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Create an API key for the nodes on --state-dir or --database; the key is printed on the last line."
            )

            @OptionGroup var state: StateOptions

            @Option(help: ArgumentHelp("Who holds it (\"bus company 3\").", valueName: "name"))
            var name: String

            @Option(name: .customLong("scope"), help: ArgumentHelp("verify or redeem (repeatable).", valueName: "scope"))
            var scopes: [String]

            func validate() throws {
                guard !scopes.isEmpty else { throw ValidationError("give at least one --scope (verify, redeem)") }
                for scope in scopes where ![APIKey.Scope.verify, .redeem].contains(APIKey.Scope(rawValue: scope)) {
                    throw ValidationError("--scope \(scope): a node serves only verify and redeem")
                }
            }

            func run() async throws {
                try await state.database.withNodeStore(stateDirectory: state.url, logger: DatabaseOption.commandLogger) { store in
                    try await APIKeyActions.create(in: store, name: name, scopes: scopes)
                }
            }
        }

        /// `zhucan verifier apikey list`.
        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "List the nodes' API keys (id, name, scopes, created, revoked).")

            @OptionGroup var state: StateOptions

            func run() async throws {
                try await state.database.withNodeStore(stateDirectory: state.url, logger: DatabaseOption.commandLogger) {
                    try await APIKeyActions.list(in: $0)
                }
            }
        }

        /// `zhucan verifier apikey revoke`.
        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a node API key: nodes refuse it within their --key-cache-seconds.")

            @OptionGroup var state: StateOptions

            @Option(help: ArgumentHelp("The key's id (8 hexadecimal digits).", valueName: "id"))
            var id: String

            func run() async throws {
                try await state.database.withNodeStore(stateDirectory: state.url, logger: DatabaseOption.commandLogger) {
                    try await APIKeyActions.revoke(in: $0, id: id)
                }
            }
        }
    }
}
