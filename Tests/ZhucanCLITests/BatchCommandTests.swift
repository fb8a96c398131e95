import Foundation
import Testing
import ZhucanRegistry
import ZhucanTesting

/// `zhucan issue --batch` through the built binary: all-or-nothing validation,
/// `--skip-invalid`, and an interrupted batch that is run again.
@Suite("zhucan issue --batch", .serialized)
struct BatchCommandTests {
    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory()
        // Ed25519 keeps the 10,000 signatures of a debug build quick; the batch code is the same.
        let created = try zhucan(["init", "--demo", "--algorithm", "ed25519", "--dir", "ws",
                                  "--keys-dir", TestVectors.projectRoot.appendingPathComponent("keys").path])
        #expect(created.status == 0, "\(created.errorText)")
    }

    func zhucan(_ arguments: [String]) throws -> Shell.Output {
        try ZhucanBinary.run(arguments, in: folder.url)
    }

    /// A valid citizen ID number (GB 11643 MOD 11-2) for person `n`.
    static func citizenID(_ n: Int) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let birth = Calendar(identifier: .gregorian).date(byAdding: .day, value: n / 500, to: Date(timeIntervalSince1970: 0))!
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: birth)
        let body = String(format: "330482%04d%02d%02d%03d", parts.year!, parts.month!, parts.day!, n % 500 + 1)
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }

    /// A CSV of `count` people; `bad` maps a data-row number (0-based) to a broken row.
    static func csv(count: Int, bad: [Int: String] = [:]) -> String {
        var lines = ["name,id_number,category,level,region"]
        for n in 0..<count {
            lines.append(bad[n] ?? "测试\(n),\(citizenID(n)),\(n % 7 + 1),\(n % 4 + 1),330482")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func registry() throws -> Registry {
        try Registry(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
    }

    @Test func aBadRowMeansNothingIsIssued() throws {
        // Data rows 99, 4999 and 8999 are file lines 101, 5001 and 9001.
        let bad = [
            99: "测试99,\(Self.citizenID(99).dropLast())0,1,1,330482",   // wrong check character
            4999: "测试4999,\(Self.citizenID(4999)),9,1,330482",           // category 9
            8999: "测试8999,\(Self.citizenID(8999)),1,1,33048",             // region of 5 digits
        ]
        try Data(Self.csv(count: 10_000, bad: bad).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        let output = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"])
        #expect(output.status == 1)
        let named = output.errorText.split(separator: "\n").filter { $0.hasPrefix("people.csv:") }
        #expect(named.map { $0.split(separator: ":")[1] } == ["101", "5001", "9001"], "\(output.errorText)")
        #expect(!output.errorText.contains(Self.citizenID(4999)), "a full ID number leaked into the output")
        #expect(try registry().allCertificates().isEmpty)

        let skipping = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv", "--skip-invalid"])
        #expect(skipping.status == 0, "\(skipping.errorText)")
        #expect(skipping.text.contains("issued 9997"))
        #expect(try registry().allCertificates().count == 9_997)
        let rejects = try String(contentsOf: folder.url.appendingPathComponent("people.csv.rejected.csv"), encoding: .utf8)
        #expect(rejects.split(whereSeparator: \.isNewline).count == 4)  // header + three rows
    }

    @Test func anInterruptedBatchResumesAndIssuesNobodyTwice() async throws {
        try Data(Self.csv(count: 10_000).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        let process = Process()
        process.executableURL = ZhucanBinary.url
        process.arguments = ["issue", "--dir", "ws", "--batch", "people.csv"]
        process.currentDirectoryURL = folder.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill it (SIGKILL, no chance to clean up) once some chunks are committed.
        let deadline = Date().addingTimeInterval(120)
        while process.isRunning, Date() < deadline, (try? registry().allCertificates().count) ?? 0 < 1_000 {
            try await Task.sleep(for: .milliseconds(50))
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let afterKill = try registry().allCertificates()
        #expect(afterKill.count < 10_000, "the batch finished before it could be interrupted")
        #expect(afterKill.count % 512 == 0, "only whole chunks are committed")

        // Every stored certificate is whole: its signature re-verifies.
        let audit = try zhucan(["audit", "signatures", "--dir", "ws"])
        #expect(audit.status == 0, "\(audit.text)")

        let rerun = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"])
        #expect(rerun.status == 0, "\(rerun.errorText)")
        #expect(rerun.text.contains("already issued \(afterKill.count)"), "\(rerun.text)")
        let all = try registry().allCertificates()
        #expect(all.count == 10_000)
        #expect(Set(all.map(\.citizenID)).count == 10_000, "someone was issued twice")
        #expect(Set(all.map(\.statusIndex)).count == 10_000, "a status index was reused")
    }

    @Test func gbkIsRefusedWithAHint() throws {
        // "姓名" and "张三" in GBK.
        var bytes = Array("name,id_number,category,level,region\n".utf8)
        bytes += [0xD5, 0xC5, 0xC8, 0xFD] + Array(",\(Self.citizenID(1)),4,3,330482\n".utf8)
        try Data(bytes).write(to: folder.url.appendingPathComponent("gbk.csv"))
        let output = try zhucan(["issue", "--dir", "ws", "--batch", "gbk.csv"])
        #expect(output.status == 2)
        #expect(output.errorText.contains("GBK"))
        #expect(output.errorText.contains("iconv"))
    }
}
