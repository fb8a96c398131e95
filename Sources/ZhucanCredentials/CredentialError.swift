/// An error about a credential's content: a claim missing or of the wrong type, or a value a
/// validator rejects.
///
/// Equality and hashing use the code only.
public struct CredentialError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The envelope's `typ` is not the expected object type.
        public static let wrongType = Code("wrongType")
        /// A required claim is missing or of the wrong CBOR type.
        public static let malformedContent = Code("malformedContent")
        /// A value does not validate (identifier, date, range).
        public static let invalidValue = Code("invalidValue")
        /// A trust list or status list cannot be used.
        public static let unusableList = Code("unusableList")
    }

    /// The kind of failure.
    public let code: Code
    /// A one-line human explanation.
    public let reason: String
    /// Where the error was made.
    public let file: String
    /// Where the error was made.
    public let line: UInt

    /// Makes an error.
    public init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { "CredentialError.\(code): \(reason)" }

    public static func == (lhs: CredentialError, rhs: CredentialError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
