import Foundation
import Hummingbird
import Logging
import ZhucanEnvelope
import ZhucanHTTP
import ZhucanServiceStore

/// Builds a verification node: `POST /v1/verify` and `/v1/redeem` with the same API and
/// answers as the issuer's service, `GET /healthz`, `GET /readyz` (503 until the trust list
/// and every status list are loaded, again once one of them has expired, and while the store
/// does not answer; its message says what last kept a list from being fetched),
/// `GET /v1/log/checkpoint` (the checkpoint it trusts) and `GET /metrics` (with the lists'
/// ages), beside the
/// `ListRefresher` that keeps the lists current.
///
/// It reads the cached lists first, so that a node restarted while the issuer is down serves
/// at once; it never reads a private key or the issuer's registry.
/// - Parameters:
///   - configuration: whom to trust, where to fetch and cache, how to listen.
///   - store: where API keys, redemptions, events and the lists' floors are kept (the node's
///     SQLite file, or PostgreSQL shared by many nodes).
///   - logger: the node's logger.
/// - Throws: when the state folder cannot be made.
package func buildNode(
    configuration: NodeConfiguration, store: any ServiceStore, logger: Logger
) async throws -> (application: some ApplicationProtocol, refresher: ListRefresher) {
    let metrics = ServiceMetrics()
    let nodeMetrics = NodeMetrics(service: metrics)
    let lists = NodeLists(trustAnchors: configuration.trustAnchors, skew: configuration.server.skew)
    let clock: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }
    let refresher = ListRefresher(
        configuration: configuration, lists: lists, cache: try ListCache(stateDirectory: configuration.stateDirectory), store: store,
        metrics: nodeMetrics, logger: logger, clock: clock
    )
    await refresher.loadCache()

    let service = ServiceRouter(configuration: configuration.server, store: store, metrics: metrics)
    let statusListIDs = configuration.statusListIDs
    service.addReadiness { _ in
        let readiness = lists.readiness(statusListIDs: statusListIDs, now: clock())
        let problems = refresher.problemDescriptions()
        let because = problems.isEmpty ? "" : "; " + problems.joined(separator: "; ")
        return switch readiness {
        case .ready: ReadinessAnswer(status: "ready", message: problems.isEmpty ? nil : "serving on the lists held" + because)
        case .loading: ReadinessAnswer(status: "loading", message: "the trust list and status lists are not loaded yet" + because)
        case .expired(let list, let at):
            ReadinessAnswer(status: "expired", message: "\(list) expired at \(Timestamp.iso(at)); every answer would be status_unknown" + because)
        case .unusable(let list, let reason):
            ReadinessAnswer(status: "unusable", message: "\(list) held cannot be used: \(reason); every answer would be status_unknown" + because)
        }
    }
    // Public, as at the issuer: the checkpoint the node took its lists under, for auditors to
    // hold the audited log against (`zhucan audit log --trusted-checkpoint <node URL>`).
    service.router.get("/v1/log/checkpoint") { _, _ -> Response in
        guard let note = refresher.trustedCheckpointNote else {
            throw ServerError(.notFound, "this node holds no log checkpoint yet")
        }
        return Response(
            status: .ok, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: note))
        )
    }
    service.addVerification(VerificationDesk(
        lists: { _ in lists.current }, store: store, metrics: metrics, skew: configuration.server.skew, clock: clock,
        keyMissed: { refresher.refreshSoon() }
    ))
    service.finish()
    var application = ServiceRouter.application(router: service.router, configuration: configuration.server, logger: logger)
    application.addServices(refresher)
    return (application, refresher)
}

/// Builds the node and runs it until SIGTERM or SIGINT.
package func runNode(configuration: NodeConfiguration, store: any ServiceStore, logger: Logger) async throws {
    try await buildNode(configuration: configuration, store: store, logger: logger).application.runService()
}
