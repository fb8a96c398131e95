import Foundation
import ZhucanEnvelope

/// How a Zhucan HTTP service (the issuer's, or a node) listens and what it allows, with
/// defaults that work out of the box.
package struct ServiceConfiguration: Sendable {
    /// The address to listen on.
    package var host: String
    /// The port to listen on (0: any free port).
    package var port: Int
    /// The largest request body accepted; larger ones get 413.
    package var maxBodyBytes: Int
    /// Requests per minute allowed to one API key; more get 429.
    package var rateLimitPerMinute: Int
    /// Tolerated clock difference in seconds, in the holder's favour.
    package var skew: Int64
    /// How often, at most, the issuer's service checks its registry for newer trust, status or
    /// catalogue publications; how often a node asks the issuer for them.
    package var listRefreshInterval: Duration
    /// How long clients may cache the public objects (trust list, status list, catalogue),
    /// seconds; `nil` for the workspace's status-list `ttl`.
    package var publicCacheSeconds: Int?
    /// How long an API key that authenticated is trusted without reading the store again
    /// (`APIKeyCache`): a revocation takes effect within it. Zero reads the store on every
    /// request.
    package var apiKeyCacheTTL: Duration
    /// How often the WAL of the workspace registry is checkpointed beside the service, instead
    /// of inside commits (`WALCheckpointer`).
    package var checkpointInterval: Duration
    /// How long a connection may send nothing the server can use before it is closed: a
    /// keep-alive connection between requests, a request whose headers are still incomplete,
    /// or a body that stopped arriving (slowloris).
    package var idleTimeout: Duration
    /// How long a request's whole body may take to arrive; slower ones get 408.
    package var bodyReadTimeout: Duration
    /// The most connections served at once; further ones wait in the listen backlog until one
    /// closes. `nil`: the soft limit of open files (`RLIMIT_NOFILE`) less 64 for the registry
    /// and logs, at least 16 and at most 4,096.
    package var maxConnections: Int?
    /// Where phones reach the service, for enrolment links and the `htu` of device proofs;
    /// `nil`: as each request addressed it (`Host`, and `X-Forwarded-Proto: https` behind a
    /// TLS-terminating proxy).
    package var publicOrigin: PublicOrigin?

    /// Makes a configuration.
    package init(
        host: String = "127.0.0.1", port: Int = 8080, maxBodyBytes: Int = 64 * 1024,
        rateLimitPerMinute: Int = 600, skew: Int64 = EnvelopeVerifier.Configuration.defaultSkew,
        listRefreshInterval: Duration = .seconds(1), publicCacheSeconds: Int? = nil, apiKeyCacheTTL: Duration = .seconds(1),
        checkpointInterval: Duration = .seconds(1), idleTimeout: Duration = .seconds(30), bodyReadTimeout: Duration = .seconds(30),
        maxConnections: Int? = nil, publicOrigin: PublicOrigin? = nil
    ) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
        self.rateLimitPerMinute = rateLimitPerMinute
        self.skew = skew
        self.listRefreshInterval = listRefreshInterval
        self.publicCacheSeconds = publicCacheSeconds
        self.apiKeyCacheTTL = apiKeyCacheTTL
        self.checkpointInterval = checkpointInterval
        self.idleTimeout = idleTimeout
        self.bodyReadTimeout = bodyReadTimeout
        self.maxConnections = maxConnections
        self.publicOrigin = publicOrigin
    }

    /// ``maxConnections``, or the default it stands for.
    package var effectiveMaxConnections: Int {
        if let maxConnections { return maxConnections }
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max else { return 4_096 }
        return Int(max(16, min(4_096, Int64(clamping: limit.rlim_cur) - 64)))
    }
}
