import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL server `make test` starts for the tests (`Scripts/with-postgres.sh`), named
/// by `ZHUCAN_TEST_POSTGRES_URL`; every test gets a new database of its own on it.
///
/// Without the variable, PostgreSQL suites are skipped with a loud warning; when `CI` is set
/// they run anyway and fail, so CI cannot pass without a real server.
package enum TestPostgres {
    /// The server's URL (its database `zhucan`).
    package static let serverURL: String? = ProcessInfo.processInfo.environment["ZHUCAN_TEST_POSTGRES_URL"]
        .flatMap { $0.isEmpty ? nil : $0 }

    /// Use as `@Suite(.enabled(if: TestPostgres.shouldRun))`.
    package static let shouldRun: Bool = {
        if serverURL != nil || TestVectors.isRequired { return true }
        FileHandle.standardError.write(Data("""
            ********************************************************************
            WARNING: ZHUCAN_TEST_POSTGRES_URL is not set: PostgreSQL suites are
            SKIPPED. Run the tests with make test, which starts a server, or
            through Scripts/with-postgres.sh. (With CI set, they fail instead.)
            ********************************************************************\n
            """.utf8))
        return false
    }()

    /// A new, empty database on the server, and its URL.
    package static func freshDatabase() async throws -> String {
        guard let serverURL, var components = URLComponents(string: serverURL) else {
            throw TestPostgresError(message: "no PostgreSQL server for the tests: ZHUCAN_TEST_POSTGRES_URL is not set (make test sets it)")
        }
        let name = "zt_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await withConnection(to: serverURL) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: logger)
        }
        components.path = "/\(name)"
        return components.string ?? serverURL
    }

    /// The first column of the first row of `sql`, an integer, from the database at `url`.
    package static func integer(_ sql: String, in url: String) async throws -> Int {
        try await withConnection(to: url) { connection in
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(Int64.self) {
                return Int(value)
            }
            throw TestPostgresError(message: "no row from \(sql)")
        }
    }

    /// Runs `sql`, a statement that returns no rows, on the database at `url`.
    package static func execute(_ sql: String, in url: String) async throws {
        try await withConnection(to: url) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
        }
    }

    /// Runs `body` while another session holds `table` of the database at `url` locked
    /// (ACCESS EXCLUSIVE): what a database that has stopped answering looks like to a query.
    package static func whileLocked<T>(_ table: String, in url: String, _ body: () async throws -> T) async throws -> T {
        try await withConnection(to: url) { connection in
            try await connection.query("BEGIN", logger: logger)
            try await connection.query(PostgresQuery(unsafeSQL: "LOCK TABLE \(table) IN ACCESS EXCLUSIVE MODE"), logger: logger)
            do {
                let value = try await body()
                try await connection.query("ROLLBACK", logger: logger)
                return value
            } catch {
                try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// Runs `body` with one plain-text connection to `url` (the test server's form:
    /// `postgres://USER@HOST:PORT/DATABASE`, trust authentication).
    @discardableResult
    static func withConnection<T>(to url: String, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        guard let components = URLComponents(string: url), let host = components.host, let user = components.user else {
            throw TestPostgresError(message: "cannot read the test database URL \(url)")
        }
        let configuration = PostgresConnection.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: String(components.path.dropFirst()), tls: .disable
        )
        let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
        do {
            let value = try await body(connection)
            try await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    private static let logger = Logger(label: "zhucan.test.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
}

/// A test database could not be made or read.
package struct TestPostgresError: Error, CustomStringConvertible {
    package let message: String
    package var description: String { message }
}
