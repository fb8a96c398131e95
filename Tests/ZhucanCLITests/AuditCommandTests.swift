import Foundation
import GRDB
import Testing
import ZhucanTesting

/// `zhucan audit signatures` through the built binary: a clean workspace passes, and a
/// certificate changed behind the application's back is found.
@Suite("zhucan audit signatures")
struct AuditCommandTests {
    @Test func findsACertificateChangedInTheDatabase() throws {
        let folder = try TemporaryDirectory()
        func zhucan(_ arguments: [String]) throws -> Shell.Output { try ZhucanBinary.run(arguments, in: folder.url) }
        #expect(try zhucan(["init", "--demo", "--dir", "ws", "--keys-dir", TestVectors.projectRoot.appendingPathComponent("keys").path]).status == 0)
        #expect(try zhucan(["issue", "--dir", "ws", "--name", "王小明", "--id-number", "360121197011210013",
                            "--category", "4", "--level", "3", "--region", "330482"]).status == 0)
        let clean = try zhucan(["audit", "signatures", "--dir", "ws"])
        #expect(clean.status == 0)
        #expect(clean.text.contains("4 checked, 0 failed"), "\(clean.text)")  // 1 certificate, 1 trust list, 2 status lists

        // Re-sign nothing: swap the certificate's code for one signed by a key the workspace never had.
        let database = try DatabaseQueue(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
        let other = try TemporaryDirectory()
        #expect(try ZhucanBinary.run(["init", "--demo", "--algorithm", "es256", "--dir", "ws2",
                                      "--keys-dir", TestVectors.projectRoot.appendingPathComponent("keys").path], in: other.url).status == 0)
        let forged = try ZhucanBinary.run(["issue", "--dir", "ws2", "--name", "王小明", "--id-number", "360121197011210013",
                                           "--category", "4", "--level", "3", "--region", "330482"], in: other.url)
        try database.write { try $0.execute(sql: "UPDATE certificate SET code = ?", arguments: [forged.text.trimmingCharacters(in: .whitespacesAndNewlines)]) }
        let tampered = try zhucan(["audit", "signatures", "--dir", "ws"])
        #expect(tampered.status == 1)
        #expect(tampered.text.contains("FAILED certificate 3601**************"), "\(tampered.text)")
        #expect(tampered.text.contains("unknown_key"))
        #expect(tampered.text.contains("4 checked, 1 failed"))
    }
}
