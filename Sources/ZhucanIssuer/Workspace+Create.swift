import Foundation
import ZhucanIdentifiers
import ZhucanRegistry
import ZhucanSigning

extension Workspace {
    /// Where the keys of a new workspace come from.
    public enum KeySource: Sendable {
        /// Generate a root and an issuer key.
        case generate
        /// Copy the public demo keys (`demo-root-sm2`, `demo-<algorithm>`) from a folder.
        case demo(keysDirectory: URL)
    }

    /// Creates a workspace: settings, keys (root and issuer), registry, and a first trust list
    /// and status list.
    /// - Throws: `IssuerError.workspace` if `directory` already holds a workspace;
    ///   `.invalidInput` for invalid settings.
    @discardableResult
    public static func create(at directory: URL, configuration: WorkspaceConfiguration, keys: KeySource, now: Int64) throws -> Workspace {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory.appendingPathComponent(configurationFile).path) {
            throw IssuerError(.workspace, "\(directory.path) already holds a workspace; refusing to overwrite it")
        }
        guard (try? UnifiedSocialCreditCode(configuration.issuerCode)) != nil else {
            throw IssuerError(.invalidInput, "--issuer-uscc: not a valid unified social credit code")
        }
        guard (try? RegionCode(configuration.region)) != nil else {
            throw IssuerError(.invalidInput, "--region: not a valid GB/T 2260 region code")
        }
        guard let algorithm = SignatureAlgorithm(rawValue: configuration.algorithm), algorithm.canSign else {
            throw IssuerError(.invalidInput, "--algorithm must be sm2, es256 or ed25519")
        }
        try wrap {
            try manager.createDirectory(at: directory.appendingPathComponent("keys"), withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(configuration).write(to: directory.appendingPathComponent(configurationFile), options: .atomic)
        }
        let workspace = try Workspace(opening: directory)
        let root: PrivateKey, issuer: PrivateKey, log: PrivateKey
        switch keys {
        case .generate:
            root = try wrap { try PrivateKey.generate(algorithm) }
            issuer = try wrap { try PrivateKey.generate(algorithm) }
            // C2SP signed notes define Ed25519 (type 0x01); auditors' tools expect it.
            log = try wrap { try PrivateKey.generate(.ed25519) }
        case .demo(let folder):
            root = try wrap { try PrivateKey(contentsOfFile: folder.appendingPathComponent("demo-root-sm2.key.pem").path) }
            issuer = try wrap { try PrivateKey(contentsOfFile: folder.appendingPathComponent("demo-\(algorithm.rawValue).key.pem").path) }
            log = try wrap { try PrivateKey(contentsOfFile: folder.appendingPathComponent("demo-log-ed25519.key.pem").path) }
        }
        try workspace.install(root, role: .root, file: "keys/root", now: now)
        try workspace.install(issuer, role: .issuer, file: "keys/issuer-\(issuer.publicKey.keyID.hex)", now: now)
        try workspace.install(log, role: .log, file: "keys/log-\(log.publicKey.keyID.hex)", now: now)
        try workspace.publishTrustList(now: now)
        try workspace.publishStatusList(now: now)
        return workspace
    }

    /// Writes a key pair into the workspace and records it in the registry.
    func install(_ key: PrivateKey, role: StoredKey.Role, file: String, now: Int64) throws {
        try Self.wrap {
            try key.write(toNewFileAt: path(file + ".key.pem"))
            try Data(key.publicKey.pemRepresentation.utf8).write(to: directory.appendingPathComponent(file + ".pub.pem"), options: .atomic)
            try registry.add(StoredKey(
                keyID: key.publicKey.keyID.hex, role: role, algorithm: key.algorithm.rawValue,
                subjectPublicKeyInfo: key.publicKey.subjectPublicKeyInfo, privateKeyFile: file + ".key.pem",
                validFrom: now, createdAt: now
            ))
        }
    }

    /// Replaces the active issuer key with a new one: the old key is retired (it signs no more,
    /// but what it signed keeps verifying while it stays on the trust list), and a new trust
    /// list is published.
    /// - Returns: the new key.
    @discardableResult
    public func rotateIssuerKey(now: Int64) throws -> PrivateKey {
        guard let algorithm = SignatureAlgorithm(rawValue: configuration.algorithm) else {
            throw IssuerError(.workspace, "unknown algorithm \(configuration.algorithm) in config.json")
        }
        let key = try Self.wrap { try PrivateKey.generate(algorithm) }
        // valid_until is exclusive: the old key may still have signed during this second.
        try Self.wrap { try registry.retireKeys(role: .issuer, at: now + 1) }
        try install(key, role: .issuer, file: "keys/issuer-\(key.publicKey.keyID.hex)", now: now)
        try publishTrustList(now: now)
        try publishStatusList(now: now)
        return key
    }
}
