import Foundation
import ZhucanEnvelope
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

    /// A warning for an operator who issues from the CLI alone, where no `zhucan serve`
    /// republishes the trust list: `nil` until the list in use is half through its validity
    /// (when `serve` would sign it again), then what to do, and once it has expired, that
    /// verifiers answer `status_unknown` to everything.
    package func trustListNotice(now: Int64) throws -> String? {
        guard let latest = try Self.wrap({ try registry.latestPublication(.trustList) }),
            now >= latest.issuedAt + (latest.expiresAt - latest.issuedAt) / 2
        else { return nil }
        let expires = Timestamp.iso(latest.expiresAt)
        let how = "`zhucan trust-list publish --dir \(directory.path) --out FILE` (with keys/root.key.pem in the workspace)"
        if now >= latest.expiresAt {
            return "警告：信任列表已于 \(expires) 过期，任何核验均无法确认 / warning: the trust list expired at \(expires), so every "
                + "verifier answers status_unknown, also for what was just issued: publish one with \(how)"
        }
        return "注意：信任列表将于 \(expires) 过期，请及时重新发布 / note: the trust list expires at \(expires), after which every verifier "
            + "answers status_unknown: publish it again before then with \(how)"
    }

    /// Whether the active root key is recorded with a file that is not there: moved offline.
    /// A file that is there but cannot be read is a failure to report, not this.
    private func rootKeyIsOffline() throws -> Bool {
        let keys = try Self.wrap { try registry.keys(role: .root) }
        guard let file = keys.last(where: { $0.state == "active" })?.privateKeyFile else { return false }
        return !FileManager.default.fileExists(atPath: path(file))
    }
}
