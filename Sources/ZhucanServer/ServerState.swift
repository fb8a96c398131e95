import Foundation
import Logging
import ZhucanHTTP
import ZhucanIssuer
import ZhucanRegistry
import ZhucanServiceStore

/// What every route of the issuer's service shares: the configuration, the workspace and its
/// registry, the service's store (the registry itself, or PostgreSQL), the cached verifier
/// lists, the verification desk, the metrics, and the clock.
struct ServerState: Sendable {
    let configuration: ServiceConfiguration
    let workspace: Workspace
    /// API keys, redemptions and events.
    let store: any ServiceStore
    let lists: VerifierCache
    /// What `POST /v1/verify` and `/v1/redeem` use.
    let desk: VerificationDesk
    let metrics: ServiceMetrics
    /// Seconds since the epoch.
    let clock: @Sendable () -> Int64

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
