import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ZhucanHTTP
import ZhucanIssuer
import ZhucanRegistry
import ZhucanServiceStore

/// Builds the issuer's service over the workspace at `workspace` (tests call it too).
///
/// Routes (JSON unless noted; errors are `{"error": CODE, "message": …}`; every route is
/// described in `Docs/openapi.json`, which a test holds to this list):
///
/// | route | scope |
/// | --- | --- |
/// | `GET /healthz`, `GET /readyz`, `GET /metrics` (Prometheus text) | public |
/// | `GET /v1/api-key` (the key presented) | any |
/// | `GET /holder`, `GET /window`, `GET /assets/{file}` (the people's pages) | public |
/// | `GET /v1/trust-list`, `/v1/status-lists/{id}`, `/v1/catalogue`, `/v1/catalogue/{sequence}` (signed objects) | public |
/// | `POST /v1/verify` | verify |
/// | `POST /v1/redeem` | redeem |
/// | `POST /v1/codes/identity`, `/v1/codes/service`, `/v1/holders/enrollments` | issue |
/// | `POST /v1/holder/device`, `GET /v1/holder/state`, `POST /v1/holder/codes/identity`, `/v1/holder/codes/service` | DPoP proof of an enrolled device |
/// | `GET /v1/holders/by-ssc/{cardNumber}?purpose=…` | lookup |
/// | `GET /v1/stats` | audit |
/// | `GET /v1/log/checkpoint` (signed note), `/v1/log/proof/consistency` (hashes only), `/v1/log/proof/publication` (the served list's entry) | public |
/// | `GET /v1/log/entries`, `/v1/log/proof/inclusion` | audit |
///
/// Beside the server run the WAL checkpointer (SQLite) and the republisher that signs the
/// trust and status lists again before they expire, so that nodes never hold a stale list.
///
/// - Parameters:
///   - workspace: the issuer's workspace folder.
///   - configuration: where to listen, limits.
///   - store: where API keys, redemptions and events are kept; `nil` for the workspace's
///     registry.
///   - logger: the service's logger; every request adds `request.id` to it.
/// - Throws: `IssuerError` when the folder is not a workspace or its lists cannot be read.
package func buildApplication(
    workspace directory: URL, configuration: ServiceConfiguration, store: (any ServiceStore)? = nil, logger: Logger
) async throws -> some ApplicationProtocol {
    let (router, workspace) = try buildRouter(workspace: directory, configuration: configuration, store: store)
    var application = ServiceRouter.application(router: router, configuration: configuration, logger: logger)
    // On SQLite the service commits an event per request; on PostgreSQL it writes nothing here.
    if let registry = (store ?? workspace.registry) as? Registry {
        application.addServices(CheckpointService(registry: registry, interval: configuration.checkpointInterval, logger: logger))
    }
    application.addServices(ListRepublisher(workspace: workspace, logger: logger))
    return application
}

/// The routes the service registers, as `(method, path)` with `{name}` for each path
/// parameter — the form OpenAPI uses — so that a test can hold `Docs/openapi.json` to them.
/// - Throws: as `buildApplication`.
package func registeredRoutes(workspace: URL, configuration: ServiceConfiguration) throws -> [(method: String, path: String)] {
    try buildRouter(workspace: workspace, configuration: configuration).router.routes.map { ($0.method.rawValue, $0.path.description) }
}

/// The router with every middleware and route, and the workspace it serves.
func buildRouter(
    workspace directory: URL, configuration: ServiceConfiguration, store: (any ServiceStore)? = nil
) throws -> (router: Router<ServerRequestContext>, workspace: Workspace) {
    let workspace = try Workspace(opening: directory)
    let metrics = ServiceMetrics()
    let store = store ?? workspace.registry
    let lists = try VerifierCache(workspace: workspace, interval: configuration.listRefreshInterval)
    let clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    let registry = workspace.registry
    IssuerListMetrics(metrics: metrics, registry: registry, clock: clock).register()
    let desk = VerificationDesk(
        lists: { lists.current(logger: $0) }, store: store, metrics: metrics, skew: configuration.skew, clock: clock,
        logIndex: { try registry.logIndex(ofIssued: $0, certificate: $1) }
    )
    let state = ServerState(configuration: configuration, workspace: workspace, lists: lists, desk: desk)
    let service = ServiceRouter(configuration: configuration, store: store, metrics: metrics)
    let router = service.router

    let publications = PublicationController(state: state)
    router.get("/v1/trust-list", use: publications.trustList)
    router.get("/v1/status-lists/{id}", use: publications.statusList)
    router.get("/v1/catalogue", use: publications.catalogue)
    router.get("/v1/catalogue/{sequence}", use: publications.catalogueVersion)

    service.addReadiness { IssuerReadiness(registry: registry, clock: clock).answer(logger: $0) }
    service.addVerification(desk)
    let codes = CodeController(state: state)
    service.requiring(.issue)
        .post("/v1/codes/identity", use: codes.identity)
        .post("/v1/codes/service", use: codes.service)
    // The holder's page: enrolment at the window (issue scope), then requests proved by the
    // device's key (DPoP, RFC 9449) instead of an API key.
    let holders = HolderDeviceController(state: state)
    service.requiring(.issue).post("/v1/holders/enrollments", use: holders.enroll)
    router.post("/v1/holder/device", use: holders.register)
    router.get("/v1/holder/state", use: holders.holderState)
    router.post("/v1/holder/codes/identity", use: holders.identityCode)
    router.post("/v1/holder/codes/service", use: holders.serviceCode)
    let pages = PageController()
    router.get("/holder", use: pages.holder)
    router.get("/window", use: pages.window)
    router.get("/assets/{file}", use: pages.asset)
    service.requiring(.lookup).get("/v1/holders/by-ssc/{cardNumber}", use: HolderController(state: state).bySocialSecurityCard)
    service.requiring(.audit).get("/v1/stats", use: StatisticsController(state: state).statistics)
    let log = LogController(state: state)
    router.get("/v1/log/checkpoint", use: log.checkpoint)
    // Public: a consistency proof is hashes of a log whose checkpoints are public, and every
    // node asks for one on each refresh (RFC 9162 §2.1.4).
    router.get("/v1/log/proof/consistency", use: log.consistencyProof)
    // Public: the entry of the list served, and its path; nodes pinning the log key ask for
    // it before they take a list (`PublicationProof`).
    router.get("/v1/log/proof/publication", use: log.publicationProof)
    service.requiring(.audit)
        .get("/v1/log/entries", use: log.entries)
        .get("/v1/log/proof/inclusion", use: log.inclusionProof)
    service.finish()
    return (router, workspace)
}

/// Builds the service and runs it until SIGTERM or SIGINT, then shuts down gracefully:
/// the listener closes and requests in flight finish (swift-service-lifecycle).
/// - Parameter store: as `buildApplication`.
package func runApplication(
    workspace: URL, configuration: ServiceConfiguration, store: (any ServiceStore)? = nil, logger: Logger
) async throws {
    try await buildApplication(workspace: workspace, configuration: configuration, store: store, logger: logger).runService()
}
