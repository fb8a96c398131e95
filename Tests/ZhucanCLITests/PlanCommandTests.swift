import Foundation
import GRDB
import Testing
import ZhucanSpreadsheet
import ZhucanTesting

/// The plan in its own terms, as a clerk runs it through the binary on a generated county of
/// 20,000 holders whose facts the test knows: import household facts (a 10,000-row `.xlsx` and
/// a GB18030 CSV), see who is newly entitled, record a month's payments, export the list,
/// and print the plan's targets; each figure is computed again here, independently.
@Suite("household import, served import, roster, discover and report plan", .serialized)
struct PlanCommandTests {
    let folder: TemporaryDirectory
    static let judgeDate = "2026-12-01"
    static let holders = 20_000

    init() throws {
        folder = try TemporaryDirectory()
    }

    /// Runs the binary at low priority: the county's 20,000 holders keep a core busy for a
    /// minute, and the suites that measure timeouts (slow clients, node refreshes) run
    /// beside this one.
    func zhucan(_ arguments: [String]) async throws -> Shell.Output {
        try await Shell.runOffPool(["nice", "-n", "15", ZhucanBinary.url.path] + arguments, in: folder.url)
    }

    /// One generated holder: what the test knows about them.
    struct Holder {
        let index: Int
        let id: String
        let category: Int
        let level: Int
        /// Age on ``judgeDate``: birthdays fall in January–November, so ages are exact.
        let age: Int
        var dibao: Bool { index % 5 == 0 }
        var dibaoEdge: Bool { !dibao && index % 7 == 0 }
        var singlePerson: Bool { index % 11 == 0 }
        /// `true`, `false`, or not recorded.
        var employed: Bool? { index % 3 == 0 ? true : (index % 3 == 1 ? false : nil) }
    }

    static let ages = [8, 12, 25, 30, 40, 75, 80]

    static func holder(_ index: Int) -> Holder {
        let age = ages[index % ages.count]
        let month = 1 + (index / ages.count) % 11
        let day = 1 + (index / 77) % 28
        let serial = 1 + (index / 2_156) % 999
        let body = String(format: "330482%04d%02d%02d%03d", 2026 - age, month, day, serial)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return Holder(index: index, id: body + String(Array("10X98765432")[sum % 11]), category: 1 + index % 7, level: 1 + index % 4, age: age)
    }

    static let county = (0..<holders).map(holder)

    /// The household-facts rows of `holders`, with a header; `bad` replaces the ID cell of
    /// the given holder indices with a broken number.
    static func factRows(_ holders: ArraySlice<Holder>, bad: Set<Int> = []) -> [[String]] {
        [["身份证号", "低保家庭", "dibaoEdge", "单人户施保", "在职"]] + holders.map { holder in
            var id = holder.id
            if bad.contains(holder.index) {
                // The check character changed: 第 N 行 A 列 身份证号：校验位错误.
                let check = id.removeLast()
                id.append(check == "1" ? "2" : "1")
            }
            let employed = holder.employed.map { $0 ? "是" : "否" } ?? ""
            return [id, holder.dibao ? "是" : "否", holder.dibaoEdge ? "true" : "false", holder.singlePerson ? "是" : "否", employed]
        }
    }

    func write(_ bytes: [UInt8], _ name: String) throws -> String {
        try Data(bytes).write(to: folder.url.appendingPathComponent(name))
        return name
    }

    /// CSV text converted to GB18030 by iconv (glibc), as Excel's plain "CSV" saves it on
    /// Chinese Windows.
    func writeGB18030(_ rows: [[String]], _ name: String) async throws -> String {
        let utf8 = rows.map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
        let converted = try await Shell.runOffPool(["iconv", "-f", "UTF-8", "-t", "GB18030"], stdin: Data(utf8.utf8))
        try #require(converted.status == 0, "\(converted.errorText)")
        #expect(converted.stdout.count < utf8.utf8.count, "GB18030 is shorter than UTF-8 for Chinese")
        try converted.stdout.write(to: folder.url.appendingPathComponent(name))
        return name
    }

    func json(_ output: Shell.Output) throws -> [String: Any] {
        try #require(output.status == 0, "\(output.text)\(output.errorText)")
        return try #require(try JSONSerialization.jsonObject(with: Data(output.text.utf8)) as? [String: Any], "\(output.text)")
    }

