/// An audit that cannot run: an unreadable source or file. (What an audit finds wrong with a
/// log is a `LogAuditProblem`, not an error.)
public struct AuditError: Error, CustomStringConvertible, Sendable {
    /// A one-line explanation.
    public let reason: String

    /// Makes an error.
    public init(_ reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}
