import Foundation
import Testing
import ZhucanIdentifiers
import ZhucanTesting

@Suite("Citizen ID number (GB 11643-1999)")
struct CitizenIDNumberTests {
    static let workedExamples = ["360426199101010071", "360121197011210013"]
    // Valid numbers with an X check character, computed independently.
    static let withX = ["33048219850612000X", "33048219000101001X"]

    @Test("PRODUCT.md worked examples validate", arguments: workedExamples)
    func workedExample(_ string: String) throws {
        let id = try CitizenIDNumber(string, asOf: testToday)
        #expect(id.value == string)
        #expect(try CitizenIDNumber(string).value == string)  // with today's clock
        #expect(try CitizenIDNumber.checkCharacter(for: String(string.prefix(17))) == string.last)
    }

    @Test func partsOfFirstExample() throws {
        let id = try CitizenIDNumber("360426199101010071", asOf: testToday)
        #expect(id.regionCode == "360426")
        #expect(id.region.provinceName == "江西省")
        #expect(id.birthDate == CivilDate(fixed: 1991, 1, 1))
        #expect(id.sequence == 7)
        #expect(id.sex == .male)
        #expect(id.checkCharacter == "1")
        #expect(id.masked == "3604**********0071")
        #expect(id.birthDate.age(on: testToday) == 34)
    }

    @Test func partsOfSecondExample() throws {
        let id = try CitizenIDNumber("360121197011210013", asOf: testToday)
        #expect(id.regionCode == "360121")
        #expect(id.birthDate.description == "1970-11-21")
        #expect(id.sex == .male)
        #expect(id.masked == "3601**********0013")
    }

    @Test func evenSequenceIsFemale() throws {
        let id = try CitizenIDNumber("33048219850612000X", asOf: testToday)
        #expect(id.sex == .female)
        #expect(id.checkCharacter == "X")
    }

    @Test("lower-case x is accepted and normalised", arguments: withX)
    func lowerCaseX(_ string: String) throws {
        let lower = String(string.dropLast()) + "x"
        let id = try CitizenIDNumber(lower, asOf: testToday)
        #expect(id.value == string)
        #expect(id == (try CitizenIDNumber(string, asOf: testToday)))
    }

    @Test("ordinal orders and tells numbers apart as their text does, X checks included")
    func ordinalOrdersAsText() throws {
        var random = SplitMix64(seed: 11)
        let regions = ["110101", "330482", "360426", "659001"]
        var ids = try (0..<3_000).map { _ in
            try CitizenIDNumber(
                region: RegionCode(household: regions[Int(random.next() % 4)]),
                birthDate: CivilDate(fixed: 1900 + Int(random.next() % 120), 1 + Int(random.next() % 12), 1 + Int(random.next() % 28)),
                sequence: Int(random.next() % 1_000), asOf: testToday)
        }
        ids += try (Self.withX + Self.workedExamples).map { try CitizenIDNumber($0, asOf: testToday) }
        #expect(ids.contains { $0.checkCharacter == "X" })
        #expect(ids.sorted { $0.ordinal < $1.ordinal }.map(\.value) == ids.map(\.value).sorted())
        #expect(Set(ids.map(\.ordinal)).count == Set(ids.map(\.value)).count)
        // The first 17 digits, then the check character, X as 10.
        #expect(try CitizenIDNumber("33048219850612000X", asOf: testToday).ordinal == 33_048_219_850_612_000 * 11 + 10)
        #expect(try CitizenIDNumber("360426199101010071", asOf: testToday).ordinal == 36_042_619_910_101_007 * 11 + 1)
    }

    @Test func descriptionIsMaskedAndValueIsClear() throws {
        let id = try CitizenIDNumber("360426199101010071", asOf: testToday)
        let interpolated = "holder \(id)"
        #expect(interpolated == "holder 3604**********0071")
        #expect(!interpolated.contains("360426199101010071"))
        #expect(!String(reflecting: id).contains("19910101"))
        var dumped = ""
        dump(id, to: &dumped)
        #expect(!dumped.contains("19910101"))
        #expect(id.value == "360426199101010071")
    }

