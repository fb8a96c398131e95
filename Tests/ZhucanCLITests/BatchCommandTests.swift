import Foundation
import GRDB
import Testing
import ZhucanIdentifiers
import ZhucanRegistry
import ZhucanSpreadsheet
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

    /// `zhucan issue --dir ws --batch FILE`, started and left running, its output discarded.
    func startBatch(_ file: String) throws -> Process {
        let process = Process()
        process.executableURL = ZhucanBinary.url
        process.arguments = ["issue", "--dir", "ws", "--batch", file]
        process.currentDirectoryURL = folder.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try Shell.launch(process)
        return process
    }

    func registry() throws -> Registry {
        try Registry(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
    }

    @Test("A batch re-run with corrected names changes nothing, and says how many rows differ, naming masked certificates")
    func rerunWithCorrections() throws {
        try Data(Self.csv(count: 30).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        #expect(try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"]).status == 0)
        let corrected = Self.csv(count: 30).replacingOccurrences(of: "测试1,", with: "测试甲,").replacingOccurrences(of: "测试2,", with: "测试乙,")
        try Data(corrected.utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        let output = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"])
        #expect(output.status == 0, "\(output.errorText)")
        #expect(output.text.contains("already issued 30"), "\(output.text)")
        #expect(output.errorText.contains("note: 2 rows of people already issued differ"), "\(output.errorText)")
        #expect(!output.errorText.contains(Self.citizenID(1)), "no full ID number")
        #expect(try registry().allCertificates().filter { $0.name.hasPrefix("测试甲") }.isEmpty)
    }

    // A clerk sorted the name and category columns alone: every row gave another person's name
    // and category, and the re-run re-issued their certificates under those names.
    @Test("A row of another category or level re-issues only under the holder's own name: one in another name is held back and named, as issue refuses it")
    func reassessmentKeepsTheName() throws {
        try Data(Self.csv(count: 3).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        #expect(try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"]).status == 0)
        // Person 0 re-assessed (level 1 → 4) under their name; person 1's row has person 2's name.
        let rows = Self.csv(count: 3).replacingOccurrences(of: "测试0,\(Self.citizenID(0)),1,1,", with: "测试0,\(Self.citizenID(0)),1,4,")
            .replacingOccurrences(of: "测试1,\(Self.citizenID(1)),2,2,", with: "测试2,\(Self.citizenID(1)),3,3,")
        try Data(rows.utf8).write(to: folder.url.appendingPathComponent("sorted.csv"))
        let output = try zhucan(["issue", "--dir", "ws", "--batch", "sorted.csv"])
        #expect(output.status == 0, "\(output.errorText)")
        #expect(output.text.contains("issued 1 (superseding 1), already issued 1, rejected 0, held back 1"), "\(output.text)")
        #expect(output.errorText.contains("note: 1 rows would re-issue a certificate under another name and were not issued"), "\(output.errorText)")
        #expect(!output.errorText.contains(Self.citizenID(1)), "no full ID number")
        let person1 = try registry().allCertificates().filter { $0.citizenID == Self.citizenID(1) }
        #expect(person1.map(\.name) == ["测试1"] && person1.map(\.state) == [.active], "person 1 keeps their certificate")

        let single = try zhucan(["issue", "--dir", "ws", "--name", "测试2", "--id-number", Self.citizenID(1), "--category", "3", "--level", "3", "--region", "330482"])
        #expect(single.status == 2, "\(single.errorText)")
        #expect(single.errorText.contains("the name differs from this person's certificate"), "\(single.errorText)")
    }

    @Test("A batch that changes the level of a suspended certificate issues nothing for that person, and says so")
    func suspendedCertificatesAreHeld() throws {
        try Data(Self.csv(count: 3).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        #expect(try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"]).status == 0)
        // Person 1 is category 2, level 2 (csv's n % 7 + 1, n % 4 + 1).
        let suspended = Self.citizenID(1) + "22"
        #expect(try zhucan(["suspend", "--dir", "ws", "--certificate", suspended, "--reason", "复核中"]).status == 0)
        let raised = Self.csv(count: 3).replacingOccurrences(of: ",1,1,330482", with: ",1,4,330482")
            .replacingOccurrences(of: ",2,2,330482", with: ",2,4,330482")
        try Data(raised.utf8).write(to: folder.url.appendingPathComponent("people.csv"))

        let output = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"])
        #expect(output.status == 0, "\(output.errorText)")
        #expect(output.text.contains("issued 1 (superseding 1), already issued 1, rejected 0, held back 1"), "\(output.text)")
        #expect(output.errorText.contains("note: 1 rows would replace a suspended certificate and were not issued"), "\(output.errorText)")
        #expect(!output.errorText.contains(Self.citizenID(1)), "no full ID number")
        let person1 = try registry().allCertificates().filter { $0.citizenID == Self.citizenID(1) }
        #expect(person1.map(\.state) == [.suspended], "the suspension stands and nothing replaced it")
    }

    @Test("A social-security card is one person's: a second row with it is a bad row, and a card already on another's certificate is held and named")
    func oneCardOnePerson() throws {
        let header = "name,id_number,category,level,region,ssc_card_number"
        let rows = [header, "测试0,\(Self.citizenID(0)),1,1,330482,A12345678", "测试1,\(Self.citizenID(1)),2,2,330482,A12345678"]
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: folder.url.appendingPathComponent("cards.csv"))
        let refused = try zhucan(["issue", "--dir", "ws", "--batch", "cards.csv"])
        #expect(refused.status == 1)
        #expect(refused.errorText.contains("the same social-security card as row 2: check both rows"), "\(refused.errorText)")
        #expect(!refused.errorText.contains("A12345678"), "masked in messages? the row's own cell is named, not echoed")

        try Data(([header, rows[1]].joined(separator: "\n") + "\n").utf8).write(to: folder.url.appendingPathComponent("first.csv"))
        #expect(try zhucan(["issue", "--dir", "ws", "--batch", "first.csv"]).status == 0)
        try Data(([header, rows[2]].joined(separator: "\n") + "\n").utf8).write(to: folder.url.appendingPathComponent("second.csv"))
        let held = try zhucan(["issue", "--dir", "ws", "--batch", "second.csv"])
        #expect(held.status == 0, "\(held.errorText)")
        #expect(held.text.contains("issued 0 ") && held.text.contains("held back 1"), "\(held.text)")
        #expect(held.errorText.contains("note: 1 rows give a social-security card that is on another person's certificate") && held.errorText.contains("A1*****78"), "\(held.errorText)")
    }

    @Test("A batch file without end (/dev/zero) is refused after the size limit, not read until memory runs out")
    func endlessFile() throws {
        let output = try zhucan(["issue", "--dir", "ws", "--batch", "/dev/zero"])
        #expect(output.status != 0)
        #expect(output.errorText.contains("is larger than"), "\(output.errorText)")
        #expect(try registry().allCertificates().isEmpty)
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
        let named = output.errorText.split(separator: "\n").filter { $0.hasPrefix("people.csv: 第 ") }
        #expect(named.map { $0.split(separator: " ")[2] } == ["101", "5001", "9001"], "\(output.errorText)")
        #expect(!output.errorText.contains(Self.citizenID(4999)), "a full ID number leaked into the output")
        #expect(try registry().allCertificates().isEmpty)

        let skipping = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv", "--skip-invalid"])
        #expect(skipping.status == 0, "\(skipping.errorText)")
        #expect(skipping.text.contains("issued 9997"))
        #expect(try registry().allCertificates().count == 9_997)
        let rejects = try String(contentsOf: folder.url.appendingPathComponent("people.csv.rejected.csv"), encoding: .utf8)
        #expect(rejects.split(whereSeparator: \.isNewline).count == 4)  // header + three rows
    }

    // The reject file is what clerks correct in Excel: as CSV, Excel read its ID numbers as
    // numbers of 15 digits, and the file saved back was refused (the spreadsheet review).
    @Test("--reject-file F.xlsx writes the bad rows as a workbook whose ID numbers stay text, and it reads back with the same problems; a CSV reject file says what Excel does to it")
    func rejectFileAsAWorkbook() throws {
        let bad = [1: "测试1,\(Self.citizenID(1)),9,1,330482", 3: "测试3,\(Self.citizenID(3)),1,1,33048"]
        try Data(Self.csv(count: 5, bad: bad).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        let skipping = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv", "--skip-invalid", "--reject-file", "bad.xlsx"])
        #expect(skipping.status == 0, "\(skipping.errorText)")
        #expect(!skipping.errorText.contains("Excel opens the long numbers"), "\(skipping.errorText)")
        let table = try SpreadsheetTable(bytes: Array(try Data(contentsOf: folder.url.appendingPathComponent("bad.xlsx"))))
        #expect(table.records.map { $0.cells[1] } == ["id_number", Self.citizenID(1), Self.citizenID(3)])
        let again = try zhucan(["issue", "--dir", "ws", "--batch", "bad.xlsx"])
        #expect(again.status == 1)
        #expect(again.errorText.split(separator: "\n").filter { $0.hasPrefix("bad.xlsx: 第 ") }.count == 2, "\(again.errorText)")
        // A workbook's bad rows go to a workbook by default.
        let defaulted = try zhucan(["issue", "--dir", "ws", "--batch", "bad.xlsx", "--skip-invalid"])
        #expect(defaulted.status == 0, "\(defaulted.errorText)")
        #expect(FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("bad.xlsx.rejected.xlsx").path))
        // Another format is refused before the batch is read.
        let count = try registry().allCertificates().count
        let refused = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv", "--skip-invalid", "--reject-file", "bad.txt"])
        #expect(refused.status == 2 && refused.errorText.contains("--reject-file must end in .xlsx (a workbook) or .csv"), "\(refused.errorText)")
        #expect(try registry().allCertificates().count == count)

        try Data(Self.csv(count: 2, bad: [0: "测试0,\(Self.citizenID(0)),9,1,330482"]).utf8).write(to: folder.url.appendingPathComponent("more.csv"))
        let csv = try zhucan(["issue", "--dir", "ws", "--batch", "more.csv", "--skip-invalid"])
        #expect(csv.status == 0, "\(csv.errorText)")
        #expect(csv.errorText.contains("note: Excel opens the long numbers in more.csv.rejected.csv (ID numbers) as numbers of 15 digits"), "\(csv.errorText)")
    }

    @Test("audit signatures over 9,000 certificates, checked a block at a time on every core: each changed certificate is reported, in issuance order")
    func auditFindsChangedCertificatesAcrossBlocks() throws {
        try Data(Self.csv(count: 9_000).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        let issued = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"])
        try #require(issued.status == 0, "\(issued.errorText)")
        let clean = try zhucan(["audit", "signatures", "--dir", "ws"])
        #expect(clean.status == 0, "\(clean.text)")
        #expect(clean.text.contains("9003 checked, 0 failed"), "\(clean.text)")  // and a trust list, two status lists

        // The last character of the code changed (it no longer decodes, or no longer verifies)
        // in the 10th, 4,097th and 9,000th certificates stored: in the first, second and last
        // blocks of 4,096.
        let all = try registry().allCertificates()
        let changed = [all[9], all[4_096], all[8_999]]
        let database = try DatabaseQueue(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
        for certificate in changed {
            let last = certificate.code.last == "A" ? "B" : "A"
            try database.write { db in
                try db.execute(sql: "UPDATE certificate SET code = ? WHERE id = ?", arguments: [certificate.code.dropLast() + last, certificate.id])
            }
        }
        try database.close()
        let audit = try zhucan(["audit", "signatures", "--dir", "ws"])
        #expect(audit.status == 1)
        #expect(audit.text.contains("9003 checked, 3 failed"), "\(audit.text)")
        let failed = audit.text.split(separator: "\n").filter { $0.contains("FAILED certificate") }
        #expect(failed.count == 3)
        for (line, certificate) in zip(failed, changed) {
            #expect(line.contains(certificate.licenseID), "\(line)")
        }
    }

    @Test func anInterruptedBatchResumesAndIssuesNobodyTwice() async throws {
        try Data(Self.csv(count: 10_000).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        let process = try startBatch("people.csv")
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

    @Test("Rows are stored in the order of their citizen IDs, whatever the file's order, so that the index by person grows in place")
    func rowsAreStoredInIDOrder() throws {
        let lines = Self.csv(count: 1_200).split(separator: "\n")
        let reversed = ([lines[0]] + lines.dropFirst().reversed()).joined(separator: "\n") + "\n"
        try Data(reversed.utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        let output = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"])
        #expect(output.status == 0, "\(output.errorText)")
        let stored = try registry().allCertificates().map(\.citizenID)
        #expect(stored.count == 1_200)
        let inOrder = zip(stored, stored.dropFirst()).allSatisfy { $0 < $1 }
        #expect(inOrder, "stored in the file's order, not by citizen ID")
    }

    @Test("a GBK file (Excel's plain CSV on Chinese Windows) is issued, its names read right")
    func gbkIsRead() throws {
        // "张三" in GBK.
        var bytes = Array("name,id_number,category,level,region\n".utf8)
        bytes += [0xD5, 0xC5, 0xC8, 0xFD] + Array(",\(Self.citizenID(1)),4,3,330482\n".utf8)
        try Data(bytes).write(to: folder.url.appendingPathComponent("gbk.csv"))
        let output = try zhucan(["issue", "--dir", "ws", "--batch", "gbk.csv"])
        #expect(output.status == 0, "\(output.errorText)")
        #expect(try registry().allCertificates().map(\.name) == ["张三"])
    }

    // MARK: - Issue #15, items 8 and 9

    /// Runs a batch with `ZHUCAN_FAILPOINT` set, which must kill it (SIGKILL).
    func killedBatch(at failpoint: String) throws {
        let output = try ZhucanBinary.run(["issue", "--dir", "ws", "--batch", "people.csv"], in: folder.url,
                                          environment: ["ZHUCAN_FAILPOINT": failpoint])
        try #require(output.status != 0, "the batch was not killed at \(failpoint)")
    }

    @Test("A re-run after a kill past the last chunk publishes the status list and signs a checkpoint")
    func rerunAfterALateCrashFinishesPublication() throws {
        try Data(Self.csv(count: 1_200).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        let listsBefore = try registry().publications(.statusList).count
        // Chunks of 512: the third and last one is stored, then the process dies.
        try killedBatch(at: "batch.chunk-stored:3")
        #expect(try registry().allCertificates().count == 1_200)
        #expect(try registry().publications(.statusList).count == listsBefore, "published before the kill")
        #expect(try registry().latestCheckpoint()?.size ?? 0 < registry().logSize())

        let rerun = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"])
        #expect(rerun.status == 0, "\(rerun.errorText)")
        #expect(rerun.text.contains("issued 0 (superseding 0), already issued 1200"), "\(rerun.text)")
        #expect(try registry().publications(.statusList).count == listsBefore + 1)
        #expect(try registry().latestCheckpoint()?.size == registry().logSize())
    }

    @Test("A chunk killed after reserving its numbers leaks no status index or serial")
    func killedChunksLeakNoIndexes() throws {
        try Data(Self.csv(count: 3_000).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        // Chunks of 512 are signed up to four ahead of storage: when the sixth chunk has
        // reserved its numbers, the first is stored, and the second to the sixth (signed or
        // being signed) never will be.
        try killedBatch(at: "batch.chunk-reserved:6")
        #expect(try registry().allCertificates().count == 512)
        let rerun = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"])
        #expect(rerun.status == 0, "\(rerun.errorText)")
        let all = try registry().allCertificates()
        #expect(all.count == 3_000)
        #expect(all.map(\.statusIndex).sorted() == Array(0..<3_000), "status indexes leaked")
        let serials = all.map { Int($0.licenseSerial.dropFirst(8))! }.sorted()
        #expect(serials == Array(1...3_000), "serial numbers leaked")
        // GB/T 36904 serials here: the China date of issuance, then a 6-digit counter.
        for certificate in all {
            let day = ChinaTime.date(of: certificate.issuedAt).description.replacingOccurrences(of: "-", with: "")
            #expect(certificate.licenseSerial.count == 14 && certificate.licenseSerial.hasPrefix(day), "\(certificate.licenseSerial)")
        }
    }

    @Test("A registry made before the highest serial used was kept finds it once, and a killed batch still leaks no serial")
    func serialCounterOfAnOlderRegistry() throws {
        try Data(Self.csv(count: 600).utf8).write(to: folder.url.appendingPathComponent("first.csv"))
        #expect(try zhucan(["issue", "--dir", "ws", "--batch", "first.csv"]).status == 0)
        let database = try DatabaseQueue(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
        func used() throws -> Int64? {
            try database.read { try Int64.fetchOne($0, sql: "SELECT next FROM counter WHERE name = 'license_serial_used'") }
        }
        #expect(try used() == 600)
        // As the registry was before the migration that keeps it.
        try database.write { db in
            try db.execute(sql: """
                DELETE FROM counter WHERE name = 'license_serial_used';
                DELETE FROM grdb_migrations WHERE identifier = '2026-12-04-license-serial-used';
                """)
        }
        _ = try registry()
        #expect(try used() == 600, "found among the certificates")

        try Data(Self.csv(count: 3_600).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        try killedBatch(at: "batch.chunk-reserved:6")
        #expect(try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"]).status == 0)
        let all = try registry().allCertificates()
        #expect(all.count == 3_600)
        #expect(all.map { Int($0.licenseSerial.dropFirst(8))! }.sorted() == Array(1...3_600), "serial numbers leaked or reused")
        #expect(try used() == 3_600)
    }

    @Test("A second batch on the same workspace is refused with a clear message while the first runs")
    func oneBatchAtATime() async throws {
        try Data(Self.csv(count: 10_000).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        try Data(Self.csv(count: 10).utf8).write(to: folder.url.appendingPathComponent("few.csv"))
        let first = try startBatch("people.csv")
        defer { if first.isRunning { first.terminate() } }
        // The first holds the lock once it writes its name into the lock file.
        let lockFile = folder.url.appendingPathComponent("ws/issuance.lock").path
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline, !((try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? "").contains("pid") {
            try await Task.sleep(for: .milliseconds(20))
        }
        let second = try zhucan(["issue", "--dir", "ws", "--batch", "few.csv"])
        #expect(first.isRunning, "the first batch ended before the second started")
        #expect(second.status == 1, "\(second.errorText)")
        #expect(second.errorText.contains("another command is changing this workspace (zhucan issue --batch pid \(first.processIdentifier))"),
                "\(second.errorText)")
        #expect(!second.errorText.contains("UNIQUE"), "\(second.errorText)")
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(try registry().allCertificates().count == 10_000)
    }

    // Unlocked, a revoke read the registry for its list while another process published: the
    // latest list could then be one read before the revocation, which stayed valid everywhere.
    @Test("A revocation waits for the issuance lock, and is refused in words, changing nothing, while another process holds it")
    func revocationTakesTheLock() throws {
        let id = Self.citizenID(30_000)
        let issued = try zhucan(["issue", "--dir", "ws", "--name", "王小明", "--id-number", id, "--category", "4", "--level", "3", "--region", "330482"])
        try #require(issued.status == 0, "\(issued.errorText)")
        let number = id + "43"
        let lists = try registry().latestSequences()[.statusList]
        let descriptor = open(folder.url.appendingPathComponent("ws/issuance.lock").path, O_RDWR | O_CREAT, 0o600)
        try #require(descriptor >= 0 && flock(descriptor, LOCK_EX | LOCK_NB) == 0)
        _ = ftruncate(descriptor, 0)
        _ = "a test pid 1\n".withCString { pwrite(descriptor, $0, strlen($0), 0) }
        let refused = try zhucan(["revoke", "--dir", "ws", "--certificate", number, "--reason", "deceased"])
        flock(descriptor, LOCK_UN)
        close(descriptor)
        #expect(refused.status != 0)
        #expect(refused.errorText.contains("another command is changing this workspace (a test pid 1)"), "\(refused.errorText)")
        #expect(try registry().certificate(number: number)?.state == .active)
        #expect(try registry().latestSequences()[.statusList] == lists)

        let revoked = try zhucan(["revoke", "--dir", "ws", "--certificate", number, "--reason", "deceased"])
        #expect(revoked.status == 0, "\(revoked.errorText)")
        #expect(try registry().certificate(number: number)?.state == .revoked)
        #expect(try registry().latestSequences()[.statusList] == lists.map { $0 + 1 })
    }

    @Test("Two processes issuing one person at once: one certificate, and the other told so in words")
    func racingSingleIssuances() async throws {
        for round in 0..<4 {
            let id = Self.citizenID(20_000 + round)
            let outputs = try await withThrowingTaskGroup(of: Shell.Output.self) { group in
                for _ in 0..<2 {
                    group.addTask {
                        try ZhucanBinary.run(["issue", "--dir", "ws", "--name", "王小明", "--id-number", id, "--category", "4",
                                              "--level", "3", "--region", "330482"], in: folder.url)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(outputs.filter { $0.status == 0 }.count == 1, "round \(round)")
            let loser = try #require(outputs.first { $0.status != 0 })
            #expect(loser.status == 1)
            #expect(loser.errorText.contains("already has an active certificate"), "\(loser.errorText)")
            #expect(!loser.errorText.contains("UNIQUE") && !loser.errorText.contains("constraint"), "\(loser.errorText)")
        }
    }
}
