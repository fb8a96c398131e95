import Foundation
import ZhucanRegistry
import ZhucanServiceStore
import ZhucanSigning
import ZhucanTransparency

extension Workspace {
    /// The log's origin (C2SP tlog-checkpoint): its checkpoints' first line and its key's name.
    /// Unless `config.json` names one, it is the one the log's checkpoints were signed under:
    /// an edited issuer code (even its letters' case) must not rename the log, which nodes
    /// pinned with `--log-key` and auditors know by that name. A log without a checkpoint
    /// yet takes `zhucan.log/<issuer USCC>`.
    /// - Throws: `IssuerError.workspace` when the registry cannot be read, or its latest
    ///   checkpoint names no valid origin.
    package func logOrigin() throws -> String {
        if let origin = configuration.logOrigin { return origin }
        guard let note = try Self.wrap({ try registry.latestCheckpoint() })?.note else {
            return Self.defaultLogOrigin(issuerCode: configuration.issuerCode)
        }
        let origin = String(note.prefix { $0 != "\n" })
        do {
            try NoteKeyName.validate(origin)
        } catch {
            throw IssuerError(.workspace, "the log's latest checkpoint names the origin \(origin), which is not a valid log origin (\(error.reason)): set logOrigin in config.json")
        }
        return origin
    }

    /// The origin of a log whose configuration names none.
    static func defaultLogOrigin(issuerCode: String) -> String {
        "zhucan.log/\(issuerCode)"
    }

    /// The log's note verifier key (`<origin>+<key id>+<base64 key>`), for auditors.
    package func logVerifierKey() throws -> NoteVerifier {
        guard let stored = try Self.wrap({ try registry.keys(role: .log) }).last(where: { $0.state == "active" }) else {
            throw IssuerError(.workspace, "the workspace has no log key yet; any issuance creates one")
        }
        return try Self.wrap {
            try NoteVerifier(keyName: logOrigin(), publicKey: PublicKey(subjectPublicKeyInfo: stored.subjectPublicKeyInfo))
        }
    }

    /// Signs a checkpoint of the transparency log as it is now (if it grew since the last one)
    /// with the log key, creating an Ed25519 log key first in a workspace that has none.
    ///
    /// Every command that changes the registry ends with this, so the newest checkpoint always
    /// covers every committed event; a crash in between is covered by the next command.
    /// - Throws: `IssuerError.internalFailure` when the stored log no longer extends the last
    ///   checkpoint (tampering): the log then refuses to sign.
    @discardableResult
    package func signCheckpoint(now: Int64) throws -> StoredCheckpoint {
        let origin = try logOrigin()
        let signer = try Self.wrap { try NoteSigner(keyName: origin, privateKey: logKey(now: now)) }
        return try Self.wrap { try registry.signCheckpoint(origin: origin, signer: signer, now: now) }
    }

    /// That a list the service serves is in the log (`GET /v1/log/proof/publication`): the
    /// entry recording its publication and its audit path in the tree of `size` leaves.
    /// - Parameters:
    ///   - kind: the trust list, the status list, or a catalogue edition.
    ///   - sequence: a catalogue edition's number, as `GET /v1/catalogue/{sequence}` serves it
    ///     (required for a catalogue).
    ///   - digest: the SHA-256 of the list as served (its `ETag`): a status list's binary
    ///     COSE, a trust list's or catalogue's envelope text. For a trust or status list, one of
    ///     the newest 64 of its kind (a list published while the asker fetched it is still the
    ///     one asked about); `nil`: the newest. For a catalogue edition, its text now.
    ///   - size: the tree size (the asker's trusted checkpoint); `nil`: the newest checkpoint's.
    /// - Throws: `IssuerError.notFound` when no such list is published, it is not in the log
    ///   (written behind the application), or it is logged past `size` (the asker holds an
    ///   older checkpoint); `.invalidInput` for a catalogue without its sequence, or a size
    ///   beyond the log.
    package func publicationProof(
        _ kind: Registry.PublicationKind, sequence: Int64? = nil, digest: [UInt8]? = nil, size: UInt64? = nil
    ) throws -> PublicationProof {
        guard let size = try size ?? Self.wrap({ try registry.latestCheckpoint() })?.size else {
            throw IssuerError(.notFound, "the log has no checkpoint yet")
        }
        func served(_ publication: Registry.Publication) -> Bool {
            digest.map { Self.servedBody(of: publication).map(Digest.sha256) == $0 } ?? true
        }
        let publication: Registry.Publication
        switch (kind, sequence) {
        case (.catalogue, nil):
            // As a node older than `&sequence=` asks: by its digest alone, among every edition
            // (a catalogue has few).
            guard let digest else { throw IssuerError(.invalidInput, "a catalogue edition is named by its sequence") }
            guard let edition = try Self.wrap({ try registry.publications(.catalogue) }).last(where: served) else {
                throw IssuerError(.notFound, "no catalogue edition of that SHA-256 (\(Hexadecimal.encode(digest.prefix(4)))…) is published")
            }
            publication = edition
        case (.catalogue, let sequence?):
            guard let edition = try Self.wrap({ try registry.publication(.catalogue, sequence: sequence) }), served(edition) else {
                throw IssuerError(.notFound, "no catalogue edition \(sequence)\(digest == nil ? "" : " of that SHA-256") is published")
            }
            publication = edition
        case (_, _?):
            throw IssuerError(.invalidInput, "only a catalogue edition is named by its sequence")
        case (_, nil):
            let candidates = try Self.wrap { try registry.latestPublications(kind, limit: digest == nil ? 1 : 64) }
            guard let found = candidates.first(where: served) else {
                throw IssuerError(.notFound, "no \(kind.rawValue)\(digest == nil ? "" : " of that SHA-256 among the newest") is published")
            }
            publication = found
        }
        guard let entry = try Self.wrap({ try registry.logEntry(of: publication) }) else {
            throw IssuerError(.notFound, "the \(kind.rawValue) served (sequence \(publication.sequence)) is not in the log")
        }
        guard entry.index < size else {
            throw IssuerError(.notFound, "the \(kind.rawValue) served is logged at entry \(entry.index), past the tree of \(size) entries: ask with a newer checkpoint's size")
        }
        let path: [[UInt8]]
        do {
            path = try registry.inclusionProof(index: entry.index, size: size)
        } catch let error as RegistryError where error.code == .invalidInput {
            throw IssuerError(.invalidInput, error.reason)
        } catch {
            throw IssuerError(.internalFailure, "\(error)")
        }
        return PublicationProof(kind: kind.rawValue, index: entry.index, size: size, entry: entry.data, hashes: path)
    }

    /// A publication as the service serves it: a status list's binary COSE (its text is the
    /// base64), any other's envelope text; `nil` for a status list whose text is not base64.
    package static func servedBody(of publication: Registry.Publication) -> [UInt8]? {
        publication.kind == .statusList ? Data(base64Encoded: publication.text).map(Array.init) : Array(publication.text.utf8)
    }

    /// The active log key, generated and recorded on first use.
    private func logKey(now: Int64) throws -> PrivateKey {
        let keys = try registry.keys(role: .log)
        if let stored = keys.last(where: { $0.state == "active" }), let file = stored.privateKeyFile {
            return try privateKey(file: file)
        }
        let key = try PrivateKey.generate(.ed25519)
        try install(key, role: .log, now: now)
        return key
    }
}
