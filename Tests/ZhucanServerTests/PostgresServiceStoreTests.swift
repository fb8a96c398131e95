import Foundation
import Logging
import NIOSSL
import Testing
import ZhucanPostgres
import ZhucanRegistry
import ZhucanServiceStore
import ZhucanTesting

/// The service store contract on PostgreSQL, against the server `make test` starts.
@Suite("Service store: PostgreSQL", .enabled(if: TestPostgres.shouldRun))
struct PostgresServiceStoreTests {
    static let quiet = Logger(label: "zhucan.test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A store on a new database of its own.
    static func withStore(_ body: (PostgresServiceStore) async throws -> Void) async throws {
        let url = try PostgresDatabaseURL(try await TestPostgres.freshDatabase())
        try await PostgresServiceStore.withStore(url: url, logger: quiet, body)
    }

    @Test("The readiness probe answers") func probe() async throws { try await Self.withStore(ServiceStoreContract.probe) }
    @Test("API keys") func apiKeys() async throws { try await Self.withStore(ServiceStoreContract.apiKeys) }
    @Test("Redemption once") func redemption() async throws { try await Self.withStore(ServiceStoreContract.redemption) }
    @Test("50 concurrent redemptions: exactly one") func concurrent() async throws {
        try await Self.withStore(ServiceStoreContract.concurrentRedemptions)
    }
    @Test("A batch of verifications") func batch() async throws { try await Self.withStore(ServiceStoreContract.batch) }
    @Test("Lookups") func lookups() async throws { try await Self.withStore(ServiceStoreContract.lookups) }
    @Test("List floors only rise") func listFloors() async throws { try await Self.withStore(ServiceStoreContract.listFloors) }
    @Test("Statistics per local day") func statistics() async throws { try await Self.withStore(ServiceStoreContract.statistics) }

    @Test("Eight instances starting together on a new database migrate it once, and a restart migrates nothing")
    func concurrentMigrations() async throws {
        let text = try await TestPostgres.freshDatabase()
        let url = try PostgresDatabaseURL(text)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    try await PostgresServiceStore.withStore(url: url, logger: Self.quiet) { store in
                        _ = try await store.createAPIKey(name: "instance \(index)", scopes: [.verify], at: Int64(index))
                    }
                }
            }
            try await group.waitForAll()
        }
        let keys = try await PostgresServiceStore.withStore(url: url, logger: Self.quiet) { store in try await store.apiKeys() }
        #expect(keys.count == 8)
        #expect(try await TestPostgres.integer("SELECT COUNT(*) FROM zhucan_migration", in: text) == 4, "one row per migration")
    }

    @Test("On a database set to commit without waiting for the disk, the store's sessions still wait: it starts, and its redemption holds")
    func durableWhateverTheDatabaseSays() async throws {
        let text = try await TestPostgres.freshDatabase()
        let name = try #require(URLComponents(string: text)).path.dropFirst()
        try await TestPostgres.execute("ALTER DATABASE \(name) SET synchronous_commit = off", in: text)
        #expect(try await TestPostgres.integer("SELECT (current_setting('synchronous_commit') = 'off')::int", in: text) == 1,
                "a plain session of this database commits asynchronously")
        // The store refuses to start on sessions that commit asynchronously; it asks for
        // synchronous_commit = on as each connection starts, which overrides the database's.
        try await PostgresServiceStore.withStore(url: try PostgresDatabaseURL(text), logger: Self.quiet, ServiceStoreContract.redemption)
    }

    @Test("A database that does not exist, or a server that does not answer: a storage error that says so")
    func unreachable() async throws {
        let text = try await TestPostgres.freshDatabase()
        let missing = try PostgresDatabaseURL(text.replacingOccurrences(of: "/zt_", with: "/missing_"))
        await #expect {
            try await PostgresServiceStore.withStore(url: missing, logger: Self.quiet) { _ in }
        } throws: { error in
            (error as? RegistryError)?.code == .storage && "\(error)".contains("does not exist")
        }
        let components = try #require(URLComponents(string: text))
        let closed = try PostgresDatabaseURL("postgres://zhucan@127.0.0.1:1\(components.path)?sslmode=disable")
        await #expect {
            try await PostgresServiceStore.withStore(url: closed, logger: Self.quiet) { _ in }
        } throws: { error in
            (error as? RegistryError)?.code == .storage && "\(error)".contains("refused")
        }
    }
}

