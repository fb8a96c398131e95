import Foundation
import NIOSSL
import PostgresNIO
import ZhucanServiceStore

/// A PostgreSQL connection URL (libpq's form, PostgreSQL documentation §34.1.1.2), as
/// `zhucan serve --database` takes it:
///
///     postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE][&sslrootcert=FILE]
///     postgres://USER@/DATABASE?host=/run/postgresql        (a Unix-domain socket folder)
///
/// `postgresql://` is accepted too. User and password may be percent-encoded; an IPv6 host
/// is written in brackets. `sslmode` means what it means to libpq (PostgreSQL documentation
/// §34.19.3, table 34.1):
///
/// - `disable`: plain text;
/// - `allow`, `prefer` (the default): TLS when the server offers it, else plain text; the
///   server's certificate is not checked;
/// - `require`: TLS, the certificate not checked, unless `sslrootcert` is given, when it is
///   checked as with `verify-ca`;
/// - `verify-ca`: TLS, the certificate signed by a CA of `sslrootcert` (default: the
///   system's);
/// - `verify-full`: as `verify-ca`, and the certificate names the host.
package struct PostgresDatabaseURL: Sendable, CustomStringConvertible {
    /// Where the server listens.
    enum Address: Sendable {
        case tcp(host: String, port: Int)
        case socket(path: String)
    }

    /// How TLS is used on a TCP connection (libpq's `sslmode`).
    enum TLSMode: String, Sendable {
        case disable, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    let address: Address
    let tlsMode: TLSMode
    /// The CA certificates (PEM) a server's certificate must chain to (libpq's `sslrootcert`).
    let rootCertificates: String?
    let user: String
    let password: String?
    let database: String
    /// The URL with its password replaced by `***`, for logs and messages.
    package let description: String

    /// Parses `text`.
    /// - Throws: `RegistryError.invalidInput` naming what is wrong.
    package init(_ text: String) throws {
        guard let components = URLComponents(string: text), let scheme = components.scheme,
              ["postgres", "postgresql"].contains(scheme.lowercased())
        else {
            throw RegistryError(.invalidInput, "the database URL must look like postgres://USER@HOST:PORT/DATABASE")
        }
        guard let user = components.percentEncodedUser.flatMap({ $0.removingPercentEncoding }), !user.isEmpty else {
            throw RegistryError(.invalidInput, "the database URL names no user (postgres://USER@HOST/DATABASE)")
        }
        self.user = user
        password = components.percentEncodedPassword.flatMap { $0.removingPercentEncoding }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        guard !database.isEmpty, !database.contains("/") else {
            throw RegistryError(.invalidInput, "the database URL names no database (postgres://USER@HOST/DATABASE)")
        }
        self.database = database
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] { query[item.name] = item.value ?? "" }
        for name in query.keys where !["sslmode", "sslrootcert", "host"].contains(name) {
            throw RegistryError(.invalidInput, "the database URL has an unknown parameter \(name) (known: sslmode, sslrootcert, host)")
        }
        let port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw RegistryError(.invalidInput, "the database URL's port \(port) is not 1–65535") }
        if let socketFolder = query["host"], socketFolder.hasPrefix("/") {
            address = .socket(path: "\(socketFolder)/.s.PGSQL.\(port)")
        } else {
            guard var host = components.host, !host.isEmpty else {
                throw RegistryError(.invalidInput, "the database URL names no host (postgres://USER@HOST/DATABASE)")
            }
            // An IPv6 address is bracketed in a URL (RFC 3986 §3.2.2), not in a socket address.
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            address = .tcp(host: host, port: port)
        }
        let mode = query["sslmode"] ?? "prefer"
        guard let tlsMode = TLSMode(rawValue: mode == "allow" ? "prefer" : mode) else {
            throw RegistryError(.invalidInput, "the database URL's sslmode \(mode) is not one of disable, allow, prefer, require, verify-ca, verify-full")
        }
        self.tlsMode = tlsMode
        // `system`: the system's CAs, with the host checked (libpq 16).
        rootCertificates = query["sslrootcert"].flatMap { $0 == "system" ? nil : $0 }
        if query["sslrootcert"] == "system", tlsMode != .verifyFull {
            throw RegistryError(.invalidInput, "the database URL's sslrootcert=system needs sslmode=verify-full")
        }
        if let rootCertificates, !FileManager.default.isReadableFile(atPath: rootCertificates) {
            throw RegistryError(.invalidInput, "the database URL's sslrootcert \(rootCertificates) is not a readable file")
        }
        var shown = components
        if shown.password != nil { shown.password = "***" }
        description = shown.string ?? "postgres://…"
    }

    /// Session settings sent when each connection starts. They take precedence over
    /// `ALTER ROLE` and `ALTER DATABASE … SET` (PostgreSQL §20.1.4): a committed event is on
    /// disk before its answer is sent, whatever the role or database was set to.
    static let startupParameters = [("synchronous_commit", "on")]

    /// The configuration of the store's connection pool; with `statementTimeout`, PostgreSQL
    /// aborts any statement that runs longer (`statement_timeout`, lock waits included).
    func clientConfiguration(statementTimeout: Duration?) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch address {
        case .socket(let path):
            configuration = PostgresClient.Configuration(unixSocketPath: path, username: user, password: password, database: database)
        case .tcp(let host, let port):
            let tls: PostgresClient.Configuration.TLS = switch tlsMode {
            case .disable: .disable
            case .prefer: .prefer(tlsConfiguration)
            case .require, .verifyCA, .verifyFull: .require(tlsConfiguration)
            }
            configuration = PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.additionalStartupParameters = Self.startupParameters
        if let statementTimeout {
            let milliseconds = statementTimeout.components.seconds * 1_000 + statementTimeout.components.attoseconds / 1_000_000_000_000_000
            configuration.options.additionalStartupParameters.append(("statement_timeout", String(milliseconds)))
        }
        return configuration
    }

    /// The configuration of one connection, for the migrations before the pool starts: a
    /// single connection reports why it cannot connect, where a pool only says it could not.
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch address {
        case .socket(let path):
            configuration = PostgresConnection.Configuration(unixSocketPath: path, username: user, password: password, database: database)
        case .tcp(let host, let port):
            let tls: PostgresConnection.Configuration.TLS = switch tlsMode {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration))
            case .require, .verifyCA, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration))
            }
            configuration = PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.additionalStartupParameters = Self.startupParameters
        return configuration
    }

    /// The TLS client settings of ``tlsMode``: what libpq checks of the server's certificate
    /// in that mode, and nothing more, so that a server with a self-signed certificate (Debian's
    /// default) is reached encrypted under `prefer` and `require`, as with `psql`.
    package var tlsConfiguration: TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        let checksChain = tlsMode == .verifyCA || tlsMode == .verifyFull || (tlsMode == .require && rootCertificates != nil)
        configuration.certificateVerification = !checksChain ? .none : tlsMode == .verifyFull ? .fullVerification : .noHostnameVerification
        if let rootCertificates { configuration.trustRoots = .file(rootCertificates) }
        return configuration
    }

    /// Whether TLS is required and the server's certificate not checked: `sslmode=require`
    /// without `sslrootcert`, which encrypts but lets an interceptor in, as with libpq.
    package var encryptsWithoutChecking: Bool {
        tlsMode == .require && rootCertificates == nil
    }

    /// Whether `text` is meant as a PostgreSQL URL (and not, say, a file path).
    package static func isPostgres(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://")
    }
}
