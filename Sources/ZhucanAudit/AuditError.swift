/// An audit that cannot run: an unreadable source or file. (What an audit finds wrong with a
/// log is a `LogAuditProblem`, not an error.)
package struct AuditError: Error, CustomStringConvertible, Sendable {
    /// A one-line explanation.
    package let reason: String

    /// Makes an error.
    package init(_ reason: String) {
        self.reason = reason
    }

    package var description: String { reason }
}
