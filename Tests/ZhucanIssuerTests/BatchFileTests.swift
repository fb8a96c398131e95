import Foundation
import Testing
import ZhucanIdentifiers
import ZhucanIssuer
import ZhucanSpreadsheet

/// Builders for batch files with valid, distinct citizen ID numbers.
fileprivate enum BatchFixture {
    /// The validation date of every test, so that results do not depend on the clock.
    static let today: CivilDate = {
        do { return try CivilDate("2025-06-01") } catch { fatalError("bad fixture date") }
    }()

    static let englishHeader = "name,id_number,category,level,region,ssc_card_number,valid_from"

    /// A valid citizen ID number, distinct for each `index` in 0..<1_000_000.
    static func id(_ index: Int) -> String {
        // 50 years × 12 months × 28 days = 16,800 birth dates, then the sequence code.
        let year = 1950 + index % 50
        let month = 1 + (index / 50) % 12
        let day = 1 + (index / 600) % 28
        let sequence = index / 16_800
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: width - digits.count) + digits
        }
        // Sequence codes from 001: real ones never end a number in 000 but by chance.
        let first17 = "330482" + pad(year, 4) + pad(month, 2) + pad(day, 2) + pad(sequence + 1, 3)
        do {
            return first17 + String(try CitizenIDNumber.checkCharacter(for: first17))
        } catch {
            fatalError("bad fixture ID")
        }
    }

    /// `id` with its check character replaced by a wrong one.
    static func idWithBadCheck(_ index: Int) -> String {
        let good = id(index)
        let wrong: Character = good.last == "1" ? "2" : "1"
        return String(good.dropLast()) + String(wrong)
    }

    /// A Chinese name, e.g. 王小明.
    static func name(_ index: Int) -> String {
        let surnames = Array("王李张刘陈杨黄赵吴周")
        let given = Array("小明华红伟芳军静丽强磊敏燕杰娟涛超勇艳")
        return String(surnames[index % surnames.count]) + String(given[(index / 10) % given.count])
            + String(given[(index / 200) % given.count])
    }

    /// One valid row for the English header.
    static func row(_ index: Int) -> String {
        "\(name(index)),\(id(index)),\(1 + index % 7),\(1 + index % 4),330482,,"
    }

    /// The header and `count` good rows, record i on line i + 2, except the lines in
    /// `replaced`, whose rows are made from their record's index.
    static func lines(_ count: Int, replacing replaced: [Int: (Int) -> String]) -> [String] {
        [englishHeader] + (0..<count).map { index in replaced[index + 2]?(index) ?? row(index) }
    }

    static func read(_ text: String) throws -> BatchFile {
        try BatchFile(bytes: Array(text.utf8), asOf: today)
    }

    /// The file-level error reading `text` throws, or `nil`.
    static func error(_ text: String) -> BatchFileError? {
        error(Array(text.utf8))
    }

    static func error(_ bytes: [UInt8]) -> BatchFileError? {
        do {
            _ = try BatchFile(bytes: bytes, asOf: today)
            return nil
        } catch {
            return error
        }
    }
}

@Suite("Batch file: good files")
struct BatchFileGoodTests {
    @Test("English header, every column")
    func englishHeader() throws {
        let text = """
            \(BatchFixture.englishHeader)
            王小明,\(BatchFixture.id(1)),4,2,330482,a12345678,2025-07-01
            李华,\(BatchFixture.id(2)),肢体残疾,二级,330482,,
            张三,\(BatchFixture.id(3).lowercased()),精神,一级,330411,,

            """
        let batch = try BatchFixture.read(text)
        #expect(batch.problems == [])
        #expect(batch.header == BatchFixture.englishHeader.split(separator: ",").map(String.init))
        try #require(batch.rows.count == 3)
        let first = batch.rows[0]
        #expect(first.line == 2)
        #expect(first.name.unmaskedValue == "王小明")
        #expect(first.citizenID.value == BatchFixture.id(1))
        #expect(first.category == .physical)
        #expect(first.level == .two)
        #expect(first.region.value == "330482")
        #expect(first.socialSecurityCard?.value == "A12345678")
        #expect(first.validFrom == (try CivilDate("2025-07-01")))
        #expect(batch.rows[1].category == .physical)
        #expect(batch.rows[1].level == .two)
        #expect(batch.rows[1].socialSecurityCard == nil)
        #expect(batch.rows[1].validFrom == nil)
        #expect(batch.rows[2].category == .mental)
        #expect(batch.rows[2].level == .one)
        #expect(batch.rows[2].region.value == "330411")
        #expect(batch.rows.map(\.line) == [2, 3, 4])
    }

