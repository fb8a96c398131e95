/// An error from a store: the issuer's registry, or the service's store of keys and events
/// (SQLite or PostgreSQL). Equality and hashing use the code only.
package struct RegistryError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        init(_ name: String) { self.name = name }
        package var description: String { name }

        /// The database cannot be opened, read or written.
        package static let storage = Code("storage")
        /// The database did not answer in time: it may answer again later (HTTP 503).
        package static let unavailable = Code("unavailable")
        /// A uniqueness rule would be broken (for example a second live certificate for one person).
        package static let conflict = Code("conflict")
        /// The requested record does not exist.
        package static let notFound = Code("notFound")
        /// The change is not allowed in the record's current state.
        package static let invalidTransition = Code("invalidTransition")
        /// A value given to the registry is not acceptable (an empty API key name, no scope).
        package static let invalidInput = Code("invalidInput")
        /// The transparency log disagrees with itself: its tree does not match its entries,
        /// or a new checkpoint would not extend the last one signed.
        package static let logInconsistent = Code("logInconsistent")
    }

    /// The kind of failure.
    package let code: Code
    /// A one-line explanation (never personal data in clear).
    package let reason: String
    /// For a store's own failure, its cause in the store's fixed words, which never quote a
    /// value (SQLite's `database or disk is full`): what the service logs, where the reason,
    /// which may, is left out.
    package let cause: String?

    /// Makes an error.
    package init(_ code: Code, _ reason: String, cause: String? = nil) {
        self.code = code
        self.reason = reason
        self.cause = cause
    }

    package var description: String { reason }

    package static func == (lhs: RegistryError, rhs: RegistryError) -> Bool { lhs.code == rhs.code }
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
