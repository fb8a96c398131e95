/// One thing wrong with a log, found by `LogAuditor`.
package struct LogAuditProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The first log index the problem concerns (`nil` for the log as a whole).
    package let index: UInt64?
    /// A stable code: see `Docs/audit.md` for each one's meaning.
    package let code: String
    /// A one-line explanation (certificates named by e-license identifier, never by person).
    package let message: String

    /// Makes a problem.
    package init(index: UInt64?, code: String, message: String) {
        self.index = index
        self.code = code
        self.message = message
    }

    /// `#index code: message`.
    package var description: String {
        "\(index.map { "#\($0)" } ?? "log") \(code): \(message)"
    }
}
