import Foundation
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanRegistry
import ZhucanServiceStore
import ZhucanSigning

extension Workspace {
    /// Where the keys of a new workspace come from.
    package enum KeySource: Sendable {
        /// Generate a root and an issuer key.
        case generate
        /// The public demo keys (`demo-root-sm2`, `demo-<algorithm>`, `demo-log-ed25519`):
        /// those compiled into the binary when `keysDirectory` is `nil`, else the files of
        /// that folder.
        case demo(keysDirectory: URL?)
    }

    /// Creates a workspace: settings, keys (root, issuer and log), registry, and a first trust
    /// list and status list.
    ///
    /// All or nothing: the workspace is built in a new folder (mode 0700) and moved into place
    /// only when complete, so a failure at any step leaves nothing behind, and a second
    /// `create` can start afresh. A `directory` that does not exist is built beside it and
    /// renamed into place. An empty folder that exists (made by a service manager, a mount
    /// point, a symbolic link to a folder) is kept: the workspace is built inside it and its
    /// files are moved in, `config.json` last, which is what makes a folder a workspace. Files
    /// are created owner-only (0600), whatever the process's umask.
    /// - Throws: `IssuerError.workspace` if `directory` already holds a workspace or other
    ///   files; `.invalidInput` for invalid settings; what building the workspace throws.
    @discardableResult
    package static func create(at directory: URL, configuration: WorkspaceConfiguration, keys: KeySource, now: Int64) throws -> Workspace {
        guard (try? UnifiedSocialCreditCode(configuration.issuerCode)) != nil else {
            throw IssuerError(.invalidInput, "--issuer-uscc: not a valid unified social credit code")
        }
        guard (try? RegionCode(configuration.region)) != nil else {
            throw IssuerError(.invalidInput, "--region: not a valid GB/T 2260 region code")
        }
        guard let algorithm = SignatureAlgorithm(rawValue: configuration.algorithm), algorithm.canSign else {
            throw IssuerError(.invalidInput, "--algorithm must be sm2, es256 or ed25519")
        }
        let directory = directory.standardizedFileURL
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory.path, isDirectory: &isFolder) && isFolder.boolValue
        // An existing folder is held for the whole build: two `init`s moving files into one
        // folder would mix two workspaces. (Into a new one, the second rename(2) fails.)
        let held = exists ? open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1
        defer { if held >= 0 { close(held) } }
        if exists, held < 0 || flock(held, LOCK_EX | LOCK_NB) != 0 {
            throw IssuerError(.workspace, "\(directory.path) is being set up by another zhucan init (or cannot be opened: \(String(cString: strerror(errno))))")
        }
        try checkVacant(directory)
        let parent = directory.deletingLastPathComponent()
        if !exists {
            try wrap { try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true) }
        }
        let stagingParent = exists ? directory : parent
        let prefix = exists ? ".init-" : ".\(directory.lastPathComponent).init-"
        // The staging folder of an earlier `create` that was killed holds a root key and
        // nothing else of use.
        removeStaging(in: stagingParent, prefix: prefix)
        // mkdtemp(3) makes the staging folder with mode 0700, in the same file system as the
        // target, so that rename(2) can move it (or its files) into place atomically. Its name
        // carries this process's id, so that only the folder of a process that is gone is
        // taken for abandoned.
        var template = Array(stagingParent.appendingPathComponent("\(prefix)\(getpid())-XXXXXX").path.utf8CString)
        guard let staged = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw IssuerError(.workspace, "cannot create a folder \(exists ? "in" : "beside") \(directory.path): \(String(cString: strerror(errno)))")
        }
        let staging = URL(fileURLWithPath: String(cString: staged))
        do {
            try build(at: staging, configuration: configuration, algorithm: algorithm, keys: keys, now: now)
            if exists {
                try moveContents(of: staging, into: directory)
            } else {
                guard rename(staging.path, directory.path) == 0 else {
                    let reason = String(cString: strerror(errno))
                    throw IssuerError(.workspace, "cannot move the new workspace into \(directory.path): \(reason)")
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: staging)
            throw error
        }
        // In place, and complete: a folder that cannot be flushed only leaves the rename to the
        // file system's own schedule, not a reason to report a whole workspace as not made.
        // The renames changed the folder they moved into: the workspace itself when it
        // existed, its parent when it was made (fsync(2) of the folder makes them durable).
        if exists {
            _ = fsync(held)
        } else {
            try? OwnerOnlyFile.flushFolder(containing: directory)
        }
        return try Workspace(opening: directory)
    }

    /// Removes the staging folders in `folder` (`PREFIX` `PID-` and six characters:
    /// `.NAME.init-` beside the target, `.init-` inside it) whose process is gone, as
    /// `kill(pid, 0)` finds. Best effort.
    private static func removeStaging(in folder: URL, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names {
            guard let pid = stagingProcess(of: name, prefix: prefix), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }

    /// The process that made the staging folder `name` (`PREFIX` `PID-` and six characters);
    /// nil when `name` is not a staging folder's.
    static func stagingProcess(of name: String, prefix: String) -> pid_t? {
        guard name.hasPrefix(prefix) else { return nil }
        let rest = name.dropFirst(prefix.count).split(separator: "-", omittingEmptySubsequences: false)
        guard rest.count == 2, rest[1].utf8.count == 6, let pid = pid_t(rest[0]), pid > 0 else { return nil }
        return pid
    }

    /// Moves a built workspace's files from `staging` into `directory`, `config.json` last,
    /// then removes `staging`. The folder takes the workspace's mode, 0700. A move that fails
    /// removes what was moved before it, so the folder is left as it was. (Killed in between,
    /// the folder holds a workspace without `config.json`, which `checkVacant` names.)
    private static func moveContents(of staging: URL, into directory: URL) throws {
        let names = try wrap { try FileManager.default.contentsOfDirectory(atPath: staging.path) }
            .sorted { ($0 == configurationFile ? 1 : 0, $0) < ($1 == configurationFile ? 1 : 0, $1) }
        var moved: [String] = []
        for name in names {
            guard rename(staging.appendingPathComponent(name).path, directory.appendingPathComponent(name).path) == 0 else {
                let reason = String(cString: strerror(errno))
                for name in moved { try? FileManager.default.removeItem(at: directory.appendingPathComponent(name)) }
                throw IssuerError(.workspace, "cannot move \(name) into \(directory.path): \(reason)")
            }
            moved.append(name)
        }
        try? FileManager.default.removeItem(at: staging)
        chmod(directory.path, 0o700)
    }

    /// Refuses a target that holds anything: a workspace, or files a workspace would mix with.
    static func checkVacant(_ directory: URL) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory.appendingPathComponent(configurationFile).path) {
            throw IssuerError(.workspace, "\(directory.path) 已有工作区，不覆盖 / \(directory.path) already holds a workspace; refusing to overwrite it")
        }
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: directory.path, isDirectory: &isFolder) else { return }
        guard isFolder.boolValue else { throw IssuerError(.workspace, "\(directory.path) is a file, not a folder") }
        // The staging folder of a `create` into this folder that was killed does not count.
        let contents = ((try? manager.contentsOfDirectory(atPath: directory.path)) ?? []).filter { stagingProcess(of: $0, prefix: ".init-") == nil }
        let leftovers: Set = ["keys", registryFile, registryFile + "-wal", registryFile + "-shm", "issuance.lock"]
        if !contents.isEmpty, Set(contents).isSubset(of: leftovers) {
            throw IssuerError(.workspace, """
                \(directory.path) holds \(contents.sorted().joined(separator: ", ")) but no \(configurationFile): if an init was \
                cut short while moving a workspace in, nothing in it was ever used; remove them, then run init again
                """)
        }
        guard contents.isEmpty else {
            throw IssuerError(.workspace, "\(directory.path) is not empty (\(contents.sorted().prefix(3).joined(separator: ", ")) …); a workspace needs a new or empty folder")
        }
    }

    /// Builds a complete workspace in `folder` (which exists), closing its registry after.
    private static func build(
        at folder: URL, configuration: WorkspaceConfiguration, algorithm: SignatureAlgorithm, keys: KeySource, now: Int64
    ) throws {
        // Keys first: a missing or unreadable key fails before anything is written.
        let root: PrivateKey, issuer: PrivateKey, log: PrivateKey
        switch keys {
        case .generate:
            root = try wrap { try PrivateKey.generate(algorithm) }
            issuer = try wrap { try PrivateKey.generate(algorithm) }
            // C2SP signed notes define Ed25519 (type 0x01); auditors' tools expect it.
            log = try wrap { try PrivateKey.generate(.ed25519) }
        case .demo(let folder?):
            func read(_ name: String) throws -> PrivateKey {
                let path = folder.appendingPathComponent("\(name).key.pem").path
                do {
                    return try PrivateKey(contentsOfFile: path)
                } catch {
                    throw IssuerError(.invalidInput, "cannot read the demo key \(path): \(error)")
                }
            }
            root = try read("demo-root-sm2")
            issuer = try read("demo-\(algorithm.rawValue)")
            log = try read("demo-log-ed25519")
        case .demo(nil):
            root = try DemoKeys.privateKey("demo-root-sm2")
            issuer = try DemoKeys.privateKey("demo-\(algorithm.rawValue)")
            log = try DemoKeys.privateKey("demo-log-ed25519")
        }
        try wrap {
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent("keys"), withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try OwnerOnlyFile.write(encoder.encode(configuration), to: folder.appendingPathComponent(configurationFile))
        }
        let workspace = try Workspace(opening: folder)
        try workspace.install(root, role: .root, now: now)
        try workspace.install(issuer, role: .issuer, now: now)
        try workspace.install(log, role: .log, now: now)
        try workspace.publishTrustList(now: now)
        try workspace.publishStatusList(now: now)
    }

    /// The workspace's files of a key, without their `.key.pem` and `.pub.pem`: `keys/root` for
    /// the one root key, `keys/issuer-<kid>` and `keys/log-<kid>` for the others, which rotate.
    static func keyFile(role: StoredKey.Role, keyID: String) -> String {
        role == .root ? "keys/root" : "keys/\(role.rawValue)-\(keyID)"
    }

    /// Writes a key pair into the workspace (``keyFile(role:keyID:)``), then records it in the
    /// registry, retiring the role's active keys as of `retiredAt` in the same transaction when
    /// given. The files come first: the registry never names a key whose file is not there.
    func install(_ key: PrivateKey, role: StoredKey.Role, now: Int64, retiringActiveKeysAt retiredAt: Int64? = nil) throws {
        let file = Self.keyFile(role: role, keyID: key.publicKey.keyID.hex)
        try Self.wrap {
            try key.write(toNewFileAt: path(file + ".key.pem"))
            try OwnerOnlyFile.write(Data(key.publicKey.pemRepresentation.utf8), to: directory.appendingPathComponent(file + ".pub.pem"))
            Failpoint.reach("keys.files-written")
            try registry.add(StoredKey(
                keyID: key.publicKey.keyID.hex, role: role, algorithm: key.algorithm.rawValue,
                subjectPublicKeyInfo: key.publicKey.subjectPublicKeyInfo, privateKeyFile: file + ".key.pem",
                validFrom: now, createdAt: now
            ), retiringActiveKeysAt: retiredAt)
        }
    }

    /// Replaces the active issuer key with a new one: the old key is retired (it signs no more,
    /// but what it signed keeps verifying while it stays on the trust list), a new trust list
    /// is published, the catalogue editions revoked keys signed are signed again, and the
    /// status list is published with the new key.
    /// - Returns: the new key.
    @discardableResult
    package func rotateIssuerKey(now: Int64) throws -> PrivateKey {
        guard let algorithm = SignatureAlgorithm(rawValue: configuration.algorithm) else {
            throw IssuerError(.workspace, "unknown algorithm \(configuration.algorithm) in config.json")
        }
        let lock = try IssuanceLock(workspace: directory, wait: .seconds(10), holder: "zhucan keys rotate")
        defer { withExtendedLifetime(lock) {} }
        let now = lock.time(now)
        // The root key signs the trust list that makes the new key usable: read it first, so
        // that with it kept offline the rotation changes nothing. (Cut short after `install`,
        // the new key signs nothing until a trust list names it: `issuerKey()`.)
        _ = try rootKey()
        let key = try Self.wrap { try PrivateKey.generate(algorithm) }
        // valid_until is exclusive: the old key may still have signed during this second.
        try install(key, role: .issuer, now: now, retiringActiveKeysAt: now + 1)
        Failpoint.reach("keys.rotated")
        try publishTrustList(holding: lock, now: now)
        // Editions a revoked key signed while no other key was active (`zhucan restore-check
        // --trust-list` revoking the active key) are signed again now, before the status list,
        // whose checkpoint covers them.
        for revoked in try Self.wrap({ try registry.keys(role: .issuer) }) where revoked.state == "revoked" {
            try resignCatalogues(signedBy: revoked.keyID, now: now)
        }
        try publishStatusList(holding: lock, now: now)
        // A retired key signs nothing more here, and what it signed before stays valid: its
        // private key is now only something to steal, able to sign certificates dated before its
        // retirement that every verifier would accept. Every one that signs no more, not only
        // the key this rotation retired: a rotation cut short before this line left its file.
        removePrivateKeyFiles(of: try Self.wrap { try registry.keys(role: .issuer) }.filter { $0.state != "active" })
        return key
    }

    /// What ``revokeIssuerKey(keyID:reason:now:)`` did.
    package struct KeyRevocation: Sendable {
        /// The trust list that marks the key revoked.
        package let trustList: Registry.Publication
        /// The live certificates it signed: their certificate codes no longer verify.
        package let liveCertificates: Int
    }

    /// Revokes a retired issuer key (a stolen one, say): a new trust list marks it `revoked`,
    /// so that verifiers with that list refuse everything it signed, whenever it says it
    /// signed it (a retired key's signatures dated before its retirement are otherwise
    /// accepted for ever). Its private key file, if still there, is removed.
    ///
    /// Codes are signed by the active key when minted, so holders' codes keep working; the
    /// certificates the key signed no longer verify as certificates.
    ///
    /// The catalogues the key signed are signed again by the active key first, each under its
    /// own edition number (``resignCatalogues(signedBy:now:)``): verifiers refuse an edition
    /// signed by a revoked key, and service codes name their edition's version.
    ///
    /// Reads the root key before changing anything: with it offline, nothing changes. Cut
    /// short, it is finished by running it again: a key already revoked gets its trust list
    /// published again, and the refusal says so.
    /// - Throws: `IssuerError.notFound` (no such issuer key), `.notAllowed` (the active key,
    ///   which must be rotated first, or one already revoked).
    package func revokeIssuerKey(keyID: String, reason: String, now: Int64) throws -> KeyRevocation {
        let reason = try Self.loggedText(reason, ("原因", "the reason"))
        let lock = try IssuanceLock(workspace: directory, wait: .seconds(10), holder: "zhucan keys revoke")
        defer { withExtendedLifetime(lock) {} }
        let now = lock.time(now)
        _ = try rootKey()
        let stored = try Self.wrap { try registry.keys(role: .issuer) }.filter { $0.keyID == keyID }
        if stored.first?.state != "active" { try resignCatalogues(signedBy: keyID, now: now) }
        let live: Int
        do {
            live = try registry.revokeIssuerKey(keyID: keyID, reason: reason, at: now)
        } catch let error as RegistryError where error.code == .notFound {
            throw IssuerError(.notFound, error.reason)
        } catch let error as RegistryError where error.code == .invalidTransition {
            guard stored.first?.state == "revoked" else { throw IssuerError(.notAllowed, error.reason) }
            try publishTrustList(holding: lock, now: now)
            removePrivateKeyFiles(of: stored)
            throw IssuerError(.notAllowed, "\(error.reason); its trust list was published again")
        } catch {
            throw Self.issuerError(error)
        }
        let trustList = try publishTrustList(holding: lock, now: now)
        removePrivateKeyFiles(of: stored)
        return KeyRevocation(trustList: trustList, liveCertificates: live)
    }

    /// Signs again, with the active issuer key, every published catalogue edition `keyID`
    /// signed: the same content under the same edition number, so that a node that refused the
    /// old signature fetches that number again and takes it. A node still holding the old text
    /// keeps what it read when it trusted the key.
    func resignCatalogues(signedBy keyID: String, now: Int64) throws {
        let key = try issuerKey()
        for (catalogue, publication) in try catalogues() where EnvelopeLayers(reading: publication.text).cose?.keyID?.hex == keyID {
            let claims = catalogue.claims(issuerCode: configuration.issuerCode, issuedAt: now, edition: publication.sequence)
            let text = try Self.wrap { try EnvelopeSealer.seal(claims, type: ObjectType.catalogue.rawValue, key: key) }
            try Self.wrap {
                try registry.republish(.catalogue, sequence: publication.sequence, text: text, at: now, reason: "re-signed: issuer key \(keyID) revoked")
            }
        }
    }

    /// Removes the private key files of keys that sign no more, then flushes `keys/`. Best
    /// effort: a file that stays is no worse than before, and the key is retired or revoked
    /// whatever happens to it.
    func removePrivateKeyFiles(of keys: [StoredKey]) {
        let files = keys.compactMap(\.privateKeyFile).map { directory.appendingPathComponent($0) }
        for file in files { unlink(file.path) }
        if let file = files.first { try? OwnerOnlyFile.flushFolder(containing: file) }
    }
}
