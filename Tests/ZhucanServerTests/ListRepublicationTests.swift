import Foundation
import Testing
import ZhucanIssuer
import ZhucanRegistry
import ZhucanTesting

/// `Workspace.republishExpiringLists`, which the service runs beside its routes, with the root
/// key where Docs/operations.md says to keep it after set-up: offline.
@Suite("Republishing lists: the status list never waits on the trust list")
struct ListRepublicationTests {
    /// 100 days on, both lists are past half their validity (90 days and 12 hours).
    static let later = ServerFixture.now + 100 * 86_400

    @Test("With keys/root.key.pem moved offline, the status list is republished and the trust list waits, said to wait; back online, the trust list is republished")
    func rootKeyOffline() throws {
        let fixture = try ServerFixture(catalogue: false)
        let workspace = fixture.workspace
        let rootKey = workspace.directory.appendingPathComponent("keys/root.key.pem")
        let offline = fixture.directory.url.appendingPathComponent("root.key.pem")
        try FileManager.default.moveItem(at: rootKey, to: offline)
        let trustList = try #require(try workspace.registry.latestPublication(.trustList))
        let statusList = try #require(try workspace.registry.latestPublication(.statusList))

        let pass = try workspace.republishExpiringLists(now: Self.later)
        #expect(pass.republished == [.statusList])
        #expect(pass.failures.isEmpty, "\(pass.failures)")
        #expect(pass.trustListAwaitingRootKey == trustList.expiresAt)
        let republished = try #require(try workspace.registry.latestPublication(.statusList))
        #expect(republished.sequence > statusList.sequence)
        #expect(republished.issuedAt == Self.later)
        #expect(try workspace.registry.latestPublication(.trustList)?.sequence == trustList.sequence)

        try FileManager.default.moveItem(at: offline, to: rootKey)
        let online = try workspace.republishExpiringLists(now: Self.later + 1)
        #expect(online.republished == [.trustList], "the status list was republished a second ago")
        #expect(online.trustListAwaitingRootKey == nil)
        #expect(try workspace.registry.latestPublication(.trustList)?.issuedAt == Self.later + 1)
    }

    @Test("A root key that is there but cannot be read is a failure of the trust list alone: the status list is republished all the same")
    func unreadableRootKey() throws {
        let fixture = try ServerFixture(catalogue: false)
        let workspace = fixture.workspace
        try Data("not a key\n".utf8).write(to: workspace.directory.appendingPathComponent("keys/root.key.pem"))
        let statusList = try #require(try workspace.registry.latestPublication(.statusList))

        let pass = try workspace.republishExpiringLists(now: Self.later)
        #expect(pass.republished == [.statusList])
        #expect(pass.failures.map { $0.kind } == [.trustList])
        #expect(pass.trustListAwaitingRootKey == nil)
        #expect(try workspace.registry.latestPublication(.statusList)?.sequence ?? 0 > statusList.sequence)
    }
}
