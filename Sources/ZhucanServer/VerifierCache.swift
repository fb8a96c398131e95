import Foundation
import Logging
import ZhucanCredentials
import ZhucanIssuer
import ZhucanRegistry
import ZhucanServiceStore

/// The verifier's lists (trust anchor, trust list, status list, catalogues) held in memory with
/// their signatures checked (`VerifiedLists`), and reloaded only when the registry has a newer
/// publication — checked at most once per interval, by one request while the others go on
/// with the lists they have. A verification then costs one signature check: the code's.
///
/// `@unchecked Sendable`: every access to the mutable state holds `lock`.
final class VerifierCache: @unchecked Sendable {
    private let workspace: Workspace
    private let interval: Duration
    private let lock = NSLock()
    private var lists: VerifiedLists
    private var sequences: [Registry.PublicationKind: Int64]
    private var lastCheck: ContinuousClock.Instant
    private var checking = false

    /// Loads the lists.
    /// - Throws: `IssuerError` or `RegistryError` when the workspace's lists cannot be read.
    init(workspace: Workspace, interval: Duration) throws {
        self.workspace = workspace
        self.interval = interval
        sequences = try workspace.registry.latestSequences()
        lists = VerifiedLists(try workspace.verifierLists())
        lastCheck = .now
    }

    /// The current lists, after checking for newer publications if the interval has passed.
    func current(logger: Logger) -> VerifiedLists {
        let now = ContinuousClock.now
        lock.lock()
        let cached = lists, known = sequences
        let due = !checking && now - lastCheck >= interval
        if due {
            checking = true
            lastCheck = now
        }
        lock.unlock()
        guard due else { return cached }

        var result = cached
        do {
            let latest = try workspace.registry.latestSequences()
            if latest != known {
                let fresh = VerifiedLists(try workspace.verifierLists())
                lock.lock()
                lists = fresh
                sequences = latest
                lock.unlock()
                result = fresh
                logger.info("verifier lists reloaded", metadata: [
                    "lists.trust_list": .stringConvertible(latest[.trustList] ?? 0),
                    "lists.status_list": .stringConvertible(latest[.statusList] ?? 0),
                    "lists.catalogue": .stringConvertible(latest[.catalogue] ?? 0),
                ])
            }
        } catch {
            logger.warning("cannot reload the verifier lists; the cached ones stay in use", metadata: ["error.type": .string("\(type(of: error))")])
        }
        lock.lock()
        checking = false
        lock.unlock()
        return result
    }
}
