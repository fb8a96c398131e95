import Foundation
import ZhucanRegistry

extension Workspace {
    /// What one pass of ``republishExpiringLists(now:)`` came to.
    package struct Republication: Sendable {
        /// The lists signed again.
        package var republished: [Registry.PublicationKind] = []
        /// The lists that were due and could not be signed again, with the reason.
        package var failures: [(kind: Registry.PublicationKind, error: IssuerError)] = []
        /// Set when the trust list is due while the root key is offline, as Docs/operations.md
        /// advises after set-up: when the trust list in use expires.
        package var trustListAwaitingRootKey: Int64?
    }

    /// Republishes the lists that have run through half their validity: a verifier — a node
    /// above all — must never hold a list that expires while nothing changed. The status list
    /// lives `statusListValiditySeconds`, the trust list `trustListValidityDays`; each is
    /// signed again, with the same content, once half of that has passed.
    ///
    /// Each list is republished on its own, so that one that cannot be signed never holds
    /// back the other. The trust list needs the root key: while its file is not in the
    /// workspace (kept offline), the trust list is left as it is and the pass says so.
    ///
    /// Skips its turn while an issuance runs (the issuance publishes the status list itself).
    /// - Throws: `IssuerError` when the issuance lock cannot be taken for another reason than
    ///   another process holding it.
    @discardableResult
    package func republishExpiringLists(now: Int64) throws -> Republication {
        let lock: IssuanceLock
        do {
            lock = try IssuanceLock(workspace: directory, wait: .zero, holder: "zhucan serve (republishing lists)")
        } catch let error as IssuerError where error.code == .busy {
            return Republication()
        }
        defer { withExtendedLifetime(lock) {} }
        var pass = Republication()
        for kind in [Registry.PublicationKind.trustList, .statusList] {
            do {
                guard let latest = try Self.wrap({ try registry.latestPublication(kind) }),
                    now >= latest.issuedAt + (latest.expiresAt - latest.issuedAt) / 2
                else { continue }
                if kind == .trustList {
                    guard try !rootKeyIsOffline() else {
                        pass.trustListAwaitingRootKey = latest.expiresAt
                        continue
                    }
                    try publishTrustList(holding: lock, now: now)
                } else {
                    try publishStatusList(holding: lock, now: now)
                }
                pass.republished.append(kind)
            } catch {
                pass.failures.append((kind: kind, error: Self.issuerError(error)))
            }
        }
        return pass
    }

    /// Whether the active root key is recorded with a file that is not there: moved offline.
    /// A file that is there but cannot be read is a failure to report, not this.
    private func rootKeyIsOffline() throws -> Bool {
        let keys = try Self.wrap { try registry.keys(role: .root) }
        guard let file = keys.last(where: { $0.state == "active" })?.privateKeyFile else { return false }
        return !FileManager.default.fileExists(atPath: path(file))
    }
}