    @Test("Chinese header in another order, with cells padded by spaces")
    func chineseHeader() throws {
        let text = """
            户籍地,残疾等级,姓名,残疾类别,身份证号,有效期起始
            330482,三级,欧阳小明,视力残疾, \(BatchFixture.id(7))\u{3000},
            330482,4, 赵敏 ,7,\(BatchFixture.id(8)),2025-01-01
            """
        let batch = try BatchFixture.read(text)
        #expect(batch.problems == [])
        try #require(batch.rows.count == 2)
        #expect(batch.rows[0].name.unmaskedValue == "欧阳小明")
        #expect(batch.rows[0].category == .visual)
        #expect(batch.rows[0].level == .three)
        #expect(batch.rows[0].citizenID.value == BatchFixture.id(7))
        #expect(batch.rows[1].name.unmaskedValue == "赵敏")
        #expect(batch.rows[1].category == .multiple)
        #expect(batch.rows[1].level == .four)
        #expect(batch.rows[1].validFrom == (try CivilDate("2025-01-01")))
        #expect(batch.rows[1].socialSecurityCard == nil)
    }

    @Test("Header names are case-insensitive, spaces and hyphens read as underscores")
    func headerCase() throws {
        let text = "NAME,ID Number,Category,LEVEL,Region,SSC-Card-Number\n王小明,\(BatchFixture.id(1)),1,1,330482,\n"
        let batch = try BatchFixture.read(text)
        #expect(batch.rows.count == 1)
        #expect(batch.problems == [])
    }

    @Test("A UTF-8 byte order mark is accepted and not part of the first column name")
    func byteOrderMark() throws {
        let text = "\(BatchFixture.englishHeader)\n\(BatchFixture.row(1))\n"
        let batch = try BatchFile(bytes: [0xEF, 0xBB, 0xBF] + Array(text.utf8), asOf: BatchFixture.today)
        #expect(batch.header.first == "name")
        #expect(batch.rows.count == 1)
        #expect(batch.rows.first?.line == 2)
    }

    @Test("CR LF line ends")
    func crlf() throws {
        let text = [BatchFixture.englishHeader, BatchFixture.row(1), BatchFixture.row(2), "bad,row"]
            .joined(separator: "\r\n") + "\r\n"
        let batch = try BatchFixture.read(text)
        #expect(batch.rows.map(\.line) == [2, 3])
        #expect(batch.rows.last?.citizenID.value == BatchFixture.id(2))
        #expect(batch.problems.map(\.line) == [4])
    }

    @Test("A quoted field holds a comma and doubled quotes")
    func quotedComma() throws {
        let text = """
            \(BatchFixture.englishHeader)
            "Wang, Xiaoming",\(BatchFixture.id(1)),4,2,330482,,
            "Li ""Hua\"\"",\(BatchFixture.id(2)),4,2,"330482",,

            """
        let batch = try BatchFixture.read(text)
        #expect(batch.problems == [])
        #expect(batch.rows.map(\.name.unmaskedValue) == ["Wang, Xiaoming", "Li \"Hua\""])
    }

    @Test("Line numbers are physical: blank lines, empty rows and line breaks inside quotes count")
    func physicalLines() throws {
        let text = """

            \(BatchFixture.englishHeader)

            \(BatchFixture.row(1))
            ,,,,,,
            "张三
            ",\(BatchFixture.id(2)),1,1,330482,,
            "李
            四",\(BatchFixture.id(3)),1,1,330482,,
            \(BatchFixture.row(4))
            """
        let batch = try BatchFixture.read(text)
        // Line 1 blank, 2 header, 3 blank, 4 row, 5 empty row, 6–7 a name ending in a line
        // break (trimmed, valid), 8–9 a name with a line break inside (invalid), 10 row.
        #expect(batch.rows.map(\.line) == [4, 6, 10])
        #expect(batch.problems.map(\.line) == [8])
        #expect(batch.problems.first?.reason.hasPrefix("第 8 行 A 列 name：") == true)
    }
}

