import Foundation
import Testing
import ZhucanAudit
import ZhucanRegistry
import ZhucanTransparency

/// `LogAuditor` on logs that are not what they claim: it always finishes, and lists problems
/// instead of trapping or throwing.
@Suite("LogAuditor on hostile input")
struct LogAuditorTests {
    @Test("Garbage checkpoints, garbage entries and extreme times give problems, never a crash")
    func garbage() {
        var auditor = LogAuditor(configuration: .init(trustedCheckpoints: [("test", "not a note", false)]), checkpoints: ["", "x\n\n— y z\n", String(repeating: "a", count: 100_000)])
        auditor.add(LogEntry(index: 0, data: [0xFF, 0x00], leafHash: nil))
        auditor.add(LogEntry(index: 0, data: [], leafHash: [1, 2, 3]))
        auditor.add(LogEntry(index: 7, data: LogRecord(event: .revoked, at: .min, licenseID: "x").encoded, leafHash: nil))
        auditor.add(LogEntry(index: 8, data: LogRecord(event: .revoked, at: .max, licenseID: "x").encoded, leafHash: nil))
        auditor.add(LogEntry(index: 9, data: LogRecord(event: .issued, at: .max, licenseID: "y", object: "HC1:garbage").encoded, leafHash: nil))
        auditor.add(LogEntry(index: 10, data: LogRecord(event: .revoked, at: 0, licenseID: "z").encoded, leafHash: nil))
        // Revoking a list the log never named, or a range past any list's size.
        auditor.add(LogEntry(index: 11, data: LogRecord(event: .lostStatusesRevoked, at: 0, statusListURI: "x", indexFrom: 0, indexBelow: 10).encoded, leafHash: nil))
        auditor.add(LogEntry(index: 12, data: LogRecord(event: .lostStatusesRevoked, at: 0, statusListURI: "x", indexFrom: 0, indexBelow: .max).encoded, leafHash: nil))
        auditor.add(LogEntry(index: .max, data: [], leafHash: nil))
        let report = auditor.finish()
        let codes = Set(report.problems.map(\.code))
        for code in ["malformed_checkpoint", "no_checkpoint", "malformed_record", "entry_out_of_order", "entry_missing", "not_in_tree",
                     "life_story", "no_trust_list", "backdated", "lost_statuses_unknown_list"] {
            #expect(codes.contains(code), "\(code) in \(report.problems)")
        }
        #expect(report.entriesChecked == 9)
        #expect(report.summary.hasSuffix("\(report.problems.count) problems"))
    }

    // Device entries were checked only for their fields: a log could revoke a device it never
    // enrolled, or enrol one for a certificate it never issued, and audit clean.
    @Test("A device is enrolled once, for a certificate the log issued, and revoked once, after it was enrolled")
    func deviceLifeStories() {
        var auditor = LogAuditor(configuration: .init(), checkpoints: [])
        let records = [
            LogRecord(event: .deviceEnrolled, at: 0, licenseID: "never-issued", keyID: "d1", reason: "holder"),
            LogRecord(event: .deviceEnrolled, at: 0, licenseID: "never-issued", keyID: "d1", reason: "holder"),
            LogRecord(event: .deviceRevoked, at: 0, licenseID: "never-issued", keyID: "d1", reason: "lost"),
            LogRecord(event: .deviceRevoked, at: 0, licenseID: "never-issued", keyID: "d1", reason: "lost"),
            LogRecord(event: .deviceRevoked, at: 0, licenseID: "never-issued", keyID: "d2", reason: "lost"),
        ]
        for (index, record) in records.enumerated() {
            auditor.add(LogEntry(index: UInt64(index), data: record.encoded, leafHash: MerkleTree.leafHash(record.encoded)))
        }
        let stories = auditor.finish().problems.filter { $0.code == "life_story" }
        #expect(stories.map(\.index) == [0, 1, 1, 3, 4], "\(stories)")
        for (index, message) in [
            (0, "device d1 is enrolled for certificate never-issued, which the log never issued"),
            (1, "device d1 is enrolled a second time"),
            (3, "device d1 is revoked a second time"),
            (4, "device d2 is revoked, but the log never enrolled it"),
        ] {
            #expect(stories.contains { $0.index == UInt64(index) && $0.message == message }, "\(message): \(stories)")
        }
    }

    @Test("An empty log with no checkpoint is a problem, not a pass")
    func empty() {
        var auditor = LogAuditor(configuration: .init(), checkpoints: [])
        let report = auditor.finish()
        #expect(report.summary == "0 entries checked, 1 problem")
        #expect(report.problems.first?.code == "no_checkpoint")
    }
}
