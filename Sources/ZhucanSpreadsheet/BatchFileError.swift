/// An error thrown when a batch file cannot be read as a whole: its bytes, its size or its
/// header. Problems with single rows are not errors; they are collected in
/// ``BatchFile/problems``.
///
/// The ``reason`` is written for the operator who saved the spreadsheet: it says what is wrong
/// and how to fix it. It never repeats row data (names and ID numbers are personal data and
/// reasons end up in logs); header cells and file paths are not personal data and may appear.
/// Equality and hashing consider only the ``code``, as in swift-asn1's `ASN1Error`.
package struct BatchFileError: Error, Hashable, CustomStringConvertible {
    /// The kind of fault.
    package let code: Code

    /// A human explanation in English, with the fix where there is one.
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

    /// `BatchFileError.<code>: <reason> <file>:<line>`.
    package var description: String {
        "BatchFileError.\(code): \(reason) \(file):\(line)"
    }

    /// Equal when the codes are equal; reason and source location are ignored.
    package static func == (lhs: BatchFileError, rhs: BatchFileError) -> Bool {
        lhs.code == rhs.code
    }

    /// Hashes the code only, consistent with `==`.
    package func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }
}

extension BatchFileError {
    /// The file could not be opened or read.
    @inline(never)
    package static func unreadable(_ reason: String, file: String = #fileID, line: UInt = #line) -> BatchFileError {
        BatchFileError(code: .unreadable, reason: reason, file: file, line: line)
    }

    /// The file is larger than ``BatchFile/maximumSize``.
    @inline(never)
    package static func tooLarge(_ reason: String, file: String = #fileID, line: UInt = #line) -> BatchFileError {
        BatchFileError(code: .tooLarge, reason: reason, file: file, line: line)
    }

    /// The bytes are not UTF-8 (the reason says when they look like GBK/GB18030 or UTF-16).
    @inline(never)
    package static func notUTF8(_ reason: String, file: String = #fileID, line: UInt = #line) -> BatchFileError {
        BatchFileError(code: .notUTF8, reason: reason, file: file, line: line)
    }

    /// The file has no header, or a header and no data rows.
    @inline(never)
    package static func empty(_ reason: String, file: String = #fileID, line: UInt = #line) -> BatchFileError {
        BatchFileError(code: .empty, reason: reason, file: file, line: line)
    }

    /// The first non-blank line names none of the known columns: it is data, not a header.
    @inline(never)
    package static func missingHeader(_ reason: String, file: String = #fileID, line: UInt = #line) -> BatchFileError {
        BatchFileError(code: .missingHeader, reason: reason, file: file, line: line)
    }

    /// A required column is absent from the header.
    @inline(never)
    package static func missingColumn(_ reason: String, file: String = #fileID, line: UInt = #line) -> BatchFileError {
        BatchFileError(code: .missingColumn, reason: reason, file: file, line: line)
    }

    /// The header names a column this reader does not know.
    @inline(never)
    package static func unknownColumn(_ reason: String, file: String = #fileID, line: UInt = #line) -> BatchFileError {
        BatchFileError(code: .unknownColumn, reason: reason, file: file, line: line)
    }

    /// A spreadsheet stored the ID numbers as numbers and zeroed their last digits.
    @inline(never)
    package static func damagedNumbers(_ reason: String, file: String = #fileID, line: UInt = #line) -> BatchFileError {
        BatchFileError(code: .damagedNumbers, reason: reason, file: file, line: line)
    }

    /// The header names the same column twice (possibly once in English, once in Chinese).
    @inline(never)
    package static func duplicateColumn(_ reason: String, file: String = #fileID, line: UInt = #line) -> BatchFileError {
        BatchFileError(code: .duplicateColumn, reason: reason, file: file, line: line)
    }
}

extension BatchFileError {
    /// The kind of a ``BatchFileError``; a struct so that new kinds can be added without
    /// breaking exhaustive switches in client code.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Backing: Hashable, Sendable {
            case unreadable
            case tooLarge
            case notUTF8
            case empty
            case missingHeader
            case missingColumn
            case unknownColumn
            case duplicateColumn
            case damagedNumbers
        }

        private let backing: Backing

        private init(_ backing: Backing) {
            self.backing = backing
        }

        /// The file could not be opened or read.
        package static let unreadable = Code(.unreadable)
        /// The file is over the size limit.
        package static let tooLarge = Code(.tooLarge)
        /// The bytes are not UTF-8.
        package static let notUTF8 = Code(.notUTF8)
        /// No header, or no data rows.
        package static let empty = Code(.empty)
        /// The first line is not a header.
        package static let missingHeader = Code(.missingHeader)
        /// A required column is absent.
        package static let missingColumn = Code(.missingColumn)
        /// An unknown column name.
        package static let unknownColumn = Code(.unknownColumn)
        /// A column named twice.
        package static let duplicateColumn = Code(.duplicateColumn)
        /// ID numbers that a spreadsheet turned into numbers, losing digits.
        package static let damagedNumbers = Code(.damagedNumbers)

        /// The code's name, e.g. `notUTF8`.
        package var description: String {
            String(describing: backing)
        }
    }
}
