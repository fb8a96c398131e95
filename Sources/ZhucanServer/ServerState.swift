import Foundation
import Logging
import ZhucanHTTP
import ZhucanIssuer
import ZhucanRegistry
import ZhucanServiceStore

/// What every route of the issuer's service shares: the configuration, the workspace and its
/// registry, the cached verifier lists, and the verification desk with the service's store
/// (the registry itself, or PostgreSQL), metrics and clock.
struct ServerState: Sendable {
    let configuration: ServiceConfiguration
    let workspace: Workspace
    let lists: VerifierCache
    /// What `POST /v1/verify` and `/v1/redeem` use.
    let desk: VerificationDesk

    /// API keys, redemptions and events.
    var store: any ServiceStore { desk.store }
    var metrics: ServiceMetrics { desk.metrics }
    /// Seconds since the epoch.
    var clock: @Sendable () -> Int64 { desk.clock }

    /// Runs a workspace or registry call, turning the workspace's refusals into answers: bad
    /// input 400, unknown certificate 404, a certificate that may get no code 409.
    func answering<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as IssuerError {
            switch error.code {
            case .invalidInput: throw ServerError(.badRequest, error.reason)
            case .notFound: throw ServerError(.notFound, error.reason)
            case .notAllowed: throw ServerError(.notAllowed, error.reason)
            default: throw error
            }
        }
    }
}
