/// An error thrown when a string is not a valid identifier of the kind asked for.
///
/// The ``code`` says what kind of fault it is; the ``reason`` names the field, the 1-based
/// character position and, for a check character, the expected value. Reasons never repeat the
/// input: identifiers such as citizen ID numbers are personal data, and error messages end up
/// in logs. Equality and hashing consider only the ``code``, so tests can compare against
/// `IdentifierError(code: .badCheckCharacter)`-style values built with the static factories.
package struct IdentifierError: Error, Hashable, CustomStringConvertible {
    /// The kind of fault.
    package let code: Code

    /// A human explanation in English, naming the field and position; never the input itself.
    package let reason: String

    /// The source file that raised the error.
    package let file: String

    /// The source line that raised the error.
    package let line: UInt

    /// Creates an error; prefer the static factories, which name the code.
    package init(code: Code, reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    /// `IdentifierError.<code>: <reason> <file>:<line>`.
    package var description: String {
        "IdentifierError.\(code): \(reason) \(file):\(line)"
    }

    /// Equal when the codes are equal; as in swift-asn1's ASN1Error, reason and source
    /// location are ignored.
    package static func == (lhs: IdentifierError, rhs: IdentifierError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistent with `==`.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

extension IdentifierError {
    /// The string has the wrong number of characters.
    @inline(never)
    package static func wrongLength(_ reason: String, file: String = #fileID, line: UInt = #line) -> IdentifierError {
        IdentifierError(code: .wrongLength, reason: reason, file: file, line: line)
    }

    /// A character is not allowed at its position.
    @inline(never)
    package static func invalidCharacter(_ reason: String, file: String = #fileID, line: UInt = #line) -> IdentifierError {
        IdentifierError(code: .invalidCharacter, reason: reason, file: file, line: line)
    }

    /// The check character does not match the one computed from the other characters.
    @inline(never)
    package static func badCheckCharacter(_ reason: String, file: String = #fileID, line: UInt = #line) -> IdentifierError {
        IdentifierError(code: .badCheckCharacter, reason: reason, file: file, line: line)
    }

    /// A date is not a real Gregorian calendar date.
    @inline(never)
    package static func invalidDate(_ reason: String, file: String = #fileID, line: UInt = #line) -> IdentifierError {
        IdentifierError(code: .invalidDate, reason: reason, file: file, line: line)
    }

    /// A real date outside the range allowed (a birth date before 1900 or in the future).
    @inline(never)
    package static func dateOutOfRange(_ reason: String, file: String = #fileID, line: UInt = #line) -> IdentifierError {
        IdentifierError(code: .dateOutOfRange, reason: reason, file: file, line: line)
    }

    /// A region code is not a GB/T 2260 code with a province-level prefix.
    @inline(never)
    package static func invalidRegion(_ reason: String, file: String = #fileID, line: UInt = #line) -> IdentifierError {
        IdentifierError(code: .invalidRegion, reason: reason, file: file, line: line)
    }

    /// A disability category digit is not 1–7 (GB/T 26341-2010).
    @inline(never)
    package static func invalidCategory(_ reason: String, file: String = #fileID, line: UInt = #line) -> IdentifierError {
        IdentifierError(code: .invalidCategory, reason: reason, file: file, line: line)
    }

    /// A disability level digit is not 1–4 (GB/T 26341-2010).
    @inline(never)
    package static func invalidLevel(_ reason: String, file: String = #fileID, line: UInt = #line) -> IdentifierError {
        IdentifierError(code: .invalidLevel, reason: reason, file: file, line: line)
    }

    /// A reissue suffix is not `B1`…`B9`.
    @inline(never)
    package static func invalidSuffix(_ reason: String, file: String = #fileID, line: UInt = #line) -> IdentifierError {
        IdentifierError(code: .invalidSuffix, reason: reason, file: file, line: line)
    }

    /// The string does not have the structure required (a fixed prefix, separators, fields).
    @inline(never)
    package static func invalidFormat(_ reason: String, file: String = #fileID, line: UInt = #line) -> IdentifierError {
        IdentifierError(code: .invalidFormat, reason: reason, file: file, line: line)
    }

    /// A number given to build an identifier is outside its range (a sequence, a version).
    @inline(never)
    package static func outOfRange(_ reason: String, file: String = #fileID, line: UInt = #line) -> IdentifierError {
        IdentifierError(code: .outOfRange, reason: reason, file: file, line: line)
    }
}

extension IdentifierError {
    /// The kind of an ``IdentifierError``; a struct so that new kinds can be added without
    /// breaking exhaustive switches in client code.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: Hashable, Sendable {
            case wrongLength
            case invalidCharacter
            case badCheckCharacter
            case invalidDate
            case dateOutOfRange
            case invalidRegion
            case invalidCategory
            case invalidLevel
            case invalidSuffix
            case invalidFormat
            case outOfRange
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// The string has the wrong number of characters.
        package static let wrongLength = Code(.wrongLength)
        /// A character is not allowed at its position.
        package static let invalidCharacter = Code(.invalidCharacter)
        /// The check character does not match.
        package static let badCheckCharacter = Code(.badCheckCharacter)
        /// A date is not a real Gregorian date.
        package static let invalidDate = Code(.invalidDate)
        /// A real date outside the range allowed.
        package static let dateOutOfRange = Code(.dateOutOfRange)
        /// A region code is not valid.
        package static let invalidRegion = Code(.invalidRegion)
        /// A disability category is not 1–7.
        package static let invalidCategory = Code(.invalidCategory)
        /// A disability level is not 1–4.
        package static let invalidLevel = Code(.invalidLevel)
        /// A reissue suffix is not `B1`…`B9`.
        package static let invalidSuffix = Code(.invalidSuffix)
        /// The structure (prefix, separators, fields) is wrong.
        package static let invalidFormat = Code(.invalidFormat)
        /// A number given to build an identifier is out of range.
        package static let outOfRange = Code(.outOfRange)

        /// The code's name, e.g. `badCheckCharacter`.
        package var description: String {
            String(describing: backing)
        }

        /// The fault in the words a Chinese clerk uses, e.g. 校验位错误 (the English ``reason``
        /// gives the detail beside it).
        package var chineseSummary: String {
            switch backing {
            case .wrongLength: "位数错误"
            case .invalidCharacter: "含无效字符"
            case .badCheckCharacter: "校验位错误"
            case .invalidDate: "日期无效"
            case .dateOutOfRange: "日期超出范围"
            case .invalidRegion: "行政区划代码无效"
            case .invalidCategory: "残疾类别无效"
            case .invalidLevel: "残疾等级无效"
            case .invalidSuffix: "换发后缀无效"
            case .invalidFormat: "格式错误"
            case .outOfRange: "超出范围"
            }
        }
    }
}
