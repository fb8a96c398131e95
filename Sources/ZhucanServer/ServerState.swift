import Foundation
import Logging
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIssuer
import ZhucanRegistry

/// What every route shares: the configuration, the workspace and its registry, the service's
/// store (the registry itself, or PostgreSQL), the cached verifier lists, the metrics, and
/// the clock.
struct ServerState: Sendable {
    let configuration: ServerConfiguration
    let workspace: Workspace
    /// API keys, redemptions and events.
    let store: any ServiceStore
    /// Verification events, committed in groups.
    let events: VerificationEventWriter
    let lists: VerifierCache
    let metrics: ServiceMetrics
    /// Seconds since the epoch.
    let clock: @Sendable () -> Int64

    /// A verifier at `time` with the current lists.
    func verifier(at time: Int64, logger: Logger) -> CredentialVerifier {
        CredentialVerifier(
            verified: lists.current(logger: logger),
            configuration: EnvelopeVerifier.Configuration(validationTime: time, skew: configuration.skew)
        )
    }

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