    @Test func codableCarriesTheClearNumber() throws {
        let id = try CitizenIDNumber("360121197011210013", asOf: testToday)
        #expect(try jsonText(id) == #"["360121197011210013"]"#)
        #expect(try jsonRoundTrip(id) == id)
        let bad = Data(#"["360121197011210014"]"#.utf8)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([CitizenIDNumber].self, from: bad) }
    }

    @Test("every single-character substitution is rejected",
          arguments: workedExamples + withX)
    func singleSubstitutionsAreCaught(_ string: String) {
        let variants = singleSubstitutions(of: string, alphabet: "0123456789X")
        #expect(variants.count == 18 * 10)
        var caught = 0
        for (position, variant) in variants {
            if (try? CitizenIDNumber(variant, asOf: testToday)) == nil {
                caught += 1
            } else {
                Issue.record("substitution at position \(position) accepted")
            }
        }
        // ISO 7064 MOD 11-2 detects every single substitution.
        #expect(caught == variants.count)
    }

    @Test("every adjacent transposition is rejected", arguments: workedExamples + withX)
    func transpositionsAreCaught(_ string: String) {
        let variants = adjacentTranspositions(of: string)
        #expect(!variants.isEmpty)
        var caught = 0
        for (position, variant) in variants {
            if (try? CitizenIDNumber(variant, asOf: testToday)) == nil {
                caught += 1
            } else {
                Issue.record("transposition at position \(position) accepted")
            }
        }
        #expect(caught == variants.count)
    }

    @Test func substitutionsInTheCheckCharacterNameTheExpectedOne() {
        let error = identifierError { () throws(IdentifierError) in
            _ = try CitizenIDNumber("360426199101010072", asOf: testToday)
        }
        #expect(error?.code == .badCheckCharacter)
        #expect(error?.reason.contains("expected '1'") == true)
        #expect(error?.reason.contains("position 18") == true)
    }

    @Test func generatedNumbersValidateAndRoundTrip() throws {
        var generator = SplitMix64(seed: 11643)
        let provinces = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                         50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82]
        var transpositionsChecked = 0
        for _ in 0..<500 {
            let province = provinces.randomElement(using: &generator)!
            let region = String(province) + String(format: "%04d", Int.random(in: 0...9999, using: &generator))
            let year = Int.random(in: 1900...2025, using: &generator)
            let month = Int.random(in: 1...12, using: &generator)
            let day = Int.random(in: 1...CivilDate.daysInMonth(year: year, month: month), using: &generator)
            guard CivilDate(fixed: year, month, day) <= testToday else { continue }
            let sequence = Int.random(in: 0...999, using: &generator)
            let first17 = region + String(format: "%04d%02d%02d%03d", year, month, day, sequence)
            let string = first17 + String(try CitizenIDNumber.checkCharacter(for: first17))

            let id = try CitizenIDNumber(string, asOf: testToday)
            #expect(id.value == string)
            #expect(id.sex == (sequence % 2 == 1 ? .male : .female))
            #expect(try jsonRoundTrip(id) == id)
            #expect(try CitizenIDNumber(id.value, asOf: testToday) == id)

            let built = try CitizenIDNumber(
                region: RegionCode(region), birthDate: CivilDate(fixed: year, month, day),
                sequence: sequence, asOf: testToday)
            #expect(built == id)

            for (position, variant) in adjacentTranspositions(of: string) {
                transpositionsChecked += 1
                #expect((try? CitizenIDNumber(variant, asOf: testToday)) == nil, "transposition at \(position) of a generated number")
            }
        }
        #expect(transpositionsChecked > 1000)
    }

    /// PRODUCT.md, "Corrections found by review": residence permits of Hong Kong, Macao and
    /// Taiwan residents begin with 81, 82 and 83; 83 was refused.
    @Test("Residence permits of Hong Kong, Macao and Taiwan residents (810000, 820000, 830000)", arguments: ["810000", "820000", "830000"])
    func residencePermits(prefix: String) throws {
        let first17 = prefix + "19900101" + "001"
        let number = first17 + String(try CitizenIDNumber.checkCharacter(for: first17))
        let id = try CitizenIDNumber(number, asOf: testToday)
        #expect(id.region.value == prefix)
        #expect(id.birthDate == CivilDate(fixed: 1990, 1, 1))
        // Not a household region: households are registered at county level.
        #expect(throws: IdentifierError.self) { try RegionCode(household: prefix) }
    }

