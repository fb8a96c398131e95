import Foundation
import ZhucanEnvelope
import ZhucanServiceStore

/// What `zhucan apikey` and `zhucan verifier apikey` do with a store, and how they say it:
/// the key alone on standard output, everything else on standard error.
enum APIKeyActions {
    /// Creates a key and prints it once (only its hash is stored).
    static func create(in store: any ServiceStore, name: String, scopes: [String]) async throws {
        let (key, token) = try await CommandFailure.mappingRegistryErrorsAsync {
            try await store.createAPIKey(name: name, scopes: Set(scopes.compactMap(APIKey.Scope.init(rawValue:))), at: Clock.now)
        }
        print(token)
        FileHandle.standardError.write(Data("""
            created API key \(key.id) "\(key.name)" with scopes \(key.scopes.sorted().map(\.rawValue).joined(separator: ","))
            store it now: it is not shown again

            """.utf8))
    }

    /// Prints every key: id, name, scopes, created, revoked.
    static func list(in store: any ServiceStore) async throws {
        let keys = try await CommandFailure.mappingRegistryErrorsAsync { try await store.apiKeys() }
        print(["ID", "NAME", "SCOPES", "CREATED", "REVOKED"].joined(separator: "\t"))
        for key in keys {
            print([
                key.id, key.name, key.scopes.sorted().map(\.rawValue).joined(separator: ","),
                Timestamp.iso(key.createdAt), key.revokedAt.map(Timestamp.iso) ?? "-",
            ].joined(separator: "\t"))
        }
    }

    /// Revokes a key.
    static func revoke(in store: any ServiceStore, id: String) async throws {
        try await CommandFailure.mappingRegistryErrorsAsync { try await store.revokeAPIKey(id: id.lowercased(), at: Clock.now) }
        print("revoked API key \(id.lowercased()); running services refuse it within their --key-cache-seconds (1 s by default)")
    }
}