/// Reading `--database` URLs (no server needed).
@Suite("PostgreSQL database URLs")
struct PostgresDatabaseURLTests {
    @Test("Accepted forms; the password never shown")
    func accepted() throws {
        #expect(try PostgresDatabaseURL("postgres://zhucan@db.example:6543/service?sslmode=require").description
            == "postgres://zhucan@db.example:6543/service?sslmode=require")
        #expect(try PostgresDatabaseURL("postgresql://u:s%40cret@localhost/service").description == "postgresql://u:***@localhost/service")
        _ = try PostgresDatabaseURL("postgres://u@/service?host=/run/postgresql")
        #expect(PostgresDatabaseURL.isPostgres("POSTGRES://u@h/d"))
        #expect(!PostgresDatabaseURL.isPostgres("/var/lib/zhucan.db"))
    }

    // prefer and require had checked the certificate against the system's CAs, so a server with
    // Debian's self-signed certificate was reachable only in plain text (sslmode=disable).
    @Test("sslmode checks of the server's certificate what libpq checks: nothing under prefer and require, the chain under verify-ca, and the host too under verify-full")
    func tlsModes() throws {
        let folder = try TemporaryDirectory()
        let root = folder.url.appendingPathComponent("root.crt").path
        try Data("not read until a connection".utf8).write(to: URL(fileURLWithPath: root))
        let cases: [(String, CertificateVerification)] = [
            ("", .none), ("?sslmode=allow", .none), ("?sslmode=prefer", .none), ("?sslmode=require", .none),
            ("?sslmode=require&sslrootcert=\(root)", .noHostnameVerification), ("?sslmode=verify-ca", .noHostnameVerification),
            ("?sslmode=verify-full&sslrootcert=\(root)", .fullVerification), ("?sslmode=verify-full&sslrootcert=system", .fullVerification),
        ]
        for (query, verification) in cases {
            #expect(try PostgresDatabaseURL("postgres://u@db.internal/d" + query).tlsConfiguration.certificateVerification == verification, "\(query)")
        }
        // require without a CA is said to check nothing, so that an upgrade from when it checked is noticed.
        #expect(try PostgresDatabaseURL("postgres://u@db.internal/d?sslmode=require").encryptsWithoutChecking)
        #expect(try !PostgresDatabaseURL("postgres://u@db.internal/d?sslmode=require&sslrootcert=\(root)").encryptsWithoutChecking)
        #expect(throws: RegistryError.self) { try PostgresDatabaseURL("postgres://u@db.internal/d?sslmode=require&sslrootcert=system") }
    }

    @Test("An IPv6 host in brackets is connected to as an address, not looked up as a name")
    func ipv6Host() async throws {
        let url = try PostgresDatabaseURL("postgres://u@[::1]:1/d?sslmode=disable")
        await #expect {
            try await PostgresServiceStore.withStore(url: url, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })) { _ in }
        } throws: { error in
            !"\(error)".contains("DNS")
        }
    }

    @Test("Refused forms, each with its reason", arguments: [
        ("mysql://u@h/d", "must look like"),
        ("postgres://h/d", "no user"),
        ("postgres://u@h", "no database"),
        ("postgres://u@h/d/e", "no database"),
        ("postgres://u@/d", "no host"),
        ("postgres://u@h/d?sslmode=verify-everything", "sslmode"),
        ("postgres://u@h/d?sslmode=require&sslrootcert=/nonexistent/root.crt", "sslrootcert"),
        ("postgres://u@h/d?password=x", "unknown parameter"),
        ("postgres://u@h:0/d", "port"),
    ])
    func refused(text: String, reason: String) {
        #expect {
            try PostgresDatabaseURL(text)
        } throws: { error in
            (error as? RegistryError)?.code == .invalidInput && "\(error)".contains(reason)
        }
    }
}
