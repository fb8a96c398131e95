import Foundation
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanRegistry
import ZhucanSigning
import ZhucanStatusList

extension Workspace {
    /// Signs and stores a new trust list of every issuer key (active and retired), signed by
    /// the root key; under the issuance lock, waiting up to 10 s for another issuing process.
    /// - Throws: `IssuerError.busy` when another process holds the lock past that.
    @discardableResult
    package func publishTrustList(now: Int64) throws -> Registry.Publication {
        let lock = try IssuanceLock(workspace: directory, wait: .seconds(10), holder: "zhucan trust-list publish")
        defer { withExtendedLifetime(lock) {} }
        let now = lock.time(now)
        return try publishTrustList(holding: lock, now: now)
    }

    /// `publishTrustList(now:)` for a caller that holds the issuance lock.
    @discardableResult
    func publishTrustList(holding lock: IssuanceLock, now: Int64) throws -> Registry.Publication {
        let root = try rootKey()
        let stored = try Self.wrap { try registry.keys(role: .issuer) }
        let entries = try stored.map { key in
            TrustList.Entry(
                key: try Self.wrap { try PublicKey(subjectPublicKeyInfo: key.subjectPublicKeyInfo) },
                issuerCode: configuration.issuerCode, issuerName: configuration.issuerName,
                validFrom: key.validFrom, validUntil: key.validUntil,
                state: TrustList.Entry.State(rawValue: key.state) ?? .revoked,
                licenseTypeCode: configuration.licenseTypeCode,
                statusListBase: TrustList.Entry.statusListBase(of: configuration.statusListURI)
            )
        }
        let sequence = try Self.wrap { try registry.nextSequence(of: .trustList) }
        let expiresAt = now + Int64(configuration.trustListValidityDays) * 86_400
        let list = TrustList(sequence: sequence, entries: entries, issuerCode: configuration.issuerCode, issuedAt: now, expiresAt: expiresAt)
        let text = try Self.wrap { try EnvelopeSealer.seal(list.claims, type: ObjectType.trustList.rawValue, key: root) }
        let publication = try Self.wrap { try registry.publish(.trustList, sequence: sequence, text: text, issuedAt: now, expiresAt: expiresAt) }
        try signCheckpoint(now: now)
        return publication
    }

    /// Signs and stores a new status list of every certificate (2 bits: 0 valid, 1 revoked
    /// or superseded, 2 suspended), sized to a power of two of at least 131,072 entries; under
    /// the issuance lock, waiting up to 10 s for another issuing process.
    /// - Returns: the publication; its text is the base64 of the binary COSE_Sign1.
    /// - Throws: `IssuerError.busy` when another process holds the lock past that.
    @discardableResult
    package func publishStatusList(now: Int64) throws -> Registry.Publication {
        let lock = try IssuanceLock(workspace: directory, wait: .seconds(10), holder: "zhucan status-list publish")
        defer { withExtendedLifetime(lock) {} }
        let now = lock.time(now)
        return try publishStatusList(holding: lock, now: now)
    }

    /// `refusal`, of a change the command would make; with the status list published first if
    /// it is behind the registry (`Registry.statusListBehind`): a command cut short after
    /// storing its change and before its list (an issuance, a correction, a renewal) is
    /// finished by asking again, which is refused as done (nothing to change, already issued,
    /// not yet renewable). Verifiers otherwise went on taking the certificate it replaced
    /// until the next publication. Only refusals are finished so: a failure of the store or
    /// of the signing is not.
    func finishing(_ refusal: IssuerError, holding lock: IssuanceLock, now: Int64) throws -> IssuerError {
        guard [.invalidInput, .notAllowed, .alreadyIssued].contains(refusal.code), try Self.wrap({ try registry.statusListBehind() }) else {
            return refusal
        }
        try publishStatusList(holding: lock, now: now)
        return IssuerError(refusal.code, "\(refusal.reason); 状态列表已重新发布 / the status list was published again")
    }

