import Foundation
import Synchronization
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanRegistry
import ZhucanServiceStore
import ZhucanSigning
import ZhucanTransparency

/// An issuer's workspace folder: settings, keys, and the registry.
///
/// ```
/// D/config.json          settings (WorkspaceConfiguration)
/// D/zhucan.db            the registry (SQLite, WAL)
/// D/keys/root.key.pem    the trust anchor's private key (mode 0600); root.pub.pem for verifiers
/// D/keys/issuer-<kid>.key.pem / .pub.pem   issuer signing keys, one pair per rotation
/// ```
package final class Workspace: Sendable {
    /// The folder.
    package let directory: URL
    /// Its settings.
    package let configuration: WorkspaceConfiguration
    /// Its registry.
    package let registry: Registry
    /// The issuer's code, validated.
    let issuerCode: UnifiedSocialCreditCode
    /// The entries of the newest published trust list, by the publication they were read from
    /// (`publishedEntries()`).
    let publishedEntryCache = Mutex<(sequence: Int64, entries: [TrustList.Entry])?>(nil)
    /// The rows `checkAgainstItsCertificate` found to say what their certificates say, by the
    /// SHA-256 of what it compared.
    let checkedRows = Mutex<Set<[UInt8]>>([])

    /// The registry file name inside the folder.
    package static let registryFile = "zhucan.db"
    /// The settings file name inside the folder.
    package static let configurationFile = "config.json"

    /// Opens an existing workspace.
    /// - Throws: `IssuerError.workspace` when the folder is not a workspace.
    package init(opening directory: URL) throws {
        let configurationURL = directory.appendingPathComponent(Self.configurationFile)
        guard let data = FileManager.default.contents(atPath: configurationURL.path) else {
            throw IssuerError(.workspace, "\(directory.path) 不是 Zhucan 工作区 / \(directory.path) is not a Zhucan workspace (no \(Self.configurationFile)); create one with `zhucan init --dir \(directory.path)`")
        }
        var configuration: WorkspaceConfiguration
        do {
            configuration = try JSONDecoder().decode(WorkspaceConfiguration.self, from: data)
        } catch {
            throw IssuerError(.workspace, "\(configurationURL.path) is not a valid configuration: \(error)")
        }
        for (name, value, range) in [
            ("trustListValidityDays", configuration.trustListValidityDays, 1...3_650),
            ("statusListValiditySeconds", configuration.statusListValiditySeconds, 60...31_536_000),
            ("statusListTimeToLive", configuration.statusListTimeToLive, 1...31_536_000),
            ("identityCodeSeconds", configuration.identityCodeSeconds, 1...86_400),
            ("serviceCodeSeconds", configuration.serviceCodeSeconds, 1...86_400),
        ] where !range.contains(value) {
            throw IssuerError(.workspace, "\(name) in \(configurationURL.path) must be \(range.lowerBound)…\(range.upperBound)")
        }
        guard let code = try? UnifiedSocialCreditCode(configuration.issuerCode) else {
            throw IssuerError(.workspace, "issuerCode in \(configurationURL.path) is not a valid unified social credit code")
        }
        // Checked here rather than where they are first used, which is after a certificate is
        // stored: a bad value would fail every issuance halfway.
        guard (try? ELicenseIdentifier(typeCode: configuration.licenseTypeCode, issuer: code, serial: "1", version: 1)) != nil else {
            throw IssuerError(.workspace, "licenseTypeCode in \(configurationURL.path) must be a unified social credit code followed by 3 digits (GB/T 36904)")
        }
        if let origin = configuration.logOrigin {
            do {
                try NoteKeyName.validate(origin)
            } catch {
                throw IssuerError(.workspace, "logOrigin in \(configurationURL.path) is not a valid log origin: \(error.reason)")
            }
        }
        // As GB 32100 writes it, upper-case: a hand-edited config.json in lower case would
        // otherwise name the issuer one way in its trust list and another in its certificates'
        // `iss` and e-licence identifiers, which verifiers hold to be the same.
        configuration.issuerCode = code.value
        self.configuration = configuration
        issuerCode = code
        self.directory = directory
        registry = try Self.wrap { try Registry(path: directory.appendingPathComponent(Self.registryFile).path) }
    }

    /// `number` upper-cased, once it reads as a disability certificate number.
    /// - Throws: `IssuerError.invalidInput` otherwise.
    static func certificateNumber(_ number: String) throws -> String {
        let normalised = number.uppercased()
        guard (try? DisabilityCertificateNumber(normalised)) != nil else {
            throw IssuerError(.invalidInput, "残疾人证号无效（20 位：身份证号、类别、等级） / the certificate number is not a valid disability certificate number (20 characters: ID number, category, level)")
        }
        return normalised
    }

    /// The newest certificate with this number, in any state.
    /// - Throws: `IssuerError.invalidInput` for a malformed number, `.notFound` for none.
    package func storedCertificate(number: String) throws -> StoredCertificate {
        let normalised = try Self.certificateNumber(number)
        guard let stored = try Self.wrap({ try registry.certificate(number: normalised) }) else {
            throw IssuerError(.notFound, "本工作区没有残疾人证 \(Self.maskedNumber(normalised)) / no certificate \(Self.maskedNumber(normalised)) in this workspace")
        }
        return stored
    }

    /// The path of a file inside the workspace.
    func path(_ relative: String) -> String {
        directory.appendingPathComponent(relative).path
    }

    /// Reads a private key of the workspace, first taking from it and from `keys/` whatever
    /// group and others may do: a backup restored under another umask, or a key decrypted with
    /// `openssl` into the workspace, can leave them readable by all. The owner's bits stay as
    /// they are (a key made read-only, 0400, stays so), and a mode that cannot be set (a
    /// read-only copy) is left.
    func privateKey(file: String) throws -> PrivateKey {
        for target in [path(file), URL(fileURLWithPath: path(file)).deletingLastPathComponent().path] {
            var status = stat()
            if stat(target, &status) == 0, status.st_mode & 0o077 != 0 { chmod(target, status.st_mode & 0o7700) }
        }
        return try PrivateKey(contentsOfFile: path(file))
    }

    /// The active issuer key (the newest active one), for what it signs besides certificates
    /// and codes (lists, catalogues).
    /// - Throws: as ``signingKey(at:)``, whatever the clock.
    package func issuerKey() throws -> PrivateKey {
        let key = try activeKey(role: .issuer)
        guard try publishedEntry(of: key.publicKey) != nil else { throw unpublishedKey(key) }
        return key
    }

    /// The active issuer key and its entry on the newest published trust list, which says
    /// what verifiers know of it (``compactCodesReady(_:)``).
    /// - Throws: `IssuerError.workspace` also when no published trust list names the key, as
    ///   after a `keys rotate` cut short, or when the list does not let it sign at `now`, as
    ///   when this machine's clock is behind the time the key was made: a certificate signed
    ///   then would never verify anywhere (`TrustList.Entry.maySign`).
    package func signingKey(at now: Int64) throws -> (key: PrivateKey, entry: TrustList.Entry) {
        let key = try activeKey(role: .issuer)
        guard let entry = try publishedEntry(of: key.publicKey) else { throw unpublishedKey(key) }
        guard entry.maySign(at: now) else {
            throw IssuerError(.workspace, """
                签发密钥此时不可签名，请检查本机时钟 / the trust list lets the active issuer key \(key.publicKey.keyID.hex) sign from \
                \(Timestamp.iso(entry.validFrom)), and this machine's clock says \(Timestamp.iso(now)): nothing it signed now would \
                verify anywhere; check the clock (NTP) and try again
                """)
        }
        return (key, entry)
    }

    private func unpublishedKey(_ key: PrivateKey) -> IssuerError {
        IssuerError(.workspace, """
            当前签发密钥不在已发布的信任列表中 / the active issuer key \(key.publicKey.keyID.hex) is on no published trust list \
            (was `zhucan keys rotate` cut short?), so nothing it signs would verify: publish one with \
            `zhucan trust-list publish --dir \(directory.path) --out FILE`, then try again
            """)
    }

    /// The entry for `key` on the newest published trust list, or nil when it names no such key.
    func publishedEntry(of key: PublicKey) throws -> TrustList.Entry? {
        try publishedEntries().first { $0.key == key }
    }

    /// The entries of the newest published trust list (none before the first). Read once per
    /// publication: reading the list builds a public key for every entry, which each signature
    /// need not repeat.
    func publishedEntries() throws -> [TrustList.Entry] {
        guard let published = try Self.wrap({ try registry.latestPublication(.trustList) }) else { return [] }
        if let known = publishedEntryCache.withLock({ $0 }), known.sequence == published.sequence {
            return known.entries
        }
        let entries = EnvelopeLayers(reading: published.text).claims.flatMap { try? TrustList(claims: $0) }?.entries ?? []
        publishedEntryCache.withLock { $0 = (published.sequence, entries) }
        return entries
    }

    /// The root (trust-anchor) key.
    package func rootKey() throws -> PrivateKey {
        try activeKey(role: .root)
    }

    /// The root public key, for verifiers.
    package func trustAnchor() throws -> PublicKey {
        guard let stored = try Self.wrap({ try registry.keys(role: .root) }).last else {
            throw IssuerError(.workspace, "the workspace has no root key")
        }
        return try Self.wrap { try PublicKey(subjectPublicKeyInfo: stored.subjectPublicKeyInfo) }
    }

    private func activeKey(role: StoredKey.Role) throws -> PrivateKey {
        let keys = try Self.wrap { try registry.keys(role: role) }
        guard let stored = keys.last(where: { $0.state == "active" }), let file = stored.privateKeyFile else {
            throw IssuerError(.workspace, "the workspace has no active \(role.rawValue) key")
        }
        do {
            return try privateKey(file: file)
        } catch let error as SigningError where error.code == .passphraseRequired {
            throw IssuerError(.workspace, """
                \(file) is encrypted, and a workspace reads its keys without a passphrase: decrypt it into the workspace \
                (`openssl pkcs8 -in ENCRYPTED.pem -out \(path(file))`, then `chmod 600`) for the commands that need it, \
                and keep it offline otherwise (Docs/operations.md)
                """)
        } catch let error as SigningError where error.code == .unreadableFile {
            // A root key kept offline, as Docs/operations.md advises after set-up, is the usual case.
            throw IssuerError(.workspace, "\(error.reason)\(role == .root ? " (the root key kept offline? bring it back to \(path(file)) for this command)" : "")")
        } catch {
            throw Self.issuerError(error)
        }
    }

    /// Runs `body`, turning library errors into `IssuerError`s with their own reasons.
    static func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw issuerError(error)
        }
    }

    /// A library error as an `IssuerError` with its own reason; an `IssuerError` as it is.
    static func issuerError(_ error: any Error) -> IssuerError {
        switch error {
        case let error as IssuerError: error
        case let error as RegistryError: IssuerError(error.code == .conflict ? .alreadyIssued : .internalFailure, error.reason)
        case let error as SigningError: IssuerError(.internalFailure, error.reason)
        default: IssuerError(.internalFailure, "\(error)")
        }
    }
}
