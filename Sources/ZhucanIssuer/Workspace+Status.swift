import ZhucanIdentifiers
import ZhucanRegistry
import ZhucanServiceStore

extension Workspace {
    /// The status changes an issuer makes.
    package enum StatusChange: String, Sendable, CaseIterable {
        /// active → suspended.
        case suspend
        /// suspended → active.
        case reinstate
        /// active or suspended → revoked (final).
        case revoke

        var target: CertificateState {
            switch self {
            case .suspend: .suspended
            case .reinstate: .active
            case .revoke: .revoked
            }
        }

        var event: String {
            switch self {
            case .suspend: "suspended"
            case .reinstate: "reinstated"
            case .revoke: "revoked"
            }
        }
    }

    /// Suspends, reinstates or revokes a certificate, records the event with its reason, and
    /// republishes the status list; under the issuance lock, waiting up to 10 s for another
    /// issuing process, so that the list published is never one read before the change.
    /// - Throws: `IssuerError.notFound`, `.notAllowed` (e.g. reinstating a revoked certificate),
    ///   `.invalidInput` for an empty reason, `.busy` when another process holds the lock.
    package func change(_ change: StatusChange, certificateNumber: String, reason: String, now: Int64) throws {
        let reason = try Self.loggedText(reason, ("原因", "the reason"))
        // `Registry.ownChange` tells restore-check's own changes by it.
        guard !reason.lowercased().hasPrefix(Self.restoreCheckReasonPrefix) else {
            throw IssuerError(.invalidInput, "原因不能以 restore-check: 开头 / a reason must not begin with \"restore-check:\", which marks restore-check's own changes")
        }
        // A malformed number waits for no lock.
        let number = try Self.certificateNumber(certificateNumber)
        let lock = try IssuanceLock(workspace: directory, wait: .seconds(10), holder: "zhucan \(change.rawValue)")
        defer { withExtendedLifetime(lock) {} }
        let now = lock.time(now)
        let stored = try storedCertificate(number: number)
        do {
            try registry.changeState(certificateID: stored.id, to: change.target, event: change.event, reason: reason, at: now)
        } catch let error as RegistryError where error.code == .invalidTransition {
            var refusal = "残疾人证 \(Self.maskedNumber(number)) 当前状态为 \(stored.state.rawValue)，不能执行 \(change.rawValue) / cannot \(change.rawValue) certificate \(Self.maskedNumber(number)): it is \(stored.state.rawValue)"
            // Already so: perhaps by a run that stopped before it published the list. The list
            // is published again, so that asking twice is enough to make a change take effect.
            if stored.state == change.target {
                try publishStatusList(holding: lock, now: now)
                refusal += "; 状态列表已重新发布 / the status list was published again"
            }
            throw IssuerError(.notAllowed, refusal)
        } catch {
            throw IssuerError(.internalFailure, "\(error)")
        }
        Failpoint.reach("status.changed")
        do {
            try publishStatusList(holding: lock, now: now)
        } catch let failure as IssuerError {
            // The change is committed and logged: saying only "cannot read …key.pem" read as
            // a change that failed, while verifiers go on seeing the certificate as it was.
            throw IssuerError(failure.code, """
                已记录 \(change.rawValue)，但状态列表未能发布，核验方仍看到原状态 / the \(change.rawValue) of \(Self.maskedNumber(number)) is \
                recorded, but the status list could not be published, so verifiers still see the certificate as it was: \
                \(failure.reason). Mend that, then publish it: `zhucan status-list publish --dir \(directory.path) --out FILE` \
                (or run the same command again)
                """)
        }
    }
}
