import Foundation
import Testing
import ZhucanRegistry
import ZhucanServiceStore
import ZhucanTesting
import ZhucanTransparency

/// `Registry.storeIssued`, which stores a batch's chunk: certificates that replace none go in
/// several to a statement, and each keeps its own row id, event and log entry, in order.
@Suite("Storing a chunk of certificates", .serialized)
struct StoreIssuedTests {
    let folder: TemporaryDirectory
    let registry: Registry
    /// A certificate issued through the CLI, the model of the ones stored here.
    let model: StoredCertificate

    init() throws {
        folder = try TemporaryDirectory()
        let created = try ZhucanBinary.run(["init", "--demo", "--algorithm", "ed25519", "--dir", "ws",
                                            "--keys-dir", TestVectors.projectRoot.appendingPathComponent("keys").path], in: folder.url)
        try #require(created.status == 0, "\(created.errorText)")
        let issued = try ZhucanBinary.run(["issue", "--dir", "ws", "--name", "王小明", "--id-number", BatchCommandTests.citizenID(0),
                                           "--category", "1", "--level", "1", "--region", "330482"], in: folder.url)
        try #require(issued.status == 0, "\(issued.errorText)")
        registry = try Registry(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
        model = try #require(try registry.liveCertificate(citizenID: BatchCommandTests.citizenID(0)))
    }

    /// Person `person`'s certificate, numbered apart from every other one made here.
    func certificate(person: Int, level: Int = 1) -> StoredCertificate {
        var certificate = model
        certificate.citizenID = BatchCommandTests.citizenID(person)
        certificate.number = certificate.citizenID + "1\(level)"
        certificate.licenseID = model.licenseID + "-\(person)-\(level)"
        certificate.statusIndex = Int64(1_000 + person * 10 + level)
        certificate.code = "code of \(person) at level \(level)"
        return certificate
    }

    @Test("Forty certificates, one replacing a live one, keep their order, ids, events and log entries")
    func chunkWithAReissue() throws {
        let logBefore = try registry.logSize()
        // Person 0 is re-issued at level 2 between two runs of twenty new people: the runs
        // cross the sixteen rows of one statement.
        let chunk: [(certificate: StoredCertificate, supersedes: Int64?)] =
            (1...20).map { (certificate(person: $0), nil) } + [(certificate(person: 0, level: 2), model.id)]
            + (21...40).map { (certificate(person: $0), nil) }
        let ids = try registry.storeIssued(chunk, reason: "batch")

        #expect(ids.count == 41)
        #expect(ids == ids.sorted() && Set(ids).count == 41)
        for (id, stored) in zip(ids, chunk) {
            var expected = stored.certificate
            expected.id = id
            #expect(try registry.certificate(id: id) == expected)
            #expect(try registry.events(certificateID: id).map(\.kind) == ["issued"])
        }
        #expect(try registry.certificate(id: model.id)?.state == .superseded)
        #expect(try registry.events(certificateID: model.id).map(\.kind) == ["issued", "superseded"])

        // The log: each certificate's issuance in order, the supersession just before the
        // certificate that caused it, and the tree covering every entry.
        let records = try registry.logEntries(in: logBefore..<registry.logSize()).map { try LogRecord(encoded: $0.data) }
        let expected = chunk[..<20].map { "issued \($0.certificate.licenseID)" }
            + ["superseded \(model.licenseID) by \(chunk[20].certificate.licenseID)",
               "issued \(chunk[20].certificate.licenseID) over \(model.licenseID)"]
            + chunk[21...].map { "issued \($0.certificate.licenseID)" }
        #expect(records.map { record in
            switch (record.event, record.otherLicenseID) {
            case (.superseded, let other?): "superseded \(record.licenseID ?? "") by \(other)"
            case (.issued, let other?): "issued \(record.licenseID ?? "") over \(other)"
            default: "\(record.event.rawValue) \(record.licenseID ?? "")"
            }
        } == expected)
        #expect(records.filter { $0.event == .issued }.map(\.object) == chunk.map(\.certificate.code))
        #expect(try registry.logEntryCount() == registry.logSize())
        #expect(try registry.logEntries(in: logBefore..<registry.logSize()).allSatisfy { $0.leafHash == MerkleTree.leafHash($0.data) })
    }

    @Test("A certificate the registry refuses in the middle of a statement stores nothing of the chunk")
    func refusedRowStoresNothing() throws {
        let certificatesBefore = try registry.allCertificates().count
        let logBefore = try registry.logSize()
        var chunk = (1...40).map { (certificate: certificate(person: $0), supersedes: Int64?.none) }
        // The 30th takes the 5th's status index: the second statement fails on its 14th row.
        chunk[29].certificate.statusIndex = chunk[4].certificate.statusIndex
        #expect {
            _ = try registry.storeIssued(chunk, reason: "batch")
        } throws: { error in
            (error as? RegistryError)?.code == .conflict
        }
        #expect(try registry.allCertificates().count == certificatesBefore)
        #expect(try registry.logSize() == logBefore)
        #expect(try registry.logEntryCount() == logBefore)

        // The registry is still usable, and the same chunk without the fault is stored whole.
        chunk[29].certificate.statusIndex = 5_000
        #expect(try registry.storeIssued(chunk, reason: "batch").count == 40)
        #expect(try registry.logSize() == logBefore + 40)
    }
}
