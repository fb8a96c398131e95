import Foundation
import ZhucanRegistry

extension Workspace {
    /// Republishes the lists that have run through half their validity: a verifier — a node
    /// above all — must never hold a list that expires while nothing changed. The status list
    /// lives `statusListValiditySeconds`, the trust list `trustListValidityDays`; each is
    /// signed again, with the same content, once half of that has passed.
    ///
    /// Skips its turn while an issuance runs (the issuance publishes the status list itself).
    /// - Returns: the kinds republished.
    /// - Throws: `IssuerError` when a list cannot be signed or stored.
    @discardableResult
    package func republishExpiringLists(now: Int64) throws -> [Registry.PublicationKind] {
        let lock: IssuanceLock
        do {
            lock = try IssuanceLock(workspace: directory, wait: .zero, holder: "zhucan serve (republishing lists)")
        } catch let error as IssuerError where error.code == .busy {
            return []
        }
        defer { withExtendedLifetime(lock) {} }
        var republished: [Registry.PublicationKind] = []
        func isHalfSpent(_ kind: Registry.PublicationKind) throws -> Bool {
            guard let latest = try Self.wrap({ try registry.latestPublication(kind) }) else { return false }
            return now >= latest.issuedAt + (latest.expiresAt - latest.issuedAt) / 2
        }
        if try isHalfSpent(.trustList) {
            try publishTrustList(holding: lock, now: now)
            republished.append(.trustList)
        }
        if try isHalfSpent(.statusList) {
            try publishStatusList(holding: lock, now: now)
            republished.append(.statusList)
        }
        return republished
    }
}
