import Foundation
import GRDB
import Testing
import ZhucanTesting

/// `zhucan serve` on a workspace whose root key has been moved offline after set-up, as
/// Docs/operations.md advises.
@Suite("zhucan serve with the root key offline")
struct RootKeyOfflineTests {
    @Test("With keys/root.key.pem offline and both lists due, the service republishes the status list and warns that the trust list waits for the root key")
    func statusListWithoutRootKey() async throws {
        let folder = try ServerCommandTests.workspace()
        let workspace = folder.url.appendingPathComponent("ws")
        try FileManager.default.moveItem(
            at: workspace.appendingPathComponent("keys/root.key.pem"), to: folder.url.appendingPathComponent("root.key.pem")
        )
        // As if the service had last run months ago: the trust list 170 of its 180 days old,
        // the status list 50,000 s of its day.
        let before = try Self.backdate(workspace)
        let issuer = try ServeProcess(directory: "ws", in: folder.url)
        let deadline = Date().addingTimeInterval(30)
        var after = try Self.counts(workspace)
        while after.statusLists == before.statusLists, Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
            after = try Self.counts(workspace)
        }
        #expect(after.statusLists > before.statusLists, "no status list republished: \(issuer.log.suffix(1_500))")
        #expect(after.trustLists == before.trustLists)
        try await Task.sleep(for: .milliseconds(200))
        #expect(issuer.log.contains("the root key is offline"), "\(issuer.log.suffix(1_500))")
        issuer.stop(SIGTERM)
    }

    /// Moves the lists' times back so that both are past half their validity.
    /// - Returns: how many lists of each kind are published.
    static func backdate(_ workspace: URL) throws -> (trustLists: Int, statusLists: Int) {
        let database = try DatabaseQueue(path: workspace.appendingPathComponent("zhucan.db").path)
        try database.write { db in
            try db.execute(sql: "UPDATE publication SET issued_at = issued_at - 170 * 86400, expires_at = expires_at - 170 * 86400 WHERE kind = 'trust-list'")
            try db.execute(sql: "UPDATE publication SET issued_at = issued_at - 50000, expires_at = expires_at - 50000 WHERE kind = 'status-list'")
        }
        return try counts(workspace)
    }

    /// How many lists of each kind are published.
    static func counts(_ workspace: URL) throws -> (trustLists: Int, statusLists: Int) {
        let database = try DatabaseQueue(path: workspace.appendingPathComponent("zhucan.db").path)
        return try database.read { db in
            (
                trustLists: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM publication WHERE kind = 'trust-list'") ?? 0,
                statusLists: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM publication WHERE kind = 'status-list'") ?? 0
            )
        }
    }
}