@Suite("Batch file: row problems")
struct BatchFileRowProblemTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let label: String
        /// The bad row, for the English header.
        let row: String
        /// Fragments the reason must contain.
        let expected: [String]
        var testDescription: String { label }
    }

    static let id = BatchFixture.id(5)

    static let cases: [Case] = [
        Case(label: "bad check character", row: "王小明,\(BatchFixture.idWithBadCheck(5)),4,2,330482,,",
             expected: ["(id_number): bad check character at position 18: expected"]),
        Case(label: "ID too short", row: "王小明,\(id.dropLast()),4,2,330482,,",
             expected: ["(id_number): a citizen ID number has 18 characters, got 17"]),
        Case(label: "15-digit first-generation ID", row: "王小明,330482500101123,4,2,330482,,",
             expected: ["(id_number): a 15-digit first-generation ID number"]),
        Case(label: "ID in scientific notation", row: "王小明,3.30482E+17,4,2,330482,,",
             expected: ["(id_number): the spreadsheet turned the number into scientific notation"]),
        Case(label: "ID with birth date after today", row: "王小明,\(idBornIn2030),4,2,330482,,",
             expected: ["(id_number): the birth date at positions 7–14 is after the validation date"]),
        Case(label: "empty name", row: " ,\(id),4,2,330482,,", expected: ["(name): empty"]),
        Case(label: "name with a zero-width space", row: "王\u{200B}明,\(id),4,2,330482,,",
             expected: ["(name): position 2 contains U+200B"]),
        Case(label: "category out of range", row: "王小明,\(id),8,2,330482,,",
             expected: ["(category): must be 1–7"]),
        Case(label: "unknown category name", row: "王小明,\(id),盲人,2,330482,,",
             expected: ["(category): must be 1–7"]),
        Case(label: "level out of range", row: "王小明,\(id),4,5,330482,,", expected: ["(level): must be 1–4"]),
        Case(label: "unknown level name", row: "王小明,\(id),4,五级,330482,,", expected: ["(level): must be 1–4"]),
        Case(label: "empty level", row: "王小明,\(id),4,,330482,,", expected: ["(level): empty"]),
        Case(label: "region not six digits", row: "王小明,\(id),4,2,33048,,",
             expected: ["(region): a region code has 6 digits, got 5"]),
        Case(label: "region with no province", row: "王小明,\(id),4,2,990482,,",
             expected: ["(region): positions 1–2 are not a GB/T 2260 province-level code"]),
        Case(label: "bad social-security card number", row: "王小明,\(id),4,2,330482,A1234567#,",
             expected: ["(ssc_card_number): position 9 is '#', not 0–9 or A–Z"]),
        Case(label: "valid_from not a date", row: "王小明,\(id),4,2,330482,,2025-02-30",
             expected: ["(valid_from): day 30 does not exist in that month"]),
        Case(label: "valid_from in another locale's order (2025/7/1 is read; 7/1/2025 is not)", row: "王小明,\(id),4,2,330482,,7/1/2025",
             expected: ["(valid_from): must be yyyy-MM-dd"]),
        Case(label: "valid_from before birth", row: "王小明,\(id),4,2,330482,,1900-01-01",
             expected: ["(valid_from): before the holder's birth date"]),
        Case(label: "valid_from years ahead (past 9989 it stopped the batch midway)", row: "王小明,\(id),4,2,330482,,9995-01-01",
             expected: ["(valid_from): more than a year ahead"]),
        Case(label: "too few fields", row: "王小明,\(id),4,2,330482,",
             expected: ["has 6 fields, the header has 7"]),
        Case(label: "too many fields", row: "王小明,\(id),4,2,330482,,,",
             expected: ["has 8 fields, the header has 7"]),
        Case(label: "every fault in a row is reported", row: "王小明,\(BatchFixture.idWithBadCheck(5)),9,5,330482,,",
             expected: ["(id_number): bad check character", "; 第 3 行 C 列 category：残疾类别无效 / row 3, column C (category): must be 1–7", "; 第 3 行 D 列 level：残疾等级无效"]),
    ]

    static var idBornIn2030: String {
        let first17 = "33048220300101001"
        return first17 + String((try? CitizenIDNumber.checkCharacter(for: first17)) ?? "0")
    }

    @Test("A bad row is a problem on its line, with the column and fault", arguments: cases)
    func badRow(_ testCase: Case) throws {
        let text = [BatchFixture.englishHeader, BatchFixture.row(1), testCase.row, BatchFixture.row(2)]
            .joined(separator: "\n")
        let batch = try BatchFixture.read(text)
        #expect(batch.rows.map(\.line) == [2, 4])
        try #require(batch.problems.count == 1)
        let problem = batch.problems[0]
        #expect(problem.line == 3)
        for fragment in testCase.expected {
            #expect(problem.reason.contains(fragment), "\(problem.reason)")
        }
        #expect(!problem.reason.contains(BatchFixture.id(5)))
        #expect(!problem.reason.contains("王小明"))
        #expect(problem.description == problem.reason)
        #expect(problem.reason.hasPrefix("第 3 行"), "\(problem.reason)")
    }

    @Test("The second row for a citizen ID is a duplicate of the first")
    func duplicatePerson() throws {
        let text = """
            \(BatchFixture.englishHeader)
            \(BatchFixture.row(1))
            \(BatchFixture.row(2))
            李华,\(BatchFixture.id(1)),3,3,330482,,
            """
        let batch = try BatchFixture.read(text)
        #expect(batch.rows.map(\.line) == [2, 3])
        #expect(batch.problems == [BatchRowProblem(line: 4, reason: "第 4 行 B 列 id_number：与第 2 行重复 / row 4, column B (id_number): the same person as row 2")])
    }

    @Test("A duplicate is reported even when the first row is itself invalid")
    func duplicateOfInvalidRow() throws {
        let text = """
            \(BatchFixture.englishHeader)
            王小明,\(BatchFixture.id(1)),4,9,330482,,
            \(BatchFixture.row(1))
            """
        let batch = try BatchFixture.read(text)
        #expect(batch.rows.isEmpty)
        #expect(batch.problems.map(\.line) == [2, 3])
        #expect(batch.problems.last?.reason.hasSuffix("the same person as row 2") == true)
    }

    @Test("A value under an empty header cell is a problem; an empty one is not")
    func unnamedColumn() throws {
        let text = """
            name,id_number,category,level,region,
            \(BatchFixture.row(1).dropLast(1))
            王小明,\(BatchFixture.id(2)),1,1,330482,surprise
            """
        let batch = try BatchFixture.read(text)
        #expect(batch.rows.map(\.line) == [2])
        #expect(batch.problems == [BatchRowProblem(line: 3, reason: "第 3 行 F 列：此列没有表头却有值 / row 3, column F: the column has no header but holds a value")])
    }

    @Test("Reasons name the column as the file's header does")
    func chineseLabels() throws {
        let text = "姓名,身份证号,残疾类别,残疾等级,户籍地\n王小明,\(BatchFixture.id(1)),4,5,330482\n"
        let batch = try BatchFixture.read(text)
        #expect(batch.problems.first?.reason == "第 2 行 D 列 残疾等级：残疾等级无效 / row 2, column D (残疾等级): must be 1–4 or 一级 二级 三级 四级")
    }
}