    func database() throws -> DatabaseQueue {
        try DatabaseQueue(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
    }

    /// Entitled holders per benefit from `zhucan catalogue coverage --json`.
    func entitledCounts() async throws -> [String: Int] {
        let coverage = try json(await zhucan(["catalogue", "coverage", "--dir", "ws", "--at", Self.judgeDate, "--json"]))
        var counts = [String: Int]()
        for service in coverage["services"] as? [[String: Any]] ?? [] {
            counts[service["id"] as? String ?? ""] = service["entitled"] as? Int
        }
        return counts
    }

    /// A demo workspace `ws` with the shipped catalogue published, each of `edits` (text, its
    /// replacement) made to it first. Ed25519 keeps the county's 20,000 signatures of a debug
    /// build quick; the issuance code is the same.
    func workspaceWithCatalogue(_ edits: [(String, String)] = []) async throws {
        let created = try await zhucan(["init", "--demo", "--algorithm", "ed25519", "--dir", "ws",
                                        "--keys-dir", TestVectors.projectRoot.appendingPathComponent("keys").path])
        try #require(created.status == 0, "\(created.errorText)")
        let catalogue = try write(Array(try ShippedCatalogue.edited(edits)), "catalogue.json")
        let published = try await zhucan(["catalogue", "publish", "--dir", "ws", "--in", catalogue, "--tests", ShippedCatalogue.testsFile().path])
        try #require(published.status == 0, "\(published.errorText)")
    }

    @Test("a clerk runs the plan on a county of 20,000 holders")
    func theWholePlan() async throws {
        try await workspaceWithCatalogue()
        // Valid from the start of the year: the plan is judged on 2026-12-01.
        let batch = [["姓名", "身份证号", "残疾类别", "残疾等级", "户籍地", "有效期起始"]]
            + Self.county.map { ["测试\($0.index)", $0.id, "\($0.category)", "\($0.level)", "330482", "2026-01-01"] }
        // The batch as a workbook: batch issuance reads .xlsx too.
        let issued = try await zhucan(["issue", "--dir", "ws", "--batch", try write(SpreadsheetWriter.xlsx(batch, sheetName: "批量"), "batch.xlsx")])
        try #require(issued.status == 0, "\(issued.errorText)")
        #expect(issued.text.contains("issued \(Self.holders) "), "\(issued.text)")

        let firstHalf = Self.county[0..<10_000], secondHalf = Self.county[10_000...]
        let before = try await entitledCounts()

        // 1. A 10,000-row workbook with three bad rows: refused, exactly those rows named, nothing written.
        let badXLSX = try write(SpreadsheetWriter.xlsx(Self.factRows(firstHalf, bad: [17, 4_321, 9_998]), sheetName: "低保"), "bad.xlsx")
        let refused = try await zhucan(["household", "import", "--dir", "ws", "--file", badXLSX, "--source", "民政", "--at", Self.judgeDate])
        #expect(refused.status == 2)
        let named = refused.errorText.split(separator: "\n").filter { $0.contains("校验位错误") }
        // Holder k is on sheet row k + 2 (the header is row 1).
        #expect(named.count == 3, "\(refused.errorText)")
        for row in [19, 4_323, 10_000] {
            #expect(refused.errorText.contains("第 \(row) 行 A 列 身份证号：校验位错误"), "row \(row): \(refused.errorText)")
        }
        #expect(refused.errorText.contains("未写入任何数据"))
        #expect(!refused.errorText.contains(Self.county[17].id.prefix(17)), "a refusal never repeats the ID number")
        #expect(try await database().read { try Int.fetchOne($0, sql: "SELECT count(*) FROM household_fact") } == 0)

        // 2. A GB18030 CSV with a bad row and a bad value: refused likewise.
        var badRows = Self.factRows(secondHalf)
        badRows[501][2] = "也许"
        badRows[7_000][0] = "33048219"
        let badCSV = try await writeGB18030(badRows, "bad-gb18030.csv")
        let refusedCSV = try await zhucan(["household", "import", "--dir", "ws", "--file", badCSV, "--at", Self.judgeDate])
        #expect(refusedCSV.status == 2)
        #expect(refusedCSV.errorText.contains("第 502 行 C 列 dibaoEdge：应为“是”或“否”"), "\(refusedCSV.errorText)")
        #expect(refusedCSV.errorText.contains("第 7001 行 A 列 身份证号：位数错误"), "\(refusedCSV.errorText)")
        #expect(refusedCSV.errorText.split(separator: "\n").filter { $0.contains("第 ") }.count == 2, "\(refusedCSV.errorText)")
        #expect(try await database().read { try Int.fetchOne($0, sql: "SELECT count(*) FROM household_fact") } == 0)

        // 3. The good files: the workbook, then the GB18030 CSV.
        let good = try json(await zhucan(["household", "import", "--dir", "ws", "--file", try write(SpreadsheetWriter.xlsx(Self.factRows(firstHalf), sheetName: "低保"), "first.xlsx"),
                                    "--source", "民政局低保名册", "--as-of", "2026-11-30", "--at", Self.judgeDate, "--json"]))
        #expect(good["people"] as? Int == 10_000)
        let goodCSV = try json(await zhucan(["household", "import", "--dir", "ws", "--file", try await writeGB18030(Self.factRows(secondHalf), "second.csv"),
                                       "--source", "民政局低保名册", "--as-of", "2026-11-30", "--at", Self.judgeDate, "--json"]))
        #expect(goodCSV["people"] as? Int == 10_000)
        let after = try await entitledCounts()
        // What the imports report is exactly what they changed in the registry's judgement.
        for report in [good, goodCSV] {
            #expect((report["services"] as? [[String: Any]] ?? []).count == after.count)
        }
        for service in after.keys {
            let changes = [good, goodCSV].flatMap { $0["services"] as? [[String: Any]] ?? [] }.filter { $0["id"] as? String == service }
            let net = changes.reduce(0) { $0 + ($1["newlyEntitled"] as? Int ?? 0) - ($1["noLongerEntitled"] as? Int ?? 0) }
            #expect(net == (after[service] ?? 0) - (before[service] ?? 0), "\(service)")
        }
        // And independently of the engine: the rules of two benefits, counted here.
        let livingSubsidy = Self.county.filter { $0.dibao || $0.singlePerson }
        let edgeAllowance = Self.county.filter { [3, 4].contains($0.level) && $0.dibaoEdge && !$0.singlePerson && $0.age >= 18 }
        func gained(_ service: String) -> Int {
            [good, goodCSV].flatMap { $0["services"] as? [[String: Any]] ?? [] }.filter { $0["id"] as? String == service }
                .reduce(0) { $0 + ($1["newlyEntitled"] as? Int ?? 0) }
        }
        #expect(gained("living-subsidy") == livingSubsidy.count)
        #expect(gained("edge-family-allowance") == edgeAllowance.count)
        #expect(before["living-subsidy"] == 0)

        // 4. The roster: every holder, and as many certified persons again without an e-certificate.
        let others = (Self.holders..<(2 * Self.holders)).map { Self.holder($0).id.replacingOccurrences(of: "330482", with: "330481") }
        let roster = [["身份证号"]] + Self.county.map { [$0.id] } + others.map { [Self.withCheck(String($0.dropLast()))] }
        #expect(try await zhucan(["roster", "import", "--dir", "ws", "--file", try write(Array(SpreadsheetWriter.csv(roster).utf8), "roster.csv")]).status == 0)

        // 5. A month of living-subsidy payments from the finance system, for every third entitled holder.
        let paid = livingSubsidy.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        let payments = [["身份证号", "发放日期", "金额"]] + paid.map { [$0.id, "2026/11/30", "230"] }
        let paymentFile = try write(Array(SpreadsheetWriter.csv(payments).utf8), "payments.csv")
        let served = try json(await zhucan(["served", "import", "--dir", "ws", "--file", paymentFile, "--service", "living-subsidy", "--json"]))
        #expect(served["recorded"] as? Int == paid.count)
        #expect(served["amountFen"] as? Int == paid.count * 23_000)
        let again = try json(await zhucan(["served", "import", "--dir", "ws", "--file", paymentFile, "--service", "living-subsidy", "--json"]))
        #expect(again["recorded"] as? Int == 0, "the same list twice records nothing twice")
        // Served by the end of the day judged: a report of the day before the payments counts none.
        let coverage = { (date: String) async throws -> Int? in
            let report = try self.json(await self.zhucan(["catalogue", "coverage", "--dir", "ws", "--at", date, "--json"]))
            return (report["services"] as? [[String: Any]])?.first { $0["id"] as? String == "living-subsidy" }?["served"] as? Int
        }
        #expect(try await coverage("2026-11-29") == 0)
        #expect(try await coverage("2026-11-30") == paid.count)
        let procedure = try await zhucan(["served", "import", "--dir", "ws", "--file", paymentFile, "--service", "certificate-renewal-transfer"])
        #expect(procedure.status == 2 && procedure.errorText.contains("procedure"), "\(procedure.errorText)")

        // 6. Discover: the entitled and not yet served, unmasked, in a workbook; logged.
        let discovered = try await zhucan(["catalogue", "discover", "--dir", "ws", "--service", "living-subsidy", "--at", Self.judgeDate,
                                     "--out", "contact.xlsx", "--by", "clerk-li", "--purpose", "联系新增低保对象"])
        #expect(discovered.status == 0, "\(discovered.errorText)")
        let list = try SpreadsheetTable(contentsOf: folder.url.appendingPathComponent("contact.xlsx"))
        let expected = Set(livingSubsidy.map(\.id)).subtracting(paid.map(\.id))
        #expect(list.records.count == expected.count + 1)
        #expect(Set(list.records.dropFirst().map { $0.cells[4] }) == expected, "unmasked ID numbers, exactly the unserved")
        let exports = try database().read { try Row.fetchAll($0, sql: "SELECT reason FROM event WHERE kind = 'personal-data-exported'") }
        #expect(exports.count == 1)
        #expect((exports.first?["reason"] as String?)?.contains("clerk-li: 联系新增低保对象 (\(expected.count) rows)") == true)
        let later = try await zhucan(["catalogue", "discover", "--dir", "ws", "--service", "living-subsidy", "--since", "2099-01-01", "--json", "--at", Self.judgeDate])
        #expect((try json(later)["holders"] as? [Any])?.count == 0, "nothing is newly entitled after today")

        // 7. The plan's figures, each computed here too.
        let plan = try json(await zhucan(["report", "plan", "--dir", "ws", "--at", Self.judgeDate, "--json", "--out", "plan.xlsx"]))
        let share = try #require(plan["eCertificateShare"] as? [String: Any])
        #expect(share["numerator"] as? Int == Self.holders && share["denominator"] as? Int == 2 * Self.holders)
        #expect(share["percent"] as? Double == 50 && share["meetsTarget"] as? Bool == true && share["target"] as? Double == 50)
        let workingAge = Self.county.filter { (16..<50).contains($0.age) }
        let employment = try #require(plan["employmentRate"] as? [String: Any])
        #expect(employment["denominator"] as? Int == workingAge.count)
        #expect(employment["numerator"] as? Int == workingAge.filter { $0.employed == true }.count)
        #expect(plan["employmentUnknown"] as? Int == workingAge.filter { $0.employed == nil }.count)
        let subsidy = try #require((plan["services"] as? [[String: Any]])?.first { $0["id"] as? String == "living-subsidy" })
        #expect(subsidy["entitled"] as? Int == livingSubsidy.count && subsidy["served"] as? Int == paid.count)
        #expect(subsidy["target"] as? Double == 99)
        #expect(FileManager.default.fileExists(atPath: folder.path("plan.xlsx")))
    }

    @Test("report plan: working age as the rules read it, graduates' employment, the region's holders only, and a certified-persons count below them refused")
    func employmentFigures() async throws {
        try await workspaceWithCatalogue()
        // On 2026-12-01: a woman of 54 recorded as within working age, employed (the statutory
        // age alone would leave her out); a man of 40, not employed; two graduates of 22, one
        // employed; and a man of 40 registered in another county.
        let woman = Self.withCheck("33048219720301002"), man = Self.withCheck("33048219860301003")
        let graduate = Self.withCheck("33048220040301005"), employedGraduate = Self.withCheck("33048220040302007")
        let elsewhere = Self.withCheck("33048119860301009")
        let batch = [["姓名", "身份证号", "残疾类别", "残疾等级", "户籍地", "有效期起始"]]
            + [woman, man, graduate, employedGraduate].map { ["测试", $0, "4", "3", "330482", "2026-01-01"] }
            + [["测试", elsewhere, "4", "3", "330481", "2026-01-01"]]
        try #require(try await zhucan(["issue", "--dir", "ws", "--batch", try write(Array(SpreadsheetWriter.csv(batch).utf8), "batch.csv")]).status == 0)
        let facts = [["身份证号", "在职", "超过劳动年龄", "应届毕业生"], [woman, "是", "否", ""], [man, "否", "", ""],
                     [graduate, "否", "", "是"], [employedGraduate, "是", "", "是"], [elsewhere, "否", "", ""]]
        let imported = try await zhucan(["household", "import", "--dir", "ws", "--file", try write(Array(SpreadsheetWriter.csv(facts).utf8), "facts.csv"),
                                         "--source", "test", "--at", Self.judgeDate])
        try #require(imported.status == 0, "\(imported.errorText)")

        let plan = try json(await zhucan(["report", "plan", "--dir", "ws", "--at", Self.judgeDate, "--json", "--certified-persons", "4"]))
        let employment = try #require(plan["employmentRate"] as? [String: Any])
        #expect(employment["numerator"] as? Int == 2 && employment["denominator"] as? Int == 4, "\(employment)")
        let graduates = try #require(plan["graduateEmploymentRate"] as? [String: Any])
        #expect(graduates["numerator"] as? Int == 1 && graduates["denominator"] as? Int == 2 && graduates["meetsTarget"] as? Bool == false, "\(graduates)")
        let share = try #require(plan["eCertificateShare"] as? [String: Any])
        #expect(share["numerator"] as? Int == 4, "the other county's holder is not this plan's: \(share)")
        #expect((plan["unmeasured"] as? [[String: Any]])?.count == 2)
        #expect((plan["services"] as? [[String: Any]])?.first { $0["id"] as? String == "graduate-employment-plan" }?["target"] is NSNull,
                "the graduates' target is measured on their employment, not on the plan service's coverage")

        let fewer = try await zhucan(["report", "plan", "--dir", "ws", "--at", Self.judgeDate, "--certified-persons", "3"])
        #expect(fewer.status == 2)
        #expect(fewer.errorText.contains("fewer than the 4 holders"), "\(fewer.errorText)")
        let text = try await zhucan(["report", "plan", "--dir", "ws", "--at", Self.judgeDate, "--certified-persons", "4", "--lang", "en"])
        #expect(text.text.contains("not measured from the registry"), "\(text.text)")
    }

