/// What `LogAuditor` found: how many entries it checked, the checkpoint it checked them
/// against, the problems, and notes on what it had to take on trust.
package struct LogAuditReport: Sendable, Codable {
    /// Entries read.
    package var entriesChecked: UInt64
    /// The latest checkpoint's tree size and root (base64), when one was given and parsed.
    package var checkpointSize: UInt64?
    /// The latest checkpoint's root hash, standard base64.
    package var checkpointRoot: String?
    /// The latest checkpoint, the one the audit checked the log against (signed note text):
    /// what an auditor keeps for `--trusted-checkpoint` next time.
    package var checkpointNote: String?
    /// Everything wrong, in log order.
    package var problems: [LogAuditProblem]
    /// What the audit took from the log itself rather than from the auditor (keys), and other
    /// facts worth reading.
    package var notes: [String]

    /// The last line of a report: `N entries checked, M problems`.
    package var summary: String {
        "\(entriesChecked) entries checked, \(problems.count) problem\(problems.count == 1 ? "" : "s")"
    }
}
