import Foundation
import Testing
import ZhucanIdentifiers

@Suite("Disability certificate number, category and level")
struct DisabilityCertificateNumberTests {
    @Test func workedExample() throws {
        let number = try DisabilityCertificateNumber("36012119701121001343", asOf: testToday)
        #expect(number.citizenID.value == "360121197011210013")
        #expect(number.category == .physical)
        #expect(number.category.chineseName == "肢体")
        #expect(number.level == .three)
        #expect(number.level.chineseName == "三级")
        #expect(!number.level.isSevere)
        #expect(number.reissue == nil)
        #expect(number.value == "36012119701121001343")
        #expect(number.description == "36012119701121001343")
        // Neither the category nor the level (the last two characters) shows when masked.
        #expect(number.masked == "3601**************")
        #expect(try DisabilityCertificateNumber("36012119701121001343").value == number.value)
    }

    @Test("reissue suffixes B1…B9", arguments: 1...9)
    func reissue(_ n: Int) throws {
        let number = try DisabilityCertificateNumber("36012119701121001343B\(n)", asOf: testToday)
        #expect(number.reissue == n)
        #expect(number.value == "36012119701121001343B\(n)")
        #expect(number.masked == "3601**************")  // neither category, level nor reissue
        let lower = try DisabilityCertificateNumber("36012119701121001343b\(n)", asOf: testToday)
        #expect(lower.value == number.value)
    }

    @Test("bad suffixes", arguments: ["B0", "B10", "BA", "B", "B99"])
    func badSuffix(_ suffix: String) {
        let error = identifierError { () throws(IdentifierError) in
            _ = try DisabilityCertificateNumber("36012119701121001343" + suffix, asOf: testToday)
        }
        #expect(error?.code == .invalidSuffix)
    }

    @Test("a 21st character other than B is a length error", arguments: ["1", "C1", "A"])
    func notASuffix(_ suffix: String) {
        let error = identifierError { () throws(IdentifierError) in
            _ = try DisabilityCertificateNumber("36012119701121001343" + suffix, asOf: testToday)
        }
        #expect(error?.code == .wrongLength)
    }

    @Test("category digits 0, 8, 9 are rejected", arguments: ["0", "8", "9", "A"])
    func badCategory(_ digit: String) {
        let error = identifierError { () throws(IdentifierError) in
            _ = try DisabilityCertificateNumber("360121197011210013" + digit + "3", asOf: testToday)
        }
        #expect(error?.code == .invalidCategory)
        #expect(error?.reason.contains("position 19") == true)
    }

    @Test("level digits 0, 5, 8 are rejected", arguments: ["0", "5", "8", "X"])
    func badLevel(_ digit: String) {
        let error = identifierError { () throws(IdentifierError) in
            _ = try DisabilityCertificateNumber("3601211970112100134" + digit, asOf: testToday)
        }
        #expect(error?.code == .invalidLevel)
        #expect(error?.reason.contains("position 20") == true)
    }

    @Test func embeddedCitizenIDIsValidated() {
        #expect(identifierError { () throws(IdentifierError) in
            _ = try DisabilityCertificateNumber("36012119701121001443", asOf: testToday)
        }?.code == .badCheckCharacter)
        #expect(identifierError { () throws(IdentifierError) in
            _ = try DisabilityCertificateNumber("3601211970112100134", asOf: testToday)
        }?.code == .wrongLength)
    }

    @Test func lowerCaseXInTheCitizenID() throws {
        let number = try DisabilityCertificateNumber("33048219850612000x71", asOf: testToday)
        #expect(number.value == "33048219850612000X71")
        #expect(number.category == .multiple)
        #expect(number.level == .one)
        #expect(number.level.isSevere)
    }

    @Test func everyCategoryAndLevelBuildsAndParses() throws {
        let id = try CitizenIDNumber("360426199101010071", asOf: testToday)
        for category in DisabilityCategory.allCases {
            for level in DisabilityLevel.allCases {
                for reissue in [nil, 1, 9] as [Int?] {
                    let built = try DisabilityCertificateNumber(citizenID: id, category: category, level: level, reissue: reissue)
                    let parsed = try DisabilityCertificateNumber(built.value, asOf: testToday)
                    #expect(parsed == built)
                    #expect(try jsonRoundTrip(built) == built)
                    #expect(parsed.value.count == (reissue == nil ? 20 : 22))
                }
            }
        }
        #expect(throws: IdentifierError.invalidSuffix("")) {
            try DisabilityCertificateNumber(citizenID: id, category: .mental, level: .two, reissue: 10)
        }
        #expect(throws: IdentifierError.invalidSuffix("")) {
            try DisabilityCertificateNumber(citizenID: id, category: .mental, level: .two, reissue: 0)
        }
    }

    @Test func codableIsTheClearString() throws {
        let number = try DisabilityCertificateNumber("36012119701121001343B2", asOf: testToday)
        #expect(try jsonText(number) == #"["36012119701121001343B2"]"#)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([DisabilityCertificateNumber].self, from: Data(#"["36012119701121001383"]"#.utf8))
        }
    }

    @Test func categoryNames() throws {
        #expect(DisabilityCategory.allCases.map(\.rawValue) == Array(1...7))
        #expect(DisabilityCategory.allCases.map(\.chineseName) == ["视力", "听力", "言语", "肢体", "智力", "精神", "多重"])
        #expect(DisabilityCategory.allCases.map(\.englishName) == ["visual", "hearing", "speech", "physical", "intellectual", "mental", "multiple"])
        #expect(DisabilityCategory.multiple.chineseFullName == "多重残疾")
        #expect(try DisabilityCategory(digit: "4") == .physical)
        #expect(throws: IdentifierError.invalidCategory("")) { try DisabilityCategory(digit: "8") }
        #expect(throws: IdentifierError.invalidCategory("")) { try DisabilityCategory(digit: "0") }
    }

    @Test func levelNames() throws {
        #expect(DisabilityLevel.allCases.map(\.chineseName) == ["一级", "二级", "三级", "四级"])
        #expect(DisabilityLevel.allCases.map(\.isSevere) == [true, true, false, false])
        #expect(DisabilityLevel.one.isMoreSevere(than: .two))
        #expect(!DisabilityLevel.four.isMoreSevere(than: .three))
        #expect(try DisabilityLevel(digit: "2") == .two)
        #expect(throws: IdentifierError.invalidLevel("")) { try DisabilityLevel(digit: "5") }
        #expect(throws: IdentifierError.invalidLevel("")) { try DisabilityLevel(digit: "0") }
        #expect(try jsonText(DisabilityLevel.three) == "[3]")
    }
}