    @Test("served import: each row is a benefit of the catalogue edition in force on its own day, not today's: a payment list of an edition that has ended is recorded, and a day no edition covers is refused, naming its rows")
    func deliveriesFollowTheirDaysEdition() async throws {
        // An edition of the first half of 2026 only: ended, whatever today is.
        try await workspaceWithCatalogue([
            (#""catalogueVersion": "pinghu-2026.5""#, #""catalogueVersion": "pinghu-2026.1""#),
            (#""validUntil": "2026-12-31""#, #""validUntil": "2026-06-30""#),
        ])
        let (person, other) = (Self.withCheck("33048219850315131"), Self.withCheck("33048219850315141"))
        func serve(_ rows: [[String]], _ extra: [String] = []) async throws -> Shell.Output {
            try await zhucan(["served", "import", "--dir", "ws", "--file", try write(Array(SpreadsheetWriter.csv(rows).utf8), "paid.csv"),
                              "--service", "living-subsidy", "--json"] + extra)
        }
        let march = try await serve([["身份证号", "发放日期", "金额"], [person, "2026/03/01", "230"], [other, "2026/04/01", "230"]])
        #expect(march.status == 0, "\(march.errorText)")
        #expect(try json(march)["recorded"] as? Int == 2)
        let before = try await serve([["身份证号", "发放日期", "金额"], [person, "2026/03/02", "230"], [other, "2025/12/01", "230"]])
        #expect(before.status == 2)
        #expect(before.errorText.contains("row 3: no published catalogue is in force on 2025-12-01"), "\(before.errorText)")
        let undated = try await serve([["身份证号"], [person]])
        #expect(undated.status == 2 && undated.errorText.contains("row 2: no published catalogue is in force on"), "\(undated.errorText)")
        #expect(try await serve([["身份证号"], [person]], ["--date", "2026-05-01"]).status == 0)
    }

    @Test("household import: a household is 低保 or 低保-edge, not both; a later 低保 list ends an earlier edge record and its ¥230")
    func dibaoAndEdgeExcludeEachOther() async throws {
        try await workspaceWithCatalogue()
        let person = Self.withCheck("33048219850315131")
        let batch = [["姓名", "身份证号", "残疾类别", "残疾等级", "户籍地", "有效期起始"], ["测试", person, "4", "3", "330482", "2026-01-01"]]
        try #require(try await zhucan(["issue", "--dir", "ws", "--batch", try write(Array(SpreadsheetWriter.csv(batch).utf8), "batch.csv")]).status == 0)
        func entitled() async throws -> Set<String> {
            let answer = try json(await zhucan(["catalogue", "entitlements", "--dir", "ws", "--certificate", person + "43", "--at", Self.judgeDate, "--json"]))
            return Set((answer["services"] as? [[String: Any]] ?? []).filter { $0["entitled"] as? Bool == true }.compactMap { $0["id"] as? String })
        }
        func importFacts(_ rows: [[String]], _ name: String) async throws -> Shell.Output {
            try await zhucan(["household", "import", "--dir", "ws", "--file", try write(Array(SpreadsheetWriter.csv(rows).utf8), name), "--at", Self.judgeDate])
        }

        // Named with the file's other faults, in one pass, by its columns.
        let both = try await importFacts(
            [["身份证号", "低保", "低保边缘", "单人户施保"], [person, "是", "是", "否"], ["330482198503151310", "否", "", ""]], "both.csv")
        #expect(both.status == 2)
        #expect(both.errorText.contains("row 2, columns B (低保), C (低保边缘): both 是: a household is 低保 or 低保-edge, not both"), "\(both.errorText)")
        #expect(both.errorText.contains("row 3, column A (身份证号): the same person as row 2"), "\(both.errorText)")
        #expect(both.errorText.contains("2 bad row(s); nothing was written"), "\(both.errorText)")
        // June: an edge list, without a 低保 column; November: a 低保 list, without an edge column.
        #expect(try await importFacts([["身份证号", "低保边缘", "单人户施保"], [person, "是", "否"]], "edge.csv").status == 0)
        #expect(try await entitled().contains("edge-family-allowance"))
        #expect(try await importFacts([["身份证号", "低保"], [person, "是"]], "dibao.csv").status == 0)
        let now = try await entitled()
        #expect(now.contains("living-subsidy") && !now.contains("edge-family-allowance"), "\(now.sorted())")
        // A payment dated after today (a mistyped year) is refused, naming its row.
        let nextYear = Calendar(identifier: .gregorian).component(.year, from: Date()) + 1
        let payments = [["身份证号", "发放日期", "金额"], [person, "\(nextYear)/12/31", "230"]]
        let future = try await zhucan(["served", "import", "--dir", "ws", "--file", try write(Array(SpreadsheetWriter.csv(payments).utf8), "paid.csv"),
                                       "--service", "living-subsidy"])
        #expect(future.status == 2)
        #expect(future.errorText.contains("row 2: delivered after today"), "\(future.errorText)")
        let undated = try await zhucan(["served", "import", "--dir", "ws", "--file", try write(Array(SpreadsheetWriter.csv([["身份证号"], [person]]).utf8), "undated.csv"),
                                        "--service", "living-subsidy", "--date", "\(nextYear)-12-31"])
        #expect(undated.status == 2 && undated.errorText.contains("after today"), "\(undated.errorText)")
        // Recorded before 低保 and 低保-edge excluded each other: an edge household without a 低保
        // record gets 低保 否 when the registry is opened, and keeps its allowance.
        try await database().write { db in
            try db.execute(sql: "DELETE FROM household_fact WHERE citizen_id = ? AND fact = 'dibao'", arguments: [person])
            try db.execute(sql: "UPDATE household_fact SET value = 1 WHERE citizen_id = ? AND fact = 'dibaoEdge'", arguments: [person])
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '2026-12-05-dibao-excludes-edge'")
        }
        let migrated = try await entitled()
        #expect(migrated.contains("edge-family-allowance"), "\(migrated.sorted())")
        let set = try await zhucan(["household", "--dir", "ws", "--certificate", person + "43", "--set", "dibaoEdge"])
        #expect(set.status == 0, "\(set.errorText)")
        let after = try await entitled()
        #expect(after.contains("edge-family-allowance") && !after.contains("living-subsidy"), "the edge record ends the 低保 one: \(after.sorted())")
    }

    /// `body` (17 characters) with its GB 11643 check character.
    static func withCheck(_ body: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        return body + String(Array("10X98765432")[sum % 11])
    }
}
