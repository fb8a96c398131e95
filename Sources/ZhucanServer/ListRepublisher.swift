import Foundation
import Logging
import ServiceLifecycle
import ZhucanIssuer

/// Signs the trust and status lists again once half their validity has passed
/// (`Workspace.republishExpiringLists`), checking every tenth of the status list's validity
/// (at least every second, at most every minute). Verifiers, and above all the nodes that
/// fetch the lists, then never hold an expired list while the issuer runs.
struct ListRepublisher: Service {
    let workspace: Workspace
    let logger: Logger

    func run() async throws {
        let validity = max(1, workspace.configuration.statusListValiditySeconds)
        let interval = Duration.milliseconds(min(60_000, max(1_000, validity * 100)))
        try? await cancelWhenGracefulShutdown {
            var failing = false
            while true {
                do {
                    let kinds = try workspace.republishExpiringLists(now: Int64(Date().timeIntervalSince1970))
                    for kind in kinds { logger.info("list republished before expiry", metadata: ["list": .string(kind.rawValue)]) }
                    if failing { logger.notice("lists are republished again") }
                    failing = false
                } catch {
                    if !failing { logger.error("cannot republish the lists; verifiers will answer status_unknown once they expire", metadata: ["error": "\(error)"]) }
                    failing = true
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
