import Foundation
import Hummingbird
import Logging
import ZhucanServiceStore

/// `Authorization: Bearer zk_<id>_<secret>` with the route's scope (RFC 6750 §2.1): 401
/// without a key, with an unknown or wrong one, or a revoked one; 403 without the scope. A
/// route without a scope takes any valid key (`GET /v1/api-key`).
/// Keys come through `APIKeyCache`, so a revocation takes effect within its ttl.
package struct AuthMiddleware: RouterMiddleware {
    package typealias Context = ServerRequestContext

    /// The scope the routes behind this middleware need; `nil` for any key.
    package let scope: APIKey.Scope?
    /// Where keys are.
    package let keys: APIKeyCache

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // RFC 6750 §3: a 401 names the scheme in WWW-Authenticate.
        let challenge: HTTPFields = [.wwwAuthenticate: "Bearer realm=\"zhucan\""]
        guard let header = request.headers[.authorization] else {
            throw ServerError(.unauthorized, "an API key is required: Authorization: Bearer <key>", headers: challenge)
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw ServerError(.unauthorized, "the Authorization header must be: Bearer <key>", headers: challenge)
        }
        // `Bearer 1*SP token` (RFC 6750 §2.1): the spaces after the scheme are not the key's.
        var token = parts[1].drop { $0 == " " }
        while token.last?.isWhitespace == true { token.removeLast() }
        guard let key = try await keys.authenticate(token: String(token)) else {
            context.summary.add(["auth.refused": "unknown or wrong key"])
            throw ServerError(.unauthorized, "unknown or wrong API key", headers: challenge)
        }
        var context = context
        context.logger[metadataKey: "api_key.id"] = .string(key.id)
        context.summary.add(["api_key.id": .string(key.id)])
        guard !key.isRevoked else {
            context.summary.add(["auth.refused": "revoked key"])
            throw ServerError(.unauthorized, "API key \(key.id) is revoked", headers: challenge)
        }
        if let scope, !key.scopes.contains(scope) {
            throw ServerError(.forbidden, "API key \(key.id) lacks the scope \(scope.rawValue)")
        }
        context.apiKey = key
        return try await next(request, context)
    }
}