@Suite("Batch file: a district-sized file")
struct BatchFileLargeTests {
    @Test("10,000 rows with five bad ones, checked on every core: exactly those five lines are reported, duplicates naming the first row")
    func tenThousandRows() throws {
        // Records 0…9999 are on lines 2…10001, checked in slices on every core: each duplicate
        // below is in another slice than its first row, and one first row is itself invalid.
        let lines = BatchFixture.lines(10_000, replacing: [
            300: { "\(BatchFixture.name($0)),\(BatchFixture.id($0)),9,1,330482,," },
            1_234: { "\(BatchFixture.name($0)),\(BatchFixture.idWithBadCheck($0)),1,1,330482,," },
            5_000: { "\(BatchFixture.name($0)),\(BatchFixture.id($0)),0,7,330482,," },
            8_000: { "\(BatchFixture.name($0)),\(BatchFixture.id(298)),1,1,330482,," },
            9_876: { "\(BatchFixture.name($0)),\(BatchFixture.id(17)),1,1,330482,," },
        ])
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("zhucan-batch-\(UUID().uuidString).csv")
        try Data((lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }

        let batch = try BatchFile(contentsOf: url, asOf: BatchFixture.today)

        #expect(batch.problems.map(\.line) == [300, 1_234, 5_000, 8_000, 9_876])
        #expect(batch.rows.count == 9_995)
        #expect(batch.problems[2].reason.contains("(category): must be 1–7"))
        #expect(batch.problems[2].reason.contains("(level): must be 1–4"))
        #expect(batch.problems[3].reason == "第 8000 行 B 列 id_number：与第 300 行重复 / row 8000, column B (id_number): the same person as row 300")
        #expect(batch.problems[4].reason.hasSuffix("the same person as row 19"))
        #expect(batch.rows.allSatisfy { $0.citizenID.value == BatchFixture.id($0.line - 2) })

        // No reason carries a name or a full ID number from the file.
        let secrets = (0..<10_000).flatMap { [BatchFixture.name($0), BatchFixture.id($0)] }
            + [BatchFixture.idWithBadCheck(1_232)]
        for problem in batch.problems {
            #expect(!secrets.contains { problem.reason.contains($0) }, "line \(problem.line)")
            #expect(problem.reason.firstRange(of: /[0-9]{15}/) == nil, "line \(problem.line)")
        }
    }

    @Test("70,000 rows are checked a block at a time: a duplicate and a bad row on either side of a block's edge are reported in file order, and every other row is kept")
    func rowsAcrossBlocks() throws {
        // Records 0…69,999 are on lines 2…70,001; the first block holds records 0…65,535
        // (`RowValidator.blockSize`), so line 65,537 ends it and line 65,538 begins the next.
        let lines = BatchFixture.lines(70_000, replacing: [
            65_537: { "\(BatchFixture.name($0)),\(BatchFixture.id($0)),9,1,330482,," },
            65_538: { "\(BatchFixture.name($0)),\(BatchFixture.id(65_535)),1,1,330482,," },
            69_999: { "\(BatchFixture.name($0)),\(BatchFixture.id(3)),1,1,330482,," },
        ])
        let table = try SpreadsheetTable(bytes: Array((lines.joined(separator: "\n") + "\n").utf8))

        let batch = try BatchFile(table: table, asOf: BatchFixture.today)

        #expect(batch.problems.map(\.line) == [65_537, 65_538, 69_999])
        #expect(batch.problems[1].reason.hasSuffix("the same person as row 65537"))
        #expect(batch.problems[2].reason.hasSuffix("the same person as row 5"))
        #expect(batch.rows.count == 69_997)
        #expect(batch.rows.allSatisfy { $0.citizenID.value == BatchFixture.id($0.line - 2) })
        #expect(zip(batch.rows, batch.rows.dropFirst()).allSatisfy { $0.line < $1.line })
    }

    @Test("100,000 rows: time to read (printed, not asserted)")
    func hundredThousandRows() throws {
        var text = BatchFixture.englishHeader + "\n"
        for index in 0..<100_000 {
            text += BatchFixture.row(index) + "\n"
        }
        let bytes = Array(text.utf8)
        // Wall time depends on the machine's load; CPU time much less so. The rows are checked
        // on every core, so it is the process's.
        func processCPUSeconds() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        let clock = ContinuousClock()
        var batch: BatchFile?
        let cpuStart = processCPUSeconds()
        let elapsed = try clock.measure {
            batch = try BatchFile(bytes: bytes, asOf: BatchFixture.today)
        }
        let cpu = processCPUSeconds() - cpuStart
        print("BatchFile: 100,000 rows (\(bytes.count) bytes) read and validated in \(elapsed) wall, \(cpu) s CPU")
        #expect(batch?.rows.count == 100_000)
        #expect(batch?.problems.isEmpty == true)
    }
}

@Suite("Batch file: file-level errors")
struct BatchFileErrorTests {
    // A column formatted as a number keeps 15 significant digits: about one damaged number in
    // eleven still has a valid check character, and was issued as another, real person.
    @Test("ID numbers a spreadsheet zeroed (…000, the column stored as numbers) refuse the whole file, though some still pass the check; one genuine …000 does not")
    func zeroedIDNumbers() throws {
        let zeroed = (0..<40).map { String(BatchFixture.id($0).prefix(15)) + "000" }
        let text = ([BatchFixture.englishHeader] + zeroed.enumerated().map { "测试\($0.offset),\($0.element),4,2,330482,," }).joined(separator: "\n") + "\n"
        let error = try #require(BatchFixture.error(text))
        #expect(error.code == .damagedNumbers)
        #expect(error.reason.contains("40 ID numbers end in 000 (rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, …)"), "\(error.reason)")
        #expect(error.reason.contains("the spreadsheet stored the column as numbers"), "\(error.reason)")
        #expect(!error.reason.contains(zeroed[0]), "no number is echoed")
        // Two damaged numbers among a hundred, both failing their check: refused too.
        let passing = try #require(zeroed.first { (try? CitizenIDNumber($0)) != nil })
        let failing = zeroed.filter { (try? CitizenIDNumber($0)) == nil }
        let few = BatchFixture.lines(100, replacing: [10: { _ in "测试,\(failing[0]),4,2,330482,," }, 50: { _ in "测试,\(failing[1]),4,2,330482,," }])
        #expect(BatchFixture.error(few.joined(separator: "\n") + "\n")?.code == .damagedNumbers)
        // Three among a hundred that pass their check (3%): read, as chance may have it.
        let valid = (0..<20_000).lazy.map { String(BatchFixture.id($0).prefix(15)) + "000" }.filter { (try? CitizenIDNumber($0)) != nil }.prefix(3)
        let chance = BatchFixture.lines(100, replacing: Dictionary(uniqueKeysWithValues: valid.enumerated().map { index, id in (10 + index * 30, { (_: Int) in "测试,\(id),4,2,330482,," }) }))
        #expect(BatchFixture.error(chance.joined(separator: "\n") + "\n") == nil)
        // The same three among sixty (one in twenty), none failing its check: refused on that
        // arm alone; among sixty-one, read.
        let rows = { (count: Int) in
            BatchFixture.lines(count, replacing: Dictionary(uniqueKeysWithValues: valid.enumerated().map { index, id in (10 + index * 20, { (_: Int) in "测试,\(id),4,2,330482,," }) }))
        }
        let dense = try #require(BatchFixture.error(rows(60).joined(separator: "\n") + "\n"))
        #expect(dense.code == .damagedNumbers)
        #expect(dense.reason.contains("3 ID numbers end in 000 (rows 10, 30, 50), 0 of them with a wrong check character"), "\(dense.reason)")
        #expect(BatchFixture.error(rows(61).joined(separator: "\n") + "\n") == nil)
        // The household import reads ID columns the same way.
        #expect {
            try PersonListFile(table: try SpreadsheetTable(bytes: Array(("身份证号,低保\n" + zeroed.map { "\($0),是" }.joined(separator: "\n")).utf8)),
                               columns: [.init(key: "dibao", chineseName: "低保", kind: .flag)])
        } throws: { ($0 as? BatchFileError)?.code == .damagedNumbers }
        // A genuine number may end in 000: one among forty is read as a row, and one typed wrong
        // alone is a row's problem, not the file's.
        let lines = BatchFixture.lines(40, replacing: [2: { _ in "测试,\(passing),4,2,330482,," }])
        #expect(BatchFixture.error(lines.joined(separator: "\n") + "\n") == nil)
        let typo = BatchFixture.lines(40, replacing: [2: { _ in "测试,\(failing[0]),4,2,330482,," }])
        #expect(BatchFixture.error(typo.joined(separator: "\n") + "\n") == nil)
    }

