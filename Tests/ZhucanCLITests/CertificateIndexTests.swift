import Foundation
import GRDB
import Testing
import ZhucanRegistry
import ZhucanServiceStore
import ZhucanTesting

/// The registry's one index of a person's certificates (migration
/// `2026-12-04-certificate-by-person`): it still allows one live certificate per person, it
/// serves lookups by certificate number, and a registry made before it migrates in place.
@Suite("The registry's index of a person's certificates", .serialized)
struct CertificateIndexTests {
    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory()
        let created = try zhucan(["init", "--demo", "--algorithm", "ed25519", "--dir", "ws",
                                  "--keys-dir", TestVectors.projectRoot.appendingPathComponent("keys").path])
        try #require(created.status == 0, "\(created.errorText)")
    }

    func zhucan(_ arguments: [String]) throws -> Shell.Output {
        try ZhucanBinary.run(arguments, in: folder.url)
    }

    var databasePath: String { folder.url.appendingPathComponent("ws/zhucan.db").path }

    /// Issues people 0–2 with category 1 at `level`, as a batch.
    func issue(level: Int) throws {
        let rows = (0..<3).map { "测试\($0),\(BatchCommandTests.citizenID($0)),1,\(level),330482" }
        try Data((["name,id_number,category,level,region"] + rows).joined(separator: "\n").utf8)
            .write(to: folder.url.appendingPathComponent("people-\(level).csv"))
        let output = try zhucan(["issue", "--dir", "ws", "--batch", "people-\(level).csv"])
        try #require(output.status == 0, "\(output.errorText)")
    }

    func number(person: Int, level: Int) -> String {
        BatchCommandTests.citizenID(person) + "1\(level)"
    }

    func certificateIndexes() throws -> [String] {
        try DatabaseQueue(path: databasePath).read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'certificate' AND sql IS NOT NULL ORDER BY name")
        }
    }

    @Test("A second live certificate for one person is refused by the database, a superseded one is not in the way")
    func oneLiveCertificatePerPerson() throws {
        try issue(level: 1)
        try issue(level: 2)  // supersedes all three
        let registry = try Registry(path: databasePath)
        let live = try #require(try registry.liveCertificate(citizenID: BatchCommandTests.citizenID(0)))
        #expect(live.level == 2)

        var twin = live
        twin.number = number(person: 0, level: 3)
        twin.licenseID += "9"
        twin.statusIndex = 1_000
        #expect {
            _ = try registry.storeIssued([(twin, nil)])
        } throws: { error in
            let error = error as? RegistryError
            return error?.code == .conflict && error?.reason.contains("already has an active certificate") == true
        }
        // Suspended is live too.
        #expect(try zhucan(["suspend", "--dir", "ws", "--certificate", live.number, "--reason", "review"]).status == 0)
        #expect(throws: RegistryError.self) { _ = try registry.storeIssued([(twin, nil)]) }
        // Revoked is not: the person may be certified again.
        #expect(try zhucan(["revoke", "--dir", "ws", "--certificate", live.number, "--reason", "test"]).status == 0)
        #expect(try registry.storeIssued([(twin, nil)]).count == 1)
    }

    @Test("A stored certificate and its event read back as stored: no card as NULL, an empty reason as empty, names in Chinese whole")
    func storedValuesReadBack() throws {
        try issue(level: 1)
        let registry = try Registry(path: databasePath)
        let first = try #require(try registry.liveCertificate(citizenID: BatchCommandTests.citizenID(0)))
        #expect(first.socialSecurityCard == nil)
        #expect(try zhucan(["revoke", "--dir", "ws", "--certificate", first.number, "--reason", "test"]).status == 0)

        var again = first
        again.number = number(person: 0, level: 3)
        again.licenseID += "9"
        again.statusIndex = 1_000
        again.name = "欧阳娜娜·阿依古丽"
        again.socialSecurityCard = "330482D15600000500"
        let id = try #require(try registry.storeIssued([(again, nil)], reason: "").first)
        again.id = id
        #expect(try registry.certificate(id: id) == again)
        #expect(try registry.events(certificateID: id).map(\.kind) == ["issued"])
        let (cardIsNull, reason) = try DatabaseQueue(path: databasePath).read { db in
            (try Bool.fetchOne(db, sql: "SELECT ssc_card IS NULL FROM certificate WHERE id = ?", arguments: [first.id]),
             try Row.fetchOne(db, sql: "SELECT reason FROM event WHERE certificate_id = ?", arguments: [id])?["reason"] as String?)
        }
        #expect(cardIsNull == true)
        #expect(reason == "")
    }

    @Test("A certificate is found by its number whatever its state")
    func lookupByNumber() throws {
        try issue(level: 1)
        try issue(level: 2)
        let registry = try Registry(path: databasePath)
        #expect(try registry.certificate(number: number(person: 1, level: 1))?.state == .superseded)
        #expect(try registry.certificate(number: number(person: 1, level: 2))?.state == .active)
        #expect(try registry.certificate(number: number(person: 1, level: 3)) == nil)
        #expect(try registry.certificate(number: "330482") == nil)
        // The clerk's view of the same: the superseded number is found, and refused as such.
        let refused = try zhucan(["suspend", "--dir", "ws", "--certificate", number(person: 1, level: 1), "--reason", "review"])
        #expect(refused.status != 0)
        #expect(refused.errorText.contains("superseded"), "\(refused.errorText)")
    }

    @Test("forEachCertificate hands over the certificates in the states asked for, in issuance order, and rethrows the caller's own error as it is")
    func certificatesOneAtATime() throws {
        struct Stop: Error, Equatable {}
        try issue(level: 1)
        try issue(level: 2)  // supersedes all three
        let registry = try Registry(path: databasePath)
        var all: [StoredCertificate] = []
        try registry.forEachCertificate { all.append($0) }
        #expect(all.map(\.id) == all.map(\.id).sorted())
        #expect(all.map(\.state) == [.superseded, .superseded, .superseded, .active, .active, .active])
        #expect(try registry.allCertificates(in: [.active]).map(\.level) == [2, 2, 2])
        #expect(try registry.allCertificates(in: [.superseded, .revoked]).map(\.id) == Array(all.prefix(3)).map(\.id))
        #expect(try registry.allCertificates(in: [.suspended]).isEmpty)

        var seen = 0
        #expect(throws: Stop()) {
            try registry.forEachCertificate { _ in
                seen += 1
                if seen == 2 { throw Stop() }
            }
        }
        #expect(seen == 2, "the read stops at the error")
    }

    @Test("A registry made with the two older indexes migrates to the one index and keeps its rules; its status list is the same")
    func migratesAnOlderRegistry() throws {
        try issue(level: 1)
        try issue(level: 2)
        // Put the registry back as it was before the migration, certificates and all.
        try DatabaseQueue(path: databasePath).write { db in
            try db.execute(sql: """
                DROP INDEX certificate_by_person;
                DROP INDEX certificate_not_active;
                CREATE UNIQUE INDEX certificate_one_live_per_person
                    ON certificate(citizen_id) WHERE state IN ('active', 'suspended');
                CREATE INDEX certificate_by_number ON certificate(number);
                DELETE FROM grdb_migrations
                    WHERE identifier IN ('2026-12-04-certificate-by-person', '2026-12-04-certificate-not-active');
                """)
        }
        #expect(try certificateIndexes() == ["certificate_by_number", "certificate_by_ssc", "certificate_one_live_per_person", "certificate_superseded_by"])

        // Any command that opens the registry migrates it.
        let suspended = try zhucan(["suspend", "--dir", "ws", "--certificate", number(person: 2, level: 2), "--reason", "review"])
        #expect(suspended.status == 0, "\(suspended.errorText)")
        #expect(try certificateIndexes() == ["certificate_by_person", "certificate_by_ssc", "certificate_not_active", "certificate_superseded_by"])
        let registry = try Registry(path: databasePath)
        #expect(try registry.allCertificates().count == 6)
        #expect(try registry.certificate(number: number(person: 2, level: 2))?.state == .suspended)
        // What the status list published with the suspension marks: the three superseded
        // certificates of the first batch, and the suspended one of the second.
        let marked = try registry.inactiveStatusEntries()
        #expect(marked.map(\.index) == [0, 1, 2, 5])
        #expect(marked.map(\.state) == [.superseded, .superseded, .superseded, .suspended])
        // The same three people again: all already issued, none twice.
        try issue(level: 2)
        #expect(try registry.allCertificates().count == 6)
        // And the database itself still refuses a second live certificate.
        var twin = try #require(try registry.liveCertificate(citizenID: BatchCommandTests.citizenID(0)))
        twin.licenseID += "9"
        twin.statusIndex = 1_000
        #expect(throws: RegistryError.self) { _ = try registry.storeIssued([(twin, nil)]) }
    }
}
