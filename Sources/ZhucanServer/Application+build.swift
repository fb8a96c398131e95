import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ZhucanIssuer
import ZhucanRegistry

/// Builds the verification service over the workspace in `configuration` (tests call it too).
///
/// Routes (JSON unless noted; errors are `{"error": CODE, "message": …}`; every route is
/// described in `Docs/openapi.json`, which a test holds to this list):
///
/// | route | scope |
/// | --- | --- |
/// | `GET /healthz`, `GET /metrics` (Prometheus text) | public |
/// | `GET /v1/trust-list`, `/v1/status-lists/{id}`, `/v1/catalogue`, `/v1/catalogue/{sequence}` (signed objects) | public |
/// | `POST /v1/verify` | verify |
/// | `POST /v1/redeem` | redeem |
/// | `POST /v1/codes/identity`, `/v1/codes/service` | issue |
/// | `GET /v1/holders/by-ssc/{cardNumber}?purpose=…` | lookup |
/// | `GET /v1/stats` | audit |
/// | `GET /v1/log/checkpoint` (signed note) | public |
/// | `GET /v1/log/entries`, `/v1/log/proof/inclusion`, `/v1/log/proof/consistency` | audit |
///
/// - Parameters:
///   - configuration: where to listen, which workspace, limits.
///   - store: where API keys, redemptions and events are kept; `nil` for the workspace's
///     registry.
///   - logger: the service's logger; every request adds `request.id` to it.
/// - Throws: `IssuerError` when the folder is not a workspace or its lists cannot be read.
public func buildApplication(
    configuration: ServerConfiguration, store: (any ServiceStore)? = nil, logger: Logger
) async throws -> some ApplicationProtocol {
    let (router, workspace) = try buildRouter(configuration: configuration, store: store)
    var application = Application(
        router: router,
        server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: TimeAmount(configuration.idleTimeout))),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: "zhucan",
            availableConnectionsDelegate: MaximumAvailableConnections(configuration.effectiveMaxConnections, logger: logger)
        ),
        logger: logger
    )
    // On SQLite the service commits an event per request; on PostgreSQL it writes nothing here.
    if let registry = (store ?? workspace.registry) as? Registry {
        application.addServices(CheckpointService(registry: registry, interval: configuration.checkpointInterval, logger: logger))
    }
    return application
}

/// The routes the service registers, as `(method, path)` with `{name}` for each path
/// parameter — the form OpenAPI uses — so that a test can hold `Docs/openapi.json` to them.
/// - Throws: as `buildApplication`.
package func registeredRoutes(configuration: ServerConfiguration) throws -> [(method: String, path: String)] {
    try buildRouter(configuration: configuration).router.routes.map { ($0.method.rawValue, $0.path.description) }
}

/// The router with every middleware and route, and the workspace it serves.
func buildRouter(
    configuration: ServerConfiguration, store: (any ServiceStore)? = nil
) throws -> (router: Router<ServerRequestContext>, workspace: Workspace) {
    let workspace = try Workspace(opening: configuration.workspaceDirectory)
    let metrics = ServiceMetrics()
    let store = store ?? workspace.registry
    let state = ServerState(
        configuration: configuration, workspace: workspace, store: store, events: VerificationEventWriter(store: store),
        lists: try VerifierCache(workspace: workspace, interval: configuration.listRefreshInterval),
        metrics: metrics,
        clock: { Int64(Date().timeIntervalSince1970) }
    )
    let router = Router(context: ServerRequestContext.self)
    // Middleware applies to the routes added after it, so it all comes first; the table of
    // routes, for 405 answers, is filled once they are all added.
    let routes = RouteTable()
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    router.add(middleware: RequestIDMiddleware(routes: routes))
    router.add(middleware: BodyLimitMiddleware(maxBytes: configuration.maxBodyBytes, timeout: configuration.bodyReadTimeout))

    router.get("/healthz") { _, _ in JSONResponse.make(HealthResponse(status: "ok")) }
    router.get("/metrics") { _, _ in
        Response(status: .ok, headers: [.contentType: ServiceMetrics.contentType],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
    }

    let publications = PublicationController(state: state)
    router.get("/v1/trust-list", use: publications.trustList)
    router.get("/v1/status-lists/{id}", use: publications.statusList)
    router.get("/v1/catalogue", use: publications.catalogue)
    router.get("/v1/catalogue/{sequence}", use: publications.catalogueVersion)

    // One group per scope: authentication, then the per-key rate limit shared by all scopes.
    let limiter = RateLimiter(limit: configuration.rateLimitPerMinute)
    let keys = APIKeyCache(store: store, ttl: configuration.apiKeyCacheTTL)
    func requiring(_ scope: APIKey.Scope) -> RouterGroup<ServerRequestContext> {
        router.group()
            .add(middleware: AuthMiddleware(scope: scope, keys: keys))
            .add(middleware: RateLimitMiddleware(limiter: limiter))
    }
    let verification = VerificationController(state: state)
    requiring(.verify).post("/v1/verify", use: verification.verify)
    requiring(.redeem).post("/v1/redeem", use: verification.redeem)
    let codes = CodeController(state: state)
    requiring(.issue)
        .post("/v1/codes/identity", use: codes.identity)
        .post("/v1/codes/service", use: codes.service)
    requiring(.lookup).get("/v1/holders/by-ssc/{cardNumber}", use: HolderController(state: state).bySocialSecurityCard)
    requiring(.audit).get("/v1/stats", use: StatisticsController(state: state).statistics)
    let log = LogController(state: state)
    router.get("/v1/log/checkpoint", use: log.checkpoint)
    requiring(.audit)
        .get("/v1/log/entries", use: log.entries)
        .get("/v1/log/proof/inclusion", use: log.inclusionProof)
        .get("/v1/log/proof/consistency", use: log.consistencyProof)
    routes.fill(router.routes.map { ($0.method, $0.path.description) })
    return (router, workspace)
}

/// Builds the service and runs it until SIGTERM or SIGINT, then shuts down gracefully:
/// the listener closes and requests in flight finish (swift-service-lifecycle).
/// - Parameter store: as `buildApplication`.
public func runApplication(configuration: ServerConfiguration, store: (any ServiceStore)? = nil, logger: Logger) async throws {
    try await buildApplication(configuration: configuration, store: store, logger: logger).runService()
}