    @Test("GBK bytes (Excel's plain CSV on Chinese Windows) are read as GB18030")
    func gbk() throws {
        // 张三 and 姓名 in GBK: D5 C5 C8 FD, D0 D5 C3 FB.
        let bytes: [UInt8] = Array("\(BatchFixture.englishHeader)\n".utf8)
            + [0xD5, 0xC5, 0xC8, 0xFD] + Array(",\(BatchFixture.id(1)),4,2,330482,,\n".utf8)
            + [0xD0, 0xD5, 0xC3, 0xFB] + Array(",\(BatchFixture.id(2)),4,2,330482,,\n".utf8)
        let batch = try BatchFile(bytes: bytes, asOf: BatchFixture.today)
        #expect(batch.problems.isEmpty)
        #expect(batch.rows.map(\.name.unmaskedValue) == ["张三", "姓名"])
    }

    @Test("UTF-8 with one pasted GBK character is refused naming its line, not converted (every name would turn into others)")
    func mixedEncodings() throws {
        // 张伟 in UTF-8 on two rows, then a GBK middle dot (A1 A4) in a third name.
        let bytes: [UInt8] = Array("\(BatchFixture.englishHeader)\n张伟,\(BatchFixture.id(1)),4,2,330482,,\n张伟,\(BatchFixture.id(2)),4,2,330482,,\n".utf8)
            + Array("买买提".utf8) + [0xA1, 0xA4] + Array("艾力,\(BatchFixture.id(3)),4,2,330482,,\n".utf8)
        let error = try #require(BatchFixture.error(bytes))
        #expect(error.code == .notUTF8)
        #expect(error.reason.contains("line 4 holds bytes of another encoding"), "\(error.reason)")
    }

