/// Free text that a client or a person types (a lookup's purpose, a reason, a name) and that
/// reaches a log line, a report or a spreadsheet: checks and escapes that keep it from
/// forging lines, reordering text around it, or running as a formula.
package enum FreeText {
    /// Whether `scalar` is a control (Cc), format (Cf: bidirectional overrides, zero-width
    /// characters) or line/paragraph separator (Zl, Zp) character.
    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }

    /// The first control, format or separator character of `text`, if any.
    package static func firstControl(in text: String) -> Unicode.Scalar? {
        // Fast path: printable ASCII has none.
        if text.utf8.allSatisfy({ (0x20..<0x7F).contains($0) }) { return nil }
        return text.unicodeScalars.first(where: isControl)
    }

    /// `text` with every control, format and separator character written as `\n`, `\t`,
    /// `\r` or `\u{XXXX}`, and backslashes doubled, so that one value stays on one line and
    /// says what it held.
    package static func escapingControls(_ text: String) -> String {
        guard firstControl(in: text) != nil || text.utf8.contains(UInt8(ascii: "\\")) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out.append(contentsOf: #"\\"#.unicodeScalars)
            case "\n": out.append(contentsOf: #"\n"#.unicodeScalars)
            case "\r": out.append(contentsOf: #"\r"#.unicodeScalars)
            case "\t": out.append(contentsOf: #"\t"#.unicodeScalars)
            case _ where isControl(scalar):
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The most combining marks (Mn, Mc, Me) one character of a real name or text carries:
    /// Vietnamese stacks two on a letter, Tibetan and Indic scripts a few more.
    package static let maximumCombiningMarks = 4

    /// Whether some character of `text` carries more than ``maximumCombiningMarks`` combining
    /// marks ("Zalgo" text: one letter with thousands of marks is one character, kilobytes long).
    package static func hasCombiningMarkRun(_ text: String) -> Bool {
        var run = 0
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .spacingMark, .enclosingMark:
                run += 1
                if run > maximumCombiningMarks { return true }
            default:
                run = 0
            }
        }
        return false
    }

    /// Characters that make a spreadsheet cell a formula (`=`, `+`, `-`, `@`) or that Excel
    /// strips before reading one (tab, carriage return, line feed) (OWASP, "CSV Injection"),
    /// and their full-width forms (＝ ＋ － ＠), which a Chinese input method types and some
    /// spreadsheets take as the ASCII ones.
    package static func startsLikeFormula(_ text: String) -> Bool {
        switch text.unicodeScalars.first {
        case "=", "+", "-", "@", "\t", "\r", "\n", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}": true
        default: false
        }
    }

    /// `text` as a spreadsheet cell that cannot run: a cell that starts like a formula gets a
    /// leading apostrophe, which spreadsheets read as "text" (OWASP, "CSV Injection").
    package static func neutralisingFormula(_ text: String) -> String {
        startsLikeFormula(text) ? "'" + text : text
    }
}
