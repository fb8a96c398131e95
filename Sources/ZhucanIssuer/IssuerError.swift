/// An error from an issuer operation, with a message fit for the operator. Equality and
/// hashing use the code only.
package struct IssuerError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        init(_ name: String) { self.name = name }
        package var description: String { name }

        /// A field does not validate.
        package static let invalidInput = Code("invalidInput")
        /// The workspace is missing, incomplete, or already exists.
        package static let workspace = Code("workspace")
        /// The person already has a live certificate with the same category and level.
        package static let alreadyIssued = Code("alreadyIssued")
        /// No such certificate.
        package static let notFound = Code("notFound")
        /// The certificate's state does not allow the operation (e.g. a code for a revoked one).
        package static let notAllowed = Code("notAllowed")
        /// A key, registry or signing failure.
        package static let internalFailure = Code("internalFailure")
        /// Another process is issuing on the workspace (``IssuanceLock``).
        package static let busy = Code("busy")
    }

    /// The kind of failure.
    package let code: Code
    /// A one-line explanation for the operator (personal data masked).
    package let reason: String

    /// Makes an error.
    package init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    package var description: String { reason }

    package static func == (lhs: IssuerError, rhs: IssuerError) -> Bool { lhs.code == rhs.code }
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
