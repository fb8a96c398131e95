/// One thing wrong with a log, found by `LogAuditor`.
public struct LogAuditProblem: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The first log index the problem concerns (`nil` for the log as a whole).
    public let index: UInt64?
    /// A stable code: see `Docs/audit.md` for each one's meaning.
    public let code: String
    /// A one-line explanation (certificates named by e-license identifier, never by person).
    public let message: String

    /// Makes a problem.
    public init(index: UInt64?, code: String, message: String) {
        self.index = index
        self.code = code
        self.message = message
    }

    /// `#index code: message`.
    public var description: String {
        "\(index.map { "#\($0)" } ?? "log") \(code): \(message)"
    }
}
