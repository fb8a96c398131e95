/// An error in a catalogue file: the JSON path of the fault and why. Equality and hashing use
/// the code only.
package struct CatalogueError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        init(_ name: String) { self.name = name }
        package var description: String { name }

        /// Not JSON, or not the documented shape.
        package static let malformed = Code("malformed")
        /// Two services share an id.
        package static let duplicateID = Code("duplicateID")
        /// A service's rule is not a valid CertLogic expression.
        package static let invalidRule = Code("invalidRule")
        /// The catalogue's own rule tests fail.
        package static let failingTests = Code("failingTests")
    }

    /// The kind of failure.
    package let code: Code
    /// Where and why, e.g. `$.services[3].rule.and[1]: unknown operation "or"`.
    package let reason: String

    /// Makes an error.
    package init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    package var description: String { reason }

    package static func == (lhs: CatalogueError, rhs: CatalogueError) -> Bool { lhs.code == rhs.code }
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
