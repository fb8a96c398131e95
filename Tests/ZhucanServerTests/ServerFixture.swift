import Foundation
import Hummingbird
import HummingbirdTesting
import HTTPTypes
import Logging
import Testing
import ZhucanHTTP
import ZhucanIdentifiers
import ZhucanIssuer
import ZhucanRegistry
import ZhucanServer
import ZhucanServiceStore
import ZhucanTesting

/// A demo workspace in a temporary folder: the public demo keys, one certificate (王小明,
/// physical level 3, card A12345678), optionally the Pinghu catalogue, and API keys.
final class ServerFixture: Sendable {
    let directory: TemporaryDirectory
    let workspace: Workspace
    /// The certificate's number.
    let certificateNumber: String
    /// The holder's social-security card.
    static let card = "A12345678"
    /// The holder's name, which must never appear in clear.
    static let name = "王小明"
    /// One key with every scope.
    let allScopes: String
    /// One key per scope.
    let tokens: [APIKey.Scope: String]

    /// Makes the workspace.
    init(catalogue: Bool = true) throws {
        directory = try TemporaryDirectory()
        let now = Self.now
        let folder = directory.url.appendingPathComponent("ws", isDirectory: true)
        workspace = try Workspace.create(
            at: folder, configuration: .demo, keys: .demo(keysDirectory: TestVectors.projectRoot.appendingPathComponent("keys")), now: now
        )
        let issued = try workspace.issue(IssueRequest(
            name: try PersonName(Self.name), citizenID: try CitizenIDNumber("360121197011210013"), category: .physical, level: .three,
            region: try RegionCode("330482"), socialSecurityCard: try SocialSecurityCardNumber(Self.card)
        ), now: now)
        certificateNumber = issued.certificateNumber
        if catalogue {
            // The shipped catalogue is valid for 2026; its end moved far out, so that these tests
            // do not start failing on 1 January.
            try workspace.publishCatalogue(
                try ShippedCatalogue.edited([ShippedCatalogue.timeless]), tests: try Data(contentsOf: ShippedCatalogue.testsFile()), now: now)
        }
        allScopes = try workspace.registry.createAPIKey(name: "all", scopes: Set(APIKey.Scope.allCases), at: now).token
        var tokens: [APIKey.Scope: String] = [:]
        for scope in APIKey.Scope.allCases {
            tokens[scope] = try workspace.registry.createAPIKey(name: scope.rawValue, scopes: [scope], at: now).token
        }
        self.tokens = tokens
    }

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    /// The token of the key with only `scope`.
    func token(_ scope: APIKey.Scope) -> String { tokens[scope] ?? "" }

    /// The service over this workspace; logs go nowhere unless `logger` is given.
    /// - Parameters:
    ///   - store: the service's store; `nil` for the workspace's registry, which holds `tokens`.
    ///   - apiKeyCacheTTL: as the service's; the default (one second) unless a test needs a
    ///     revocation to count at the next request.
    ///   - checkpointInterval: as the service's.
    ///   - publicOrigin: as `serve --public-url`.
    func application(
        rateLimit: Int = 600, maxBodyBytes: Int = 64 * 1024, port: Int = 0, store: (any ServiceStore)? = nil, logger: Logger? = nil,
        apiKeyCacheTTL: Duration = .seconds(1), checkpointInterval: Duration = .seconds(1),
        idleTimeout: Duration = .seconds(30), bodyReadTimeout: Duration = .seconds(30), maxConnections: Int? = nil,
        publicOrigin: PublicOrigin? = nil
    ) async throws -> some ApplicationProtocol {
        let configuration = ServiceConfiguration(
            host: "127.0.0.1", port: port, maxBodyBytes: maxBodyBytes, rateLimitPerMinute: rateLimit,
            apiKeyCacheTTL: apiKeyCacheTTL, checkpointInterval: checkpointInterval, idleTimeout: idleTimeout,
            bodyReadTimeout: bodyReadTimeout, maxConnections: maxConnections, publicOrigin: publicOrigin
        )
        return try await buildApplication(
            workspace: workspace.directory, configuration: configuration, store: store,
            logger: logger ?? Logger(label: "zhucan.test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
    }

    /// A fresh identity code.
    func identityCode(showCategory: Bool = false) throws -> String {
        try workspace.identityCode(certificateNumber: certificateNumber, seconds: nil, showCategory: showCategory, now: Self.now)
    }

    /// Publishes the shipped edition ended on 2026-06-30, as the only one when the fixture has
    /// no catalogue: no edition is in force today, and service codes are refused.
    func publishEndedCatalogue() throws {
        try workspace.publishCatalogue(
            try ShippedCatalogue.edited([(#""validUntil": "2026-12-31""#, #""validUntil": "2026-06-30""#)]),
            tests: try Data(contentsOf: ShippedCatalogue.testsFile()), now: Self.now)
    }

    /// A fresh service code.
    func serviceCode(_ service: String = "free-bus", oneTime: Bool = false) throws -> String {
        try workspace.serviceCode(certificateNumber: certificateNumber, service: service, seconds: nil, oneTime: oneTime, now: Self.now)
    }
}

extension TestClientProtocol {
    /// POSTs `body` as JSON with a bearer key.
    func post(_ uri: String, token: String?, body: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/json"
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await executeRequest(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    /// POSTs a JSON object.
    func post(_ uri: String, token: String?, json: [String: Any]) async throws -> TestResponse {
        let data = try JSONSerialization.data(withJSONObject: json)
        return try await post(uri, token: token, body: String(decoding: data, as: UTF8.self))
    }

    /// GETs with an optional bearer key.
    func get(_ uri: String, token: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await executeRequest(uri: uri, method: .get, headers: headers, body: nil)
    }
}

extension TestResponse {
    /// The body as a JSON object.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        return try #require(object as? [String: Any], "body is not a JSON object: \(String(buffer: body))")
    }

    /// The body as text.
    var text: String { String(buffer: body) }
}