    @Test func impossibleAndLeapDates() throws {
        // 1999-02-30 does not exist.
        #expect(identifierError { () throws(IdentifierError) in
            _ = try CitizenIDNumber("330482199902300015", asOf: testToday)
        }?.code == .invalidDate)
        // 2000 is a leap year (divisible by 400).
        #expect(try CitizenIDNumber("330482200002290013", asOf: testToday).birthDate == CivilDate(fixed: 2000, 2, 29))
        // 1900 is not (divisible by 100, not by 400).
        #expect(identifierError { () throws(IdentifierError) in
            _ = try CitizenIDNumber("330482190002290017", asOf: testToday)
        }?.code == .invalidDate)
        // The earliest year allowed is 1900.
        #expect(try CitizenIDNumber("33048219000101001X", asOf: testToday).birthDate.year == 1900)
        #expect(identifierError { () throws(IdentifierError) in
            _ = try CitizenIDNumber("330482189912310015", asOf: testToday)
        }?.code == .dateOutOfRange)
    }

    @Test("month and day out of range", arguments: ["00", "13"])
    func badMonth(_ month: String) throws {
        // region(6) + 1999 + month + day 01 + sequence 001
        let candidate = "3304821999" + month + "01001"
        let string = candidate + String(try CitizenIDNumber.checkCharacter(for: candidate))
        let error = identifierError { () throws(IdentifierError) in _ = try CitizenIDNumber(string, asOf: testToday) }
        #expect(error?.code == .invalidDate)
        #expect(error?.reason.contains("positions 11–12") == true)
    }

    @Test func futureBirthDatesAreRejected() throws {
        let tomorrow = "33048220250602001"  // born the day after testToday
        let string = tomorrow + String(try CitizenIDNumber.checkCharacter(for: tomorrow))
        #expect(identifierError { () throws(IdentifierError) in
            _ = try CitizenIDNumber(string, asOf: testToday)
        }?.code == .dateOutOfRange)
        // Born today is allowed; and the same number is valid once that day has come.
        #expect(try CitizenIDNumber(string, asOf: CivilDate(fixed: 2025, 6, 2)).birthDate == CivilDate(fixed: 2025, 6, 2))
        // A birth date far in the future fails against the real clock too.
        let farFuture = "33048220991231001"
        let farString = farFuture + String(try CitizenIDNumber.checkCharacter(for: farFuture))
        #expect(identifierError { () throws(IdentifierError) in _ = try CitizenIDNumber(farString) }?.code == .dateOutOfRange)
        #expect(throws: IdentifierError.dateOutOfRange("")) {
            try CitizenIDNumber(region: .pinghu, birthDate: CivilDate(fixed: 2030, 1, 1), sequence: 1, asOf: testToday)
        }
    }

    @Test("wrong lengths", arguments: ["", "36042619910101007", "3604261991010100711", String(repeating: "1", count: 10_000)])
    func wrongLength(_ string: String) {
        let error = identifierError { () throws(IdentifierError) in _ = try CitizenIDNumber(string, asOf: testToday) }
        #expect(error?.code == .wrongLength)
        #expect(error?.reason.contains("18 characters") == true)
    }

    @Test("bad characters name their position", arguments: [
        ("36042619910101A071", 15),
        ("3604261991010100X1", 17),   // X only in the last position
        ("36042619910101007１", 18),  // full-width digit
        (" 60426199101010071", 1),
        ("36042619910101007\r\n", 18),  // "\r\n" is one Character whose asciiValue is 0x0A
        ("x60426199101010071", 1),
    ])
    func badCharacters(_ string: String, _ position: Int) {
        let error = identifierError { () throws(IdentifierError) in _ = try CitizenIDNumber(string, asOf: testToday) }
        #expect(error?.code == .invalidCharacter)
        #expect(error?.reason.contains("position \(position)") == true)
    }

    @Test("province prefix must exist in GB/T 2260", arguments: ["000000", "100000", "160000", "240000", "380000", "470000", "550000", "660000", "700000", "720000", "800000", "840000", "910000"])
    func badRegion(_ region: String) throws {
        let first17 = region + "19910101007"
        let string = first17 + String(try CitizenIDNumber.checkCharacter(for: first17))
        #expect(identifierError { () throws(IdentifierError) in
            _ = try CitizenIDNumber(string, asOf: testToday)
        }?.code == .invalidRegion)
    }

    @Test func errorReasonsDoNotRepeatTheNumber() {
        for string in ["360426199101010072", "360426199102300071", "990426199101010071", "36042619910101007"] {
            let error = identifierError { () throws(IdentifierError) in _ = try CitizenIDNumber(string, asOf: testToday) }
            #expect(error != nil)
            #expect(error.map { !$0.description.contains("19910101") && !$0.description.contains("3604261") } == true)
        }
    }

    @Test func checkCharacterRejectsBadInput() {
        #expect(throws: IdentifierError.wrongLength("")) { try CitizenIDNumber.checkCharacter(for: "123") }
        #expect(throws: IdentifierError.invalidCharacter("")) { try CitizenIDNumber.checkCharacter(for: "3604261991010100A") }
    }

    @Test func sequenceOutOfRange() {
        #expect(throws: IdentifierError.outOfRange("")) {
            try CitizenIDNumber(region: .pinghu, birthDate: CivilDate(fixed: 1990, 1, 1), sequence: 1000, asOf: testToday)
        }
        #expect(throws: IdentifierError.outOfRange("")) {
            try CitizenIDNumber(region: .pinghu, birthDate: CivilDate(fixed: 1990, 1, 1), sequence: -1, asOf: testToday)
        }
    }

    @Test func validatingInitialiser() {
        #expect(CitizenIDNumber(validating: "360426199101010071") != nil)
        #expect(CitizenIDNumber(validating: "360426199101010070") == nil)
    }
}
