/// An error in a catalogue file: the JSON path of the fault and why. Equality and hashing use
/// the code only.
public struct CatalogueError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        init(_ name: String) { self.name = name }
        public var description: String { name }

        /// Not JSON, or not the documented shape.
        public static let malformed = Code("malformed")
        /// Two services share an id.
        public static let duplicateID = Code("duplicateID")
        /// A service's rule is not a valid CertLogic expression.
        public static let invalidRule = Code("invalidRule")
        /// The catalogue's own rule tests fail.
        public static let failingTests = Code("failingTests")
    }

    /// The kind of failure.
    public let code: Code
    /// Where and why, e.g. `$.services[3].rule.and[1]: unknown operation "or"`.
    public let reason: String

    /// Makes an error.
    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { reason }

    public static func == (lhs: CatalogueError, rhs: CatalogueError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
