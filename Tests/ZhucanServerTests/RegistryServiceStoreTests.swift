import Testing
import ZhucanRegistry
import ZhucanTesting

/// The service store contract on the workspace's registry (SQLite).
@Suite("Service store: the registry (SQLite)")
struct RegistryServiceStoreTests {
    /// A new registry in a temporary folder.
    static func withRegistry(_ body: (Registry) async throws -> Void) async throws {
        let folder = try TemporaryDirectory()
        try await body(try Registry(path: folder.url.appendingPathComponent("zhucan.db").path))
    }

    @Test("The readiness probe answers") func probe() async throws { try await Self.withRegistry(ServiceStoreContract.probe) }
    @Test("API keys") func apiKeys() async throws { try await Self.withRegistry(ServiceStoreContract.apiKeys) }
    @Test("Redemption once") func redemption() async throws { try await Self.withRegistry(ServiceStoreContract.redemption) }
    @Test("50 concurrent redemptions: exactly one") func concurrent() async throws {
        try await Self.withRegistry(ServiceStoreContract.concurrentRedemptions)
    }
    @Test("A batch of verifications") func batch() async throws { try await Self.withRegistry(ServiceStoreContract.batch) }
    @Test("Lookups") func lookups() async throws { try await Self.withRegistry(ServiceStoreContract.lookups) }
    @Test("List floors only rise") func listFloors() async throws { try await Self.withRegistry(ServiceStoreContract.listFloors) }
    @Test("Statistics per local day") func statistics() async throws { try await Self.withRegistry(ServiceStoreContract.statistics) }
}