    @Test("A four-byte GB18030 character (a rare name character) is read")
    func gb18030FourBytes() throws {
        // U+3400 㐀 is 81 39 EE 39 in GB 18030-2005; 张 is D5 C5.
        let bytes: [UInt8] = Array("\(BatchFixture.englishHeader)\n".utf8)
            + [0xD5, 0xC5, 0x81, 0x39, 0xEE, 0x39] + Array(",\(BatchFixture.id(1)),4,2,330482,,\n".utf8)
        let batch = try BatchFile(bytes: bytes, asOf: BatchFixture.today)
        #expect(batch.rows.first?.name.unmaskedValue == "张\u{3400}")
    }

    @Test("Bytes that are neither UTF-8 nor GB18030 are refused, naming the line")
    func notGBK() throws {
        let bytes: [UInt8] = Array("name,".utf8) + [0x80, 0x2C, 0xFF, 0x0A, 0xC0, 0x20]
        let error = try #require(BatchFixture.error(bytes))
        #expect(error.code == .notUTF8)
        #expect(error.reason.contains("neither UTF-8 nor GB18030"))
        #expect(error.reason.contains("第 1 行"))
    }

    @Test("UTF-16 (Excel's Unicode Text) is refused as not UTF-8")
    func utf16() throws {
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in "name\tid_number\n".utf16 {
            bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        let error = try #require(BatchFixture.error(bytes))
        #expect(error.code == .notUTF8)
        #expect(error.reason.contains("UTF-16"))
    }

    @Test("An unknown column is refused by name")
    func unknownColumn() throws {
        let error = try #require(BatchFixture.error(
            "name,id_number,category,level,region,电话\n王小明,\(BatchFixture.id(1)),4,2,330482,138\n"))
        #expect(error.code == .unknownColumn)
        #expect(error.reason.contains("\"电话\""))
        #expect(error.reason.hasPrefix("第 1 行有未知的列 \"电话\""), "in Chinese first: \(error.reason)")
    }

    @Test("A missing required column is refused by name")
    func missingColumn() throws {
        let error = try #require(BatchFixture.error("姓名,身份证号,残疾类别,户籍地\n"))
        #expect(error.code == .missingColumn)
        #expect(error.reason.contains("level (残疾等级)"))
        #expect(error.reason.hasPrefix("第 1 行表头缺少必需的列 残疾等级 / "), "in Chinese first: \(error.reason)")
    }

    @Test("A column named twice, in English and Chinese, is refused")
    func duplicateColumn() throws {
        let error = try #require(BatchFixture.error("name,id_number,category,level,region,姓名\n"))
        #expect(error.code == .duplicateColumn)
        #expect(error.reason.contains("columns 1 and 6"))
        #expect(error.reason.hasPrefix("第 1 行第 1 列和第 6 列都是姓名"), "in Chinese first: \(error.reason)")
    }

    @Test("A file without a header is refused without echoing its first line")
    func missingHeader() throws {
        let error = try #require(BatchFixture.error(BatchFixture.row(1) + "\n" + BatchFixture.row(2) + "\n"))
        #expect(error.code == .missingHeader)
        #expect(error.reason.hasPrefix("第 1 行不是表头"), "in Chinese first: \(error.reason)")
        #expect(!error.reason.contains(BatchFixture.id(1)))
        #expect(!error.reason.contains(BatchFixture.name(1)))
    }

    @Test("Empty files are refused", arguments: ["", "\u{FEFF}", "\n\r\n  \n", ",,,\n", "\(BatchFixture.englishHeader)\n\n"])
    func empty(_ text: String) throws {
        let error = try #require(BatchFixture.error(text))
        #expect(error.code == .empty)
    }

    @Test("A file over 256 MiB is refused before parsing")
    func tooLarge() throws {
        let error = try #require(BatchFixture.error([UInt8](repeating: 0x0A, count: BatchFile.maximumSize + 1)))
        #expect(error.code == .tooLarge)
        #expect(error.reason.contains("256 MiB"))
    }

    @Test("A file that cannot be read is refused")
    func unreadable() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zhucan-no-such-\(UUID().uuidString).csv")
        #expect(throws: BatchFileError(code: .unreadable, reason: "")) {
            _ = try BatchFile(contentsOf: url, asOf: BatchFixture.today)
        }
    }
}

