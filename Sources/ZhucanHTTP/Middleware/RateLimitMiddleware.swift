import Hummingbird

/// Per-key rate limit after authentication: 429 with `Retry-After` (RFC 9110 §10.2.3, in
/// seconds) once a key has used its requests for the window.
package struct RateLimitMiddleware: RouterMiddleware {
    package typealias Context = ServerRequestContext

    /// The shared counter.
    package let limiter: RateLimiter

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = context.apiKey else { return try await next(request, context) }
        if case .limited(let seconds) = limiter.admit(key.id) {
            context.summary.add(["rate_limited": "true"])
            throw ServerError(.rateLimited, "API key \(key.id) made more than \(limiter.limit) requests this minute",
                              headers: [.retryAfter: String(seconds)])
        }
        return try await next(request, context)
    }
}
