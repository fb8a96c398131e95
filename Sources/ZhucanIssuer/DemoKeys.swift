import ZhucanSigning

/// The public demo keys of `keys/`, compiled into the binary (SwiftPM `embedInCode`) so that
/// `zhucan init --demo` works from any folder. Anyone can sign with them: demos and tests only
/// (`keys/README.md`).
enum DemoKeys {
    /// The demo private key `name` (`demo-root-sm2`, `demo-sm2`, `demo-es256`, `demo-ed25519`,
    /// `demo-log-ed25519`).
    /// - Throws: `IssuerError.invalidInput` for another name.
    static func privateKey(_ name: String) throws -> PrivateKey {
        let pem: [UInt8]
        switch name {
        case "demo-root-sm2": pem = PackageResources.demo_root_sm2_key_pem
        case "demo-sm2": pem = PackageResources.demo_sm2_key_pem
        case "demo-es256": pem = PackageResources.demo_es256_key_pem
        case "demo-ed25519": pem = PackageResources.demo_ed25519_key_pem
        case "demo-log-ed25519": pem = PackageResources.demo_log_ed25519_key_pem
        default: throw IssuerError(.invalidInput, "there is no demo key \(name)")
        }
        return try Workspace.wrap { try PrivateKey(contentsOf: pem) }
    }
}
