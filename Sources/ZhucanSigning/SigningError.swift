/// An error from the signing layer: a key that cannot be read or made, an operation the key
/// cannot do, or a failure inside OpenSSL (with OpenSSL's own reasons drained from its queue).
///
/// A signature that does not verify is *not* an error: verification returns `false`.
/// Equality and hashing use the code only.
public struct SigningError: Error, Hashable, CustomStringConvertible, Sendable {
    /// What kind of failure this is; extensible, compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A key file cannot be read.
        public static let unreadableFile = Code("unreadableFile")
        /// The key's algorithm is not one Zhucan supports (or not for this operation).
        public static let unsupportedAlgorithm = Code("unsupportedAlgorithm")
        /// The key file or bytes are not a key of a recognised encoding.
        public static let malformedKey = Code("malformedKey")
        /// The private key is encrypted and no passphrase was given.
        public static let passphraseRequired = Code("passphraseRequired")
        /// The passphrase does not decrypt the private key (or the file is damaged).
        public static let wrongPassphrase = Code("wrongPassphrase")
        /// The operation is not available for this key or algorithm (e.g. signing with PS256).
        public static let unsupportedOperation = Code("unsupportedOperation")
        /// A signature in one encoding could not be converted to another.
        public static let malformedSignature = Code("malformedSignature")
        /// OpenSSL reported a failure; the reason carries its error queue.
        public static let openSSL = Code("openSSL")
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

    public var description: String { "SigningError.\(code): \(reason)" }

    public static func == (lhs: SigningError, rhs: SigningError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
