import Foundation
import Testing
import ZhucanIdentifiers

@Suite("Person names and masking")
struct PersonNameTests {
    @Test("the same name as another system writes it: middle dots, full-width letters and doubled spaces fold; another name does not")
    func sameName() throws {
        #expect(try PersonName("买买提•艾力").isSame(as: "买买提·艾力"))
        #expect(try PersonName("买买提．艾力").isSame(as: "买买提・艾力"))
        #expect(try PersonName("ＡＬＩ").isSame(as: "ALI"))
        #expect(try PersonName("Ali  Khan").isSame(as: "Ali Khan"))
        #expect(try !PersonName("王小明").isSame(as: "王晓明"))
        #expect(try !PersonName("买买提·艾力").isSame(as: "买买提艾力"))
    }

    @Test("masking", arguments: [
        ("王明", "王*"),
        ("王小明", "王*明"),
        ("欧阳小明", "欧**明"),
        ("欧阳娜娜子", "欧***子"),
        ("王", "*"),
        ("买买提·艾力", "买***力"),
        ("阿卜杜热合曼·买买提", "阿***提"),
        ("Anna Maria Schmidt", "A* S*"),
        ("E\u{301}mile Zola", "E* Z*"),
        ("Wang Xiaoming", "W* X*"),
        ("Alice", "A*"),
        ("Jean-Luc  Picard", "J* P*"),
    ])
    func masking(_ clear: String, _ masked: String) throws {
        let name = try PersonName(clear)
        #expect(name.masked == masked)
        #expect(name.description == masked)
        #expect(name.unmaskedValue == clear)
    }

    @Test("interpolation never shows the clear name", arguments: ["王明", "王小明", "欧阳小明", "Wang Xiaoming", "买买提·艾力"])
    func interpolationIsMasked(_ clear: String) throws {
        let name = try PersonName(clear)
        let logLine = "issued certificate to \(name)"
        #expect(!logLine.contains(clear))
        #expect(!String(describing: name).contains(clear))
        #expect(!String(reflecting: name).contains(clear))
        var dumped = ""
        dump(name, to: &dumped)
        #expect(!dumped.contains(clear))
        #expect(!"\([name])".contains(clear))
    }

    @Test func trimmingAndCodable() throws {
        let name = try PersonName("  王小明\n")
        #expect(name.unmaskedValue == "王小明")
        #expect(try jsonText(name) == #"["王小明"]"#)
        #expect(try jsonRoundTrip(name) == name)
    }

    @Test("rejected names", arguments: [
        ("", "wrongLength"),
        ("   ", "wrongLength"),
        (String(repeating: "王", count: 65), "wrongLength"),
        ("王\n明", "invalidCharacter"),
        ("王\u{0}明", "invalidCharacter"),
        ("王\u{202E}明", "invalidCharacter"),
        ("王\u{200B}明", "invalidCharacter"),
        ("王\u{2028}明", "invalidCharacter"),
        // Plain names (ideographs, middle dots, printable ASCII) are checked by counting:
        // the same limits hold.
        (String(repeating: "A", count: 65), "wrongLength"),
        (String(repeating: "王", count: 64) + " 明", "wrongLength"),
        ("=王明", "invalidCharacter"),
        ("@Wang", "invalidCharacter"),
        ("-1", "invalidCharacter"),
    ])
    func rejected(_ string: String, _ code: String) {
        #expect(identifierError { () throws(IdentifierError) in _ = try PersonName(string) }.map { "\($0.code)" } == code)
    }

    // A name must not be issued with a character an encoding lost; one already stored or
    // signed with it must stay readable (its holder's codes, its verification, the audit).
    @Test("? and U+FFFD are refused in a name entered, and read in a name stored", arguments: ["王?明", "王\u{FFFD}明"])
    func lostCharacters(_ string: String) throws {
        #expect(identifierError { () throws(IdentifierError) in _ = try PersonName(entered: string) }.map { "\($0.code)" } == "invalidCharacter")
        #expect(try PersonName(string).unmaskedValue == string)
    }

    @Test("plain names keep inner spaces and lose outer ones", arguments: [
        ("王 明", "王 明"), (" 王明", "王明"), ("王明  ", "王明"), ("Wang Xiaoming", "Wang Xiaoming"),
        ("买买提·艾力", "买买提·艾力"), (String(repeating: "A", count: 64), String(repeating: "A", count: 64)),
        (String(repeating: "王", count: 64) + "   ", String(repeating: "王", count: 64)),
    ])
    func plainNames(_ string: String, _ kept: String) throws {
        #expect(try PersonName(string).unmaskedValue == kept)
    }

    @Test("a plain name and any other are refused in the same words")
    func plainAndOtherNamesRefusedAlike() {
        func reason(_ string: String) -> String? {
            identifierError { () throws(IdentifierError) in _ = try PersonName(string) }?.reason
        }
        #expect(reason(String(repeating: "王", count: 65)) == reason(String(repeating: "é", count: 65)))
        #expect(reason(String(repeating: "王", count: 65))?.contains("more than 64") == true)
        #expect(reason("=王明") == reason("=王\u{E9}明"))
        #expect(reason("=王明")?.contains("spreadsheet formula") == true)
    }

    @Test func longestNameIsAccepted() throws {
        let name = try PersonName(String(repeating: "王", count: 64))
        #expect(name.masked == "王***王")
        // The longest masked name: four-byte first and last characters (CJK Extension B).
        let extensionB = try PersonName("\u{20000}" + String(repeating: "王", count: 62) + "\u{2A6D6}")
        #expect(extensionB.masked.utf8.count == 11)
    }

    @Test func errorsDoNotRepeatTheName() {
        let error = identifierError { () throws(IdentifierError) in _ = try PersonName("王小\t明") }
        #expect(error?.reason.contains("王小") == false)
        #expect(error?.reason.contains("position 3") == true)
    }
}
