/// An error about a credential's content: a claim missing or of the wrong type, or a value a
/// validator rejects.
///
/// Equality and hashing use the code only.
package struct CredentialError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        init(_ name: String) { self.name = name }
        package var description: String { name }

        /// The envelope's `typ` is not the expected object type.
        package static let wrongType = Code("wrongType")
        /// A required claim is missing or of the wrong CBOR type.
        package static let malformedContent = Code("malformedContent")
        /// A value does not validate (identifier, date, range).
        package static let invalidValue = Code("invalidValue")
        /// A trust list or status list cannot be used.
        package static let unusableList = Code("unusableList")
    }

    /// The kind of failure.
    package let code: Code
    /// A one-line human explanation.
    package let reason: String
    /// Where the error was made.
    package let file: String
    /// Where the error was made.
    package let line: UInt

    /// Makes an error.
    package init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    package var description: String { "CredentialError.\(code): \(reason)" }

    package static func == (lhs: CredentialError, rhs: CredentialError) -> Bool { lhs.code == rhs.code }
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