    /// `publishStatusList(now:)` for a caller that holds the issuance lock. The lock is what
    /// keeps the list whole: two processes that read the registry and then published one after
    /// the other could make the latest list one read before the other's change (a revocation
    /// then went unpublished), or collide on the sequence number.
    @discardableResult
    func publishStatusList(holding lock: IssuanceLock, now: Int64) throws -> Registry.Publication {
        let key = try issuerKey()
        let entries = try Self.wrap { try registry.inactiveStatusEntries() }
        let needed = Int(try Self.wrap { try registry.nextStatusIndex() })
        var count = CertificateStatusList.minimumEntries
        while count < needed { count *= 2 }
        var list = try Self.wrap { try CertificateStatusList(count: count) }
        for entry in entries {
            let status: CertificateStatus = switch entry.state {
            case .active: .valid
            case .suspended: .suspended
            case .revoked, .superseded: .invalid
            }
            if status != .valid { try Self.wrap { try list.set(status, at: Int(entry.index)) } }
        }
        // Indexes revoked for good that no certificate here holds (`restore-check`: runs of
        // revocations it carried, and with --revoke-lost the certificates the registry lost).
        for range in try Self.wrap({ try registry.revokedRanges() }) {
            try Self.wrap { try list.set(.invalid, in: Int(range.lowerBound)..<Int(min(range.upperBound, Int64(count)))) }
        }
        let expiresAt = now + Int64(configuration.statusListValiditySeconds)
        let token = try Self.wrap {
            try StatusListToken(
                statusList: list.statusList, uri: configuration.statusListURI, issuedAt: now, expiration: expiresAt,
                timeToLive: UInt64(configuration.statusListTimeToLive), issuer: configuration.issuerCode
            )
        }
        // The publication number goes into the list (`StatusListPublication`): lists signed in
        // the same second are ordered by it.
        let sequence = try Self.wrap { try registry.nextSequence(of: .statusList) }
        let claims = StatusListPublication.claims(of: token, sequence: sequence)
        let cose = try Self.wrap { try CoseSign1.sign(payload: claims.cbor.encoded(), type: ObjectType.statusList.rawValue, key: key) }
        let text = Data(cose.encoded(tagged: true)).base64EncodedString()
        let publication = try Self.wrap { try registry.publish(.statusList, sequence: sequence, text: text, issuedAt: now, expiresAt: expiresAt) }
        // Every command that changes the registry ends by publishing a list: the checkpoint
        // signed here covers its events.
        try signCheckpoint(now: now)
        return publication
    }

    /// The lists a verifier with this workspace uses: the root key, the latest trust list and
    /// the latest status list, and the catalogues, each with the issuer of the trust-list key
    /// that signed it, as a node reads them (under the latest trust list: an edition's
    /// authenticity does not depend on the time of the check, and `keys revoke` signs every
    /// edition again with a key only a later list names). With `time` (`zhucan verify
    /// --at`, plus the skew), the trust and status lists in force then: the newest of each
    /// signed by that time, since a list signed later does not say what held then.
    package func verifierLists(signedBy time: Int64? = nil) throws -> CredentialVerifier.Lists {
        let newestTrustList = try Self.wrap { try registry.latestPublication(.trustList) }
        // None signed by then (a time before the workspace): the newest, which the verifier
        // then says was signed after the time of the check.
        func inForce(_ kind: Registry.PublicationKind) throws -> Registry.Publication? {
            try Self.wrap { try registry.latestPublication(kind, signedBy: time) ?? registry.latestPublication(kind) }
        }
        let trustList = try inForce(.trustList)
        let statusList = try inForce(.statusList)
        let entries = newestTrustList.flatMap { EnvelopeLayers(reading: $0.text).claims }.flatMap { try? TrustList(claims: $0) }?.entries ?? []
        return CredentialVerifier.Lists(
            trustAnchors: [try trustAnchor()],
            trustList: trustList?.text,
            statusLists: statusList.flatMap { Data(base64Encoded: $0.text) }.map { [Array($0)] } ?? [],
            catalogues: try catalogues().compactMap { _, publication in (try? CatalogueEdition(verifying: publication.text, under: entries))?.issued }
        )
    }
}
