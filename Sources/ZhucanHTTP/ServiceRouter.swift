import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ZhucanServiceStore

/// The frame every Zhucan HTTP service shares — the issuer's and each node's: request
/// metrics, request ids with 405 answers, body limits, `GET /healthz` and `GET /metrics`,
/// `GET /v1/api-key` (any key: its id, name and scopes), and one group per API-key scope with
/// the per-key rate limit. A service adds its own
/// routes, then calls ``finish()``.
package struct ServiceRouter {
    package let router: Router<ServerRequestContext>
    package let metrics: ServiceMetrics
    private let routes = RouteTable()
    private let limiter: RateLimiter
    private let keys: APIKeyCache
    private let store: any ServiceStore

    /// The router with the shared middleware and public routes.
    package init(configuration: ServiceConfiguration, store: any ServiceStore, metrics: ServiceMetrics) {
        self.metrics = metrics
        self.store = store
        limiter = RateLimiter(limit: configuration.rateLimitPerMinute)
        keys = APIKeyCache(store: store, ttl: configuration.apiKeyCacheTTL)
        // HEAD wherever GET (RFC 9110 §9.1: a general-purpose server supports both): the GET
        // route answers, and the body is left out (Hummingbird's own option).
        router = Router(context: ServerRequestContext.self, options: [.autoGenerateHeadEndpoints])
        // Middleware applies to the routes added after it, so it all comes first; the table of
        // routes, for 405 answers, is filled once they are all added.
        router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
        router.add(middleware: RequestIDMiddleware(routes: routes))
        router.add(middleware: BodyLimitMiddleware(maxBytes: configuration.maxBodyBytes, timeout: configuration.bodyReadTimeout))
        router.get("/healthz") { _, _ in JSONResponse.make(HealthResponse(status: "ok")) }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: ServiceMetrics.contentType],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition())))
        }
        // The key presented, for any key: the window's page checks a key when the clerk signs
        // in, not at the first scan with a holder waiting (Docs/pages.md).
        requiring(nil).get("/v1/api-key") { _, context in
            guard let key = context.apiKey else { throw ServerError(.unauthorized, "an API key is required: Authorization: Bearer <key>") }
            return JSONResponse.make(APIKeyResponse(key))
        }
    }

    /// A group of routes that need an API key with `scope` (`nil`: any key), then pass the
    /// rate limit.
    package func requiring(_ scope: APIKey.Scope?) -> RouterGroup<ServerRequestContext> {
        router.group()
            .add(middleware: AuthMiddleware(scope: scope, keys: keys))
            .add(middleware: RateLimitMiddleware(limiter: limiter))
    }

    /// Adds `GET /readyz`: 503 `unavailable` while the store does not answer a read
    /// (`StoreProbe`, at most once a second), else the service's own answer for its lists,
    /// `lists` (200 when it is `ready`, else 503): what a load balancer's health check asks,
    /// where `/healthz` says only that the process answers.
    package func addReadiness(lists: @escaping @Sendable (Logger) -> ReadinessAnswer) {
        let probe = StoreProbe(store: store, maxAge: .seconds(1))
        router.get("/readyz") { _, context -> Response in
            guard await probe.answers(logger: context.logger) else {
                let answer = ReadinessAnswer(status: "unavailable", message: "the store does not answer: see the service's log")
                return JSONResponse.make(answer, status: .serviceUnavailable)
            }
            let answer = lists(context.logger)
            return JSONResponse.make(answer, status: answer.isReady ? .ok : .serviceUnavailable)
        }
    }

    /// Adds `POST /v1/verify` (scope verify) and `POST /v1/redeem` (scope redeem).
    package func addVerification(_ desk: VerificationDesk) {
        let verification = VerificationController(desk: desk)
        requiring(.verify).post("/v1/verify", use: verification.verify)
        requiring(.redeem).post("/v1/redeem", use: verification.redeem)
    }

    /// Records the routes for 405 answers; call once every route is added.
    package func finish() {
        routes.fill(router.routes.map { ($0.method, $0.path.description) })
    }

    /// The application over `router`: HTTP/1.1 with the idle timeout, at most the configured
    /// connections at once.
    package static func application(
        router: Router<ServerRequestContext>, configuration: ServiceConfiguration, logger: Logger
    ) -> Application<RouterResponder<ServerRequestContext>> {
        Application(
            router: router,
            server: .http1(configuration: HTTP1Channel.Configuration(idleTimeout: TimeAmount(configuration.idleTimeout))),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port), serverName: "zhucan",
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.effectiveMaxConnections, logger: logger)
            ),
            logger: logger
        )
    }
}
