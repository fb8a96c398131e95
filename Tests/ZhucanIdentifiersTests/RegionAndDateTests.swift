import Foundation
import Testing
import ZhucanIdentifiers

@Suite("Region codes (GB/T 2260)")
struct RegionCodeTests {
    @Test func pinghu() throws {
        let code = try RegionCode("330482")
        #expect(code == .pinghu)
        #expect(code.name == "平湖市")
        #expect(code.level == .county)
        #expect(code.prefecture == .jiaxing)
        #expect(code.prefecture?.name == "嘉兴市")
        #expect(code.province == .zhejiang)
        #expect(code.province.name == "浙江省")
        #expect(code.provinceName == "浙江省")
        #expect(RegionCode.jiaxing.level == .prefecture)
        #expect(RegionCode.zhejiang.level == .province)
        #expect(RegionCode.zhejiang.prefecture == nil)
        #expect(try jsonText(code) == #"["330482"]"#)
        #expect(try jsonRoundTrip(code) == code)
    }

    @Test("every province-level prefix is accepted", arguments: [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83,  // 83: Taiwan residents' residence permits
    ])
    func provinces(_ prefix: Int) throws {
        let code = try RegionCode("\(prefix)0000")
        #expect(!code.provinceName.isEmpty)
        #expect(code.name == code.provinceName)
    }

    @Test func everyOtherPrefixIsRejected() {
        let valid: Set = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                          50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83]
        for prefix in 0...99 where !valid.contains(prefix) {
            let string = String(format: "%02d0101", prefix)
            #expect(identifierError { () throws(IdentifierError) in _ = try RegionCode(string) }?.code == .invalidRegion, "\(string)")
        }
    }

    @Test("malformed", arguments: [("33048", "wrongLength"), ("3304821", "wrongLength"), ("33048A", "invalidCharacter"), ("３３0482", "invalidCharacter")])
    func malformed(_ string: String, _ code: String) {
        #expect(identifierError { () throws(IdentifierError) in _ = try RegionCode(string) }.map { "\($0.code)" } == code)
    }
}

@Suite("Civil dates")
struct CivilDateTests {
    @Test func parsingAndPrinting() throws {
        let date = try CivilDate("2000-02-29")
        #expect(date.year == 2000 && date.month == 2 && date.day == 29)
        #expect(date.description == "2000-02-29")
        #expect(try jsonText(date) == #"["2000-02-29"]"#)
        #expect(try jsonRoundTrip(date) == date)
        #expect(CivilDate(fixed: 5, 1, 9).description == "0005-01-09")
        #expect(date.basicFormat == "20000229")
        #expect(CivilDate(fixed: 5, 1, 9).basicFormat == "00050109")
    }

    @Test("invalid dates", arguments: ["1999-02-29", "1900-02-29", "2023-04-31", "2023-13-01", "2023-00-10", "2023-01-00", "0000-01-01", "2023/01/01", "2023-1-01", "20230101"])
    func invalid(_ string: String) {
        #expect(CivilDate(validating: string) == nil)
    }

    @Test func leapYears() {
        #expect(CivilDate.isLeapYear(2000))
        #expect(!CivilDate.isLeapYear(1900))
        #expect(CivilDate.isLeapYear(2024))
        #expect(!CivilDate.isLeapYear(2023))
    }

    @Test func ordering() {
        #expect(CivilDate(fixed: 1999, 12, 31) < CivilDate(fixed: 2000, 1, 1))
        #expect(CivilDate(fixed: 2000, 1, 31) < CivilDate(fixed: 2000, 2, 1))
        #expect(!(CivilDate(fixed: 2000, 2, 1) < CivilDate(fixed: 2000, 2, 1)))
    }

    @Test func ageInCompletedYears() {
        let birth = CivilDate(fixed: 1991, 1, 1)
        #expect(birth.age(on: CivilDate(fixed: 2025, 12, 31)) == 34)
        #expect(birth.age(on: CivilDate(fixed: 2026, 1, 1)) == 35)
        #expect(birth.age(on: CivilDate(fixed: 1991, 1, 1)) == 0)
        #expect(birth.age(on: CivilDate(fixed: 1990, 12, 31)) == -1)
        let leapling = CivilDate(fixed: 2000, 2, 29)
        #expect(leapling.age(on: CivilDate(fixed: 2018, 2, 28)) == 17)
        #expect(leapling.age(on: CivilDate(fixed: 2018, 3, 1)) == 18)
        #expect(leapling.age(on: CivilDate(fixed: 2020, 2, 29)) == 20)
    }

    @Test func fromDateInChinaStandardTime() {
        // 2024-12-31T16:30:00Z is already 2025-01-01 in Beijing.
        let instant = Date(timeIntervalSince1970: 1_735_662_600)
        #expect(CivilDate(instant) == CivilDate(fixed: 2025, 1, 1))
        #expect(CivilDate(instant, in: TimeZone(secondsFromGMT: 0)!) == CivilDate(fixed: 2024, 12, 31))
        #expect(CivilDate.today() > CivilDate(fixed: 2025, 1, 1))
    }
}

@Suite("RegionCode: household regions")
struct HouseholdRegionTests {
    @Test("A household region is county-level; province and prefecture codes are refused, naming the level")
    func countyLevel() throws {
        #expect(try RegionCode(household: "330482").value == "330482")
        #expect(try RegionCode(household: "110105").value == "110105")
        for (code, level) in [("330400", "prefecture"), ("330000", "province"), ("110000", "province")] {
            let error = identifierError { () throws(IdentifierError) in _ = try RegionCode(household: code) }
            #expect(error?.code == .invalidRegion, "\(code)")
            #expect(error?.reason.contains("\(level)-level") == true, "\(code): \(error?.reason ?? "")")
        }
    }
}
