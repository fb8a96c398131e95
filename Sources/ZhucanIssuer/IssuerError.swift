/// An error from an issuer operation, with a message fit for the operator. Equality and
/// hashing use the code only.
public struct IssuerError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// A field does not validate.
        public static let invalidInput = Code("invalidInput")
        /// The workspace is missing, incomplete, or already exists.
        public static let workspace = Code("workspace")
        /// The person already has a live certificate with the same category and level.
        public static let alreadyIssued = Code("alreadyIssued")
        /// No such certificate.
        public static let notFound = Code("notFound")
        /// The certificate's state does not allow the operation (e.g. a code for a revoked one).
        public static let notAllowed = Code("notAllowed")
        /// A key, registry or signing failure.
        public static let internalFailure = Code("internalFailure")
        /// Another process is issuing on the workspace (``IssuanceLock``).
        public static let busy = Code("busy")
    }

    /// The kind of failure.
    public let code: Code
    /// A one-line explanation for the operator (personal data masked).
    public let reason: String

    /// Makes an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }

    public static func == (lhs: IssuerError, rhs: IssuerError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