@Suite("Batch file: reject file and columns")
struct BatchFileRejectTests {
    @Test("The reject file holds the bad rows with reasons and reads back with the same problems")
    func rejectFileRoundTrip() throws {
        let text = """
            姓名,身份证号,残疾类别,残疾等级,户籍地
            王小明,\(BatchFixture.id(1)),4,5,330482
            "Wang, Li",\(BatchFixture.id(2)),4,2,330482
            李华,\(BatchFixture.idWithBadCheck(3)),4,2,330482
            赵敏,\(BatchFixture.id(4)),4,2
            """
        let batch = try BatchFixture.read(text)
        #expect(batch.rows.map(\.line) == [3])
        // As `zhucan issue --skip-invalid` writes it: a table through SpreadsheetWriter.
        func csv(_ batch: BatchFile) -> String {
            let table = batch.rejectTable()
            return SpreadsheetWriter.csv([table.header] + table.rows)
        }
        let reject = csv(batch)
        #expect(reject.hasPrefix("\u{FEFF}姓名,身份证号,残疾类别,残疾等级,户籍地,reason\r\n"))
        let lines = reject.dropFirst().components(separatedBy: "\r\n")
        #expect(lines.count == 5)  // header, three rows, and the empty string after the last CR LF
        // The reason holds commas, so it is quoted (RFC 4180 §2.6).
        #expect(lines[1] == "王小明,\(BatchFixture.id(1)),4,5,330482,\"第 2 行 D 列 残疾等级：残疾等级无效 / row 2, column D (残疾等级): must be 1–4 or 一级 二级 三级 四级\"")
        #expect(lines[3] == "赵敏,\(BatchFixture.id(4)),4,2,,\"第 5 行有 4 个单元格，表头有 5 个 / row 5 has 4 fields, the header has 5 (a missing comma, or a comma inside a field that is not in double quotes?)\"")

        // Corrected or not, the reject file reads again: its reason column is ignored.
        let again = try BatchFile(bytes: Array(reject.utf8), asOf: BatchFixture.today)
        #expect(again.rows.isEmpty)
        #expect(again.problems.count == 3)
        // The same faults, on the reject file's own rows (2, 3, 4 instead of 2, 4, 5).
        #expect(again.problems.map(\.line) == [2, 3, 4])
        #expect(again.problems[0].reason == batch.problems[0].reason)
        #expect(again.problems[1].reason.hasPrefix("第 3 行 B 列 身份证号：校验位错误 / row 3, column B (身份证号): "))
        #expect(again.problems[1].reason.split(separator: "): ").last == batch.problems[1].reason.split(separator: "): ").last)
        #expect(again.problems[2].reason == "第 4 行 E 列 户籍地：为空 / row 4, column E (户籍地): empty")
        // The reason column is reused, not added a second time.
        #expect(csv(again).dropFirst().components(separatedBy: "\r\n").first == lines[0])
    }

    @Test("Every documented column is readable by both its names")
    func columns() throws {
        let names = BatchFile.columns.map(\.name)
        #expect(names == ["name", "id_number", "category", "level", "region", "ssc_card_number", "valid_from", "reason"])
        #expect(BatchFile.columns.filter(\.isRequired).map(\.chineseName) == ["姓名", "身份证号", "残疾类别", "残疾等级", "户籍地"])
        let english = BatchFile.columns.map(\.name).joined(separator: ",")
        let chinese = BatchFile.columns.map(\.chineseName).joined(separator: ",")
        let row = "王小明,\(BatchFixture.id(1)),4,2,330482,A12345678,2025-07-01,ignored"
        for header in [english, chinese] {
            let batch = try BatchFixture.read(header + "\n" + row + "\n")
            #expect(batch.rows.count == 1, "\(header)")
            #expect(batch.rows.first?.validFrom != nil)
        }
    }
}
