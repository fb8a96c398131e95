import Foundation

/// A certificate holder's name (姓名), which is personal data and masked wherever it is shown.
///
/// A name is trimmed of surrounding white space and must then have 1–64 characters (grapheme
/// clusters), none of them a control (Cc), format (Cf: bidirectional overrides, zero-width
/// characters) or line/paragraph separator (Zl, Zp) character, so that a name cannot forge a
/// log line or reorder text around it. Private-use characters are allowed, because some
/// registries encode rare characters in names (生僻字) there.
///
/// **Privacy.** ``description`` (and so string interpolation, `print`, `String(describing:)`),
/// `debugDescription` and the reflection `dump` uses all give the ``masked`` form. The clear
/// name is only available as ``unmaskedValue`` and through `Codable`, which must carry it.
package struct PersonName: Hashable, Sendable {
    /// The clear, trimmed name. Named so that every use of it is deliberate and greppable.
    package let unmaskedValue: String

    static let maximumLength = 64
    static let maximumBytes = 256

    /// Validates a name.
    ///
    /// - Throws: `wrongLength` (empty after trimming, over 64 characters or over 256 bytes) or
    ///   `invalidCharacter` (a control, format or separator character; a character with more
    ///   than four combining marks; a first character `=`, `+`, `-` or `@`, which spreadsheets
    ///   read as a formula).
    package init(_ string: String) throws(IdentifierError) {
        // A plain name is checked by counting; any other by its characters.
        let plainLength = PersonName.plainLength(string)
        let trimmed = plainLength == nil ? string.trimmingCharacters(in: .whitespacesAndNewlines) : string
        let characters = plainLength == nil ? Array(trimmed.prefix(PersonName.maximumLength + 1)) : []
        let length = plainLength ?? characters.count
        guard (1...PersonName.maximumLength).contains(length) else {
            let got = length > PersonName.maximumLength ? "more than 64" : "0"
            throw .wrongLength("a name has 1–64 characters after trimming, got \(got)")
        }
        if plainLength == nil {
            // A grapheme cluster can be any number of bytes: bound the bytes too (64
            // characters of four bytes each, the size of a CJK Extension B character).
            guard trimmed.utf8.count <= PersonName.maximumBytes else {
                throw .wrongLength("a name has at most \(PersonName.maximumBytes) bytes of UTF-8, got \(trimmed.utf8.count)")
            }
            for (index, character) in characters.enumerated() {
                for scalar in character.unicodeScalars where FreeText.isControl(scalar) {
                    throw .invalidCharacter(
                        "name: position \(index + 1) contains U+\(String(scalar.value, radix: 16, uppercase: true)), a control or format character")
                }
            }
            guard !FreeText.hasCombiningMarkRun(trimmed) else {
                throw .invalidCharacter("name: a character carries more than \(FreeText.maximumCombiningMarks) combining marks, which no real name has")
            }
        }
        // No name starts with these; a spreadsheet would run the name as a formula.
        guard !FreeText.startsLikeFormula(trimmed) else {
            throw .invalidCharacter("name: it starts with \(IdentifierText.describe(trimmed.utf8.first!)), which would make it a spreadsheet formula")
        }
        self.unmaskedValue = trimmed
    }

    /// The number of characters of a plain name, or `nil` for any other text: CJK unified
    /// ideographs, middle dots and printable ASCII, with no space at either end. Such a name
    /// needs no trimming, holds no control, format or separator character and no combining
    /// mark, and each of its code points is a character, so counting them checks it (a batch
    /// of 100,000 rows had spent 0.16 s of CPU looking up their general categories). It is at
    /// most 3 bytes a character: 64 characters are within ``maximumBytes``.
    private static func plainLength(_ string: String) -> Int? {
        var count = 0
        var last: UInt32 = 0x20
        for scalar in string.unicodeScalars {
            switch scalar.value {
            case 0x20 where count == 0: return nil
            case 0x20...0x7E, 0x00B7, 0x4E00...0x9FFF: break
            default: return nil
            }
            last = scalar.value
            count += 1
            if count > maximumLength + 1 { break }
        }
        return count > 0 && last != 0x20 ? count : nil
    }

    /// Validates a name as it is entered, to be issued: as ``init(_:)``, and refusing `?` and
    /// U+FFFD, which stand for a character a file's encoding lost (Excel saves a 生僻字 as `?`
    /// in a GBK CSV file; a decoder puts U+FFFD): the name is no longer the person's. Names
    /// already stored or signed are read with ``init(_:)``, so that a certificate issued with
    /// one stays readable, verifiable and auditable.
    package init(entered string: String) throws(IdentifierError) {
        try self.init(string)
        if let lost = unmaskedValue.unicodeScalars.first(where: { $0 == "?" || $0 == "\u{FFFD}" }) {
            throw .invalidCharacter(
                "name: it holds \(lost == "?" ? "?" : "U+FFFD"), which stands for a character the file's encoding lost (a rare character saved in a GBK CSV file); save the file as .xlsx or as CSV UTF-8")
        }
    }

    /// Whether `other` (a stored name) is this name as another system writes it: compared
    /// after Unicode compatibility folding (NFKC: full-width letters and spaces), with every
    /// middle dot (· ・ • ．) read as U+00B7 and runs of spaces as one. 买买提•艾力 is 买买提·艾力.
    package func isSame(as other: String) -> Bool {
        Self.folded(unmaskedValue) == Self.folded(other)
    }

    private static func folded(_ name: String) -> String {
        // The dots first: NFKC would make the full-width one a full stop.
        var dotted = String.UnicodeScalarView()
        for scalar in name.unicodeScalars {
            switch scalar.value {
            case 0x30FB, 0x2022, 0xFF0E: dotted.append("\u{00B7}")
            default: dotted.append(scalar)
            }
        }
        var out = String.UnicodeScalarView()
        var space = false
        for scalar in String(dotted).precomposedStringWithCompatibilityMapping.unicodeScalars {
            if scalar == " " {
                if !space { out.append(scalar) }
                space = true
            } else {
                out.append(scalar)
                space = false
            }
        }
        return String(out)
    }

    /// Validates a name, returning `nil` when it is not valid.
    package init?(validating string: String) {
        guard let name = try? PersonName(string) else { return nil }
        self = name
    }

    /// The masked name.
    ///
    /// A name written in Chinese characters (optionally with a middle dot, as in transcribed
    /// minority names 买买提·艾力) keeps its first and last characters and masks those in
    /// between with one `*` each, at most three: `王明` → `王*`, `王小明` → `王*明`, `欧阳小明` →
    /// `欧**明`, `买买提·艾力` → `买***力`; a one-character name becomes `*`. Any other name
    /// keeps the initials of its first and last words, each followed by `*`: `Wang Xiaoming` →
    /// `W* X*`, `Anna Maria Schmidt` → `A* S*`. A kept character is its first code point only
    /// (no combining marks), so a masked name is at most 11 bytes of UTF-8 — what a compact
    /// code has room for (Docs/format.md §15) — and says little about the name's length.
    package var masked: String {
        let characters = Array(unmaskedValue)
        func kept(_ character: Character) -> String { character.unicodeScalars.first.map { String($0) } ?? "" }
        if characters.allSatisfy(PersonName.isChineseNameCharacter) {
            switch characters.count {
            case 0, 1:
                return "*"
            case 2:
                return kept(characters[0]) + "*"
            default:
                return kept(characters[0])
                    + String(repeating: "*", count: min(characters.count - 2, PersonName.maximumMaskedStars))
                    + kept(characters[characters.count - 1])
            }
        }
        let words = unmaskedValue.split(whereSeparator: { $0.isWhitespace })
        let initials = ([words.first, words.count > 1 ? words.last : nil] as [Substring?]).compactMap { $0?.first.map(kept) }
        return initials.map { $0 + "*" }.joined(separator: " ")
    }

    /// The most `*` a masked Chinese name shows.
    static let maximumMaskedStars = 3

    /// Whether a character is a CJK ideograph, a private-use character standing in for one,
    /// or the middle dot that separates parts of a transcribed name.
    static func isChineseNameCharacter(_ character: Character) -> Bool {
        guard let scalar = character.unicodeScalars.first else { return false }
        switch scalar.value {
        case 0x3400...0x4DBF,    // CJK Extension A
             0x4E00...0x9FFF,    // CJK Unified Ideographs
             0xF900...0xFAFF,    // CJK Compatibility Ideographs
             0x20000...0x3FFFF,  // CJK Extensions B–I and the compatibility supplement
             0xE000...0xF8FF,    // private use (rare characters in some registries)
             0x3007,             // 〇
             0x00B7, 0x30FB, 0x2022, 0xFF0E:  // middle dots: · ・ • ．
            return true
        default:
            return false
        }
    }
}

extension PersonName: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The ``masked`` form, so that interpolating a name into a log line cannot leak it.
    package var description: String { masked }

    /// The ``masked`` form.
    package var debugDescription: String { "PersonName(\(masked))" }

    /// A mirror showing only the ``masked`` form, so `dump` cannot leak the name.
    package var customMirror: Mirror {
        Mirror(self, children: ["masked": masked], displayStyle: .struct)
    }
}

extension PersonName: Codable {
    /// Decodes the clear name.
    package init(from decoder: any Decoder) throws {
        self = try IdentifierCoding.decode(from: decoder) { (string) throws(IdentifierError) in
            try PersonName(string)
        }
    }

    /// Encodes the clear name.
    package func encode(to encoder: any Encoder) throws {
        try IdentifierCoding.encode(unmaskedValue, to: encoder)
    }
}
