import Foundation
import GRDB
import Testing
import ZhucanRegistry
import ZhucanSigning
import ZhucanTesting
import ZhucanTransparency

/// `zhucan audit log | export | prove | check-proof | checkpoint` through the built binary:
/// a clean log audits to `0 problems`; every kind of tampering behind the application's back
/// is found and named by its first bad index.
@Suite("zhucan audit log: the transparency log and its tampering")
struct AuditLogCommandTests {
    static let keys = TestVectors.projectRoot.appendingPathComponent("keys").path
    /// Three valid citizen ID numbers (GB 11643-1999 check characters).
    static let people = ["360121197011210013", "360426199101010071", "33048219850505002X"]

    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory()
    }

    func zhucan(_ arguments: [String]) throws -> Shell.Output {
        try ZhucanBinary.run(arguments, in: folder.url)
    }

    /// A workspace with a life story worth checking: three holders issued; one suspended and
    /// reinstated; one re-issued at another level (supersession); one revoked.
    func workspace(_ dir: String = "ws") throws {
        try #require(try zhucan(["init", "--demo", "--dir", dir, "--keys-dir", Self.keys]).status == 0)
        for (position, id) in Self.people.enumerated() {
            let issued = try zhucan(["issue", "--dir", dir, "--name", "王小明", "--id-number", id, "--category", "4",
                                     "--level", "\(position + 1)", "--region", "330482"])
            try #require(issued.status == 0, "\(issued.errorText)")
        }
        for arguments in [
            ["suspend", "--certificate", Self.people[0] + "41", "--reason", "review"],
            ["reinstate", "--certificate", Self.people[0] + "41", "--reason", "reviewed"],
            ["issue", "--name", "王小明", "--id-number", Self.people[1], "--category", "4", "--level", "4", "--region", "330482"],
            ["revoke", "--certificate", Self.people[2] + "43", "--reason", "deceased"],
        ] {
            let output = try zhucan([arguments[0], "--dir", dir] + arguments.dropFirst())
            try #require(output.status == 0, "\(arguments): \(output.errorText)")
        }
    }

    /// The log key of another workspace of the same issuer (same origin), with generated keys.
    func otherLogKey() throws -> String {
        let created = try zhucan(["init", "--dir", "other", "--issuer-name", "测试", "--issuer-uscc", "11330482MB1234567N", "--region", "330482"])
        try #require(created.status == 0, "\(created.errorText)")
        let line = try #require(try zhucan(["audit", "checkpoint", "--dir", "other"]).errorText.split(separator: "\n").first { $0.hasPrefix("log key: ") })
        return String(line.dropFirst("log key: ".count))
    }

    func database(_ dir: String = "ws") throws -> DatabaseQueue {
        try DatabaseQueue(path: folder.url.appendingPathComponent("\(dir)/zhucan.db").path)
    }

    /// Exports the log and audits the export.
    func audit(_ dir: String = "ws", _ extra: [String] = []) throws -> Shell.Output {
        let export = try zhucan(["audit", "export", "--dir", dir, "--out", "\(dir).jsonl"])
        try #require(export.status == 0, "\(export.errorText)")
        return try zhucan(["audit", "log", "--from", "\(dir).jsonl"] + extra)
    }

    /// The index of the first entry recording `event`.
    func index(of event: String, _ dir: String = "ws") throws -> Int64 {
        try #require(try database(dir).read { try Int64.fetchOne($0, sql: "SELECT MIN(idx) FROM log_entry WHERE kind = ?", arguments: [event]) })
    }

    @Test("audit checkpoint's standard output is the signed checkpoint alone, as --trusted-checkpoint reads it; the log key is on standard error, and both read as saved before")
    func checkpointOutputIsTrusted() throws {
        try workspace()
        let checkpoint = try zhucan(["audit", "checkpoint", "--dir", "ws"])
        #expect(checkpoint.status == 0, "\(checkpoint.errorText)")
        #expect(!checkpoint.text.contains("log key:"))
        #expect(checkpoint.errorText.contains("log key: zhucan.log/"), "\(checkpoint.errorText)")
        try checkpoint.stdout.write(to: folder.url.appendingPathComponent("cp.txt"))
        let audited = try audit("ws", ["--trusted-checkpoint", "cp.txt"])
        #expect(audited.status == 0, "\(audited.text) \(audited.errorText)")
        // As saved before: the log key's line after the checkpoint, read as the checkpoint; and
        // the key's line as --log-key.
        try (checkpoint.stdout + Data(checkpoint.errorText.utf8)).write(to: folder.url.appendingPathComponent("old.txt"))
        try Data(checkpoint.errorText.utf8).write(to: folder.url.appendingPathComponent("key.txt"))
        let old = try audit("ws", ["--trusted-checkpoint", "old.txt", "--log-key", "key.txt"])
        #expect(old.status == 0, "\(old.text) \(old.errorText)")
    }

    @Test("An export is owner-only (0600), replaces an older one whole, and leaves nothing beside it")
    func exportFile() throws {
        try workspace()
        let path = folder.url.appendingPathComponent("ws.jsonl").path
        try Data("an older export\n".utf8).write(to: URL(fileURLWithPath: path))
        try #require(chmod(path, 0o644) == 0)
        let export = try zhucan(["audit", "export", "--dir", "ws", "--out", "ws.jsonl"])
        #expect(export.status == 0, "\(export.errorText)")
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("{") && !text.contains("an older export"))
        let beside = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.hasPrefix(".") }
        #expect(beside.isEmpty, "left beside the export: \(beside)")
        #expect(try zhucan(["audit", "log", "--from", "ws.jsonl"]).status == 0)
    }

    @Test("A clean log: every entry, checkpoint, signature and life story checks; 0 problems, exit 0")
    func clean() throws {
        try workspace()
        let entries = try database().read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM log_entry") } ?? 0
        // 3 keys, trust list, status list; 3 × (issued, status list); suspend, reinstate (+ lists);
        // re-issue (superseded, issued, status list); revoke (+ status list).
        #expect(entries == 5 + 6 + 4 + 3 + 2)
        let output = try audit("ws", ["--save-checkpoint", "trusted.txt"])
        #expect(output.status == 0, "\(output.text) \(output.errorText)")
        #expect(output.text.contains("\(entries) entries checked, 0 problems"), "\(output.text)")
        #expect(output.errorText.contains("pin it with --log-key"))
        let trusted = try String(contentsOf: folder.url.appendingPathComponent("trusted.txt"), encoding: .utf8)
        #expect(trusted.hasPrefix("zhucan.log/11330482MB1234567N\n\(entries)\n"))

        // A trusted checkpoint that does not exist is never taken for a first audit (deleting it
        // would let a rewritten log pass): exit 2, saying how a first audit is run.
        let missing = try zhucan(["audit", "log", "--from", "ws.jsonl", "--trusted-checkpoint", "first.txt", "--save-checkpoint", "first.txt"])
        #expect(missing.status == 2, "\(missing.errorText)")
        #expect(missing.errorText.contains("on a first audit, leave out --trusted-checkpoint"), "\(missing.errorText)")
        #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("first.txt").path))

        // Pinned keys: the log key from `audit checkpoint`, the root key from the workspace.
        let checkpoint = try zhucan(["audit", "checkpoint", "--dir", "ws"])
        let logKey = try #require(checkpoint.errorText.split(separator: "\n").first { $0.hasPrefix("log key: ") }).dropFirst(9)
        // Docs/audit.md's routine: the checkpoint trusted last time is replaced by this one.
        let pinned = try zhucan(["audit", "log", "--from", "ws.jsonl", "--log-key", String(logKey),
                                 "--trust-anchor", "ws/keys/root.pub.pem", "--trusted-checkpoint", "trusted.txt", "--save-checkpoint", "trusted.txt", "--json"])
        #expect(pinned.status == 0, "\(pinned.text) \(pinned.errorText)")
        #expect(try String(contentsOf: folder.url.appendingPathComponent("trusted.txt"), encoding: .utf8) == trusted)
        let report = try #require(try JSONSerialization.jsonObject(with: pinned.stdout) as? [String: Any])
        #expect(report["entriesChecked"] as? Int == entries)
        #expect((report["notes"] as? [String])?.isEmpty == true)

        // A replaced log key (same origin, another key) does not verify this log's checkpoints.
        let wrongKey = try zhucan(["audit", "log", "--from", "ws.jsonl", "--log-key", try otherLogKey()])
        #expect(wrongKey.status == 1)
        #expect(wrongKey.text.contains("checkpoint_signature"), "\(wrongKey.text)")
    }

    @Test("A batch larger than the auditor's parallel chunk: 0 problems, then a changed certificate in the middle is named")
    func largeBatch() throws {
        try #require(try zhucan(["init", "--demo", "--algorithm", "ed25519", "--dir", "ws", "--keys-dir", Self.keys]).status == 0)
        try Data(BatchCommandTests.csv(count: 2_500).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        let batch = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"])
        try #require(batch.status == 0, "\(batch.errorText)")
        #expect(try zhucan(["revoke", "--dir", "ws", "--certificate", BatchCommandTests.citizenID(2_499) + "\(2_499 % 7 + 1)\(2_499 % 4 + 1)", "--reason", "test"]).status == 0)
        let clean = try audit()
        #expect(clean.status == 0, "\(clean.text)")
        // 5 from init, 2,500 certificates and one status list, a revocation and its status list.
        #expect(clean.text.contains("2508 entries checked, 0 problems"), "\(clean.text)")

        // A certificate from another issuing run in the middle of the batch: its signature fails.
        let target: Int64 = 2_100
        try database().write { db in
            var record = try LogRecord(encoded: [UInt8](try #require(try Data.fetchOne(db, sql: "SELECT data FROM log_entry WHERE idx = ?", arguments: [target]))))
            record.object = String(try #require(record.object).dropLast(4)) + "AAAA"
            try db.execute(sql: "UPDATE log_entry SET data = ? WHERE idx = ?", arguments: [Data(record.encoded), target])
        }
        let tampered = try audit()
        #expect(tampered.status == 1)
        #expect(tampered.text.hasPrefix("#\(target) leaf_mismatch"), "\(tampered.text)")
        #expect(tampered.text.contains("#\(target) bad_signature") || tampered.text.contains("#\(target) malformed"), "\(tampered.text)")
    }

    @Test("A changed entry is named by its index (leaf_mismatch)")
    func changedEntry() throws {
        try workspace()
        let target = try index(of: "suspended")
        try database().write { db in
            var record = try LogRecord(encoded: [UInt8](try #require(try Data.fetchOne(db, sql: "SELECT data FROM log_entry WHERE idx = ?", arguments: [target]))))
            record.reason = "nothing happened"
            try db.execute(sql: "UPDATE log_entry SET data = ? WHERE idx = ?", arguments: [Data(record.encoded), target])
        }
        let output = try audit()
        #expect(output.status == 1)
        #expect(output.text.hasPrefix("#\(target) leaf_mismatch"), "\(output.text)")
        #expect(output.text.contains("root_mismatch"))
    }

    @Test("A deleted entry is named by its index (entry_missing)")
    func deletedEntry() throws {
        try workspace()
        let target = try index(of: "revoked")
        try database().write { try $0.execute(sql: "DELETE FROM log_entry WHERE idx = ?", arguments: [target]) }
        let output = try audit()
        #expect(output.status == 1)
        #expect(output.text.hasPrefix("#\(target) entry_missing"), "\(output.text)")
        // One gap is one problem, not one for every entry after it.
        #expect(output.text.components(separatedBy: "entry_missing").count == 2, "\(output.text)")
    }

    @Test("A supersession whose new certificate was never logged is named: the holder has no live certificate, and no trace of why")
    func supersededIntoNothing() throws {
        try workspace()
        // The last issuance of the workspace is the re-issue that supersedes the second holder's first certificate.
        let target = try #require(try database().read { try Int64.fetchOne($0, sql: "SELECT MAX(idx) FROM log_entry WHERE kind = 'issued'") })
        try database().write { try $0.execute(sql: "DELETE FROM log_entry WHERE idx = ?", arguments: [target]) }
        let output = try audit()
        #expect(output.status == 1)
        #expect(output.text.contains("#\(target) entry_missing"), "\(output.text)")
        #expect(output.text.contains("which was never issued"), "\(output.text)")
    }

    @Test("Two swapped entries are named by the first of them")
    func swappedEntries() throws {
        try workspace()
        let first = try index(of: "issued")
        let second = try index(of: "suspended")
        try database().write { db in
            let a = try #require(try Data.fetchOne(db, sql: "SELECT data FROM log_entry WHERE idx = ?", arguments: [first]))
            let b = try #require(try Data.fetchOne(db, sql: "SELECT data FROM log_entry WHERE idx = ?", arguments: [second]))
            try db.execute(sql: "UPDATE log_entry SET data = ?, kind = 'suspended' WHERE idx = ?", arguments: [b, first])
            try db.execute(sql: "UPDATE log_entry SET data = ?, kind = 'issued' WHERE idx = ?", arguments: [a, second])
        }
        let output = try audit()
        #expect(output.status == 1)
        #expect(output.text.hasPrefix("#\(first) leaf_mismatch"), "\(output.text)")
        #expect(output.text.contains("#\(second) leaf_mismatch"))
    }

    @Test("An export is checked against its own header and checkpoints: entries cut from its end, a checkpoint of another origin; --save-checkpoint keeps the largest checkpoint whatever their order")
    func exportAgainstItsHeader() throws {
        try workspace()
        let export = try zhucan(["audit", "export", "--dir", "ws", "--out", "ws.jsonl"])
        try #require(export.status == 0, "\(export.errorText)")
        let url = folder.url.appendingPathComponent("ws.jsonl")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        var header = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        let checkpoints = try #require(header["checkpoints"] as? [String])
        try #require(checkpoints.count >= 2)
        func write(_ header: [String: Any], _ entries: [String]) throws {
            let text = String(decoding: try JSONSerialization.data(withJSONObject: header), as: UTF8.self)
            try ([text] + entries).joined(separator: "\n").appending("\n").write(to: url, atomically: true, encoding: .utf8)
        }

        // The checkpoints newest first: the audit checks against the largest, and saves it.
        header["checkpoints"] = Array(checkpoints.reversed())
        try write(header, Array(lines.dropFirst()))
        let reordered = try zhucan(["audit", "log", "--from", "ws.jsonl", "--save-checkpoint", "trusted.txt"])
        #expect(reordered.status == 0, "\(reordered.text)")
        #expect(try String(contentsOf: folder.url.appendingPathComponent("trusted.txt"), encoding: .utf8) == checkpoints.last)

        // A checkpoint of another log signed by the same key proves nothing of this one.
        let signer = try NoteSigner(keyName: "another.example/log", privateKey: try PrivateKey(
            contentsOfFile: TestVectors.projectRoot.appendingPathComponent("keys/demo-log-ed25519.key.pem").path))
        let foreign = String(decoding: try Checkpoint(origin: "another.example/log", size: 1, rootHash: [UInt8](repeating: 7, count: 32))
            .signed(by: [signer]).encoded, as: UTF8.self)
        header["checkpoints"] = [foreign] + checkpoints
        try write(header, Array(lines.dropFirst()))
        let mixed = try zhucan(["audit", "log", "--from", "ws.jsonl"])
        #expect(mixed.status == 1)
        #expect(mixed.text.contains("origin_mismatch"), "\(mixed.text)")

        // An unsigned last entry cut from the file (no checkpoint covers it to miss it): the
        // header still counts it.
        header["checkpoints"] = checkpoints
        header["entries"] = lines.count
        try write(header, Array(lines.dropFirst()))
        let cut = try zhucan(["audit", "log", "--from", "ws.jsonl"])
        #expect(cut.status == 1, "\(cut.text)")
        #expect(cut.text.contains("entries_mismatch"), "\(cut.text)")

        // One line garbled: named, and the audit goes on to the end (exit 1, not 2).
        header["entries"] = lines.count - 1
        var garbled = Array(lines.dropFirst())
        garbled[3] = "{\"index\": 3, \"data\": \"not base64!\"}"
        try write(header, garbled)
        let unreadable = try zhucan(["audit", "log", "--from", "ws.jsonl"])
        #expect(unreadable.status == 1, "\(unreadable.errorText)")
        #expect(unreadable.text.contains("#3 malformed_record"), "\(unreadable.text)")
        #expect(unreadable.text.contains("line 5: not an entry line"), "\(unreadable.text)")
        #expect(unreadable.text.contains("entries checked"), "the report is printed")
        #expect(!unreadable.text.contains("entries_mismatch"), "the garbled line is counted: \(unreadable.text)")
    }

    @Test("A status list that does not say what the log says is named: a logged revocation left out, a suspension never logged")
    func statusListAgainstTheLog() throws {
        try workspace()
        let revoked = Self.people[2] + "43", active = Self.people[0] + "41"
        // The registry edited behind the application, then a list published from it: the
        // revoked certificate valid again, the active one suspended. Each list is signed by
        // the issuer key; only the log can tell that it lies.
        try database().write { db in
            try db.execute(sql: "UPDATE certificate SET state = 'active' WHERE number = ?", arguments: [revoked])
            try db.execute(sql: "UPDATE certificate SET state = 'suspended' WHERE number = ?", arguments: [active])
        }
        let published = try zhucan(["status-list", "publish", "--dir", "ws", "--out", "list.cwt"])
        try #require(published.status == 0, "\(published.errorText)")
        let output = try audit()
        #expect(output.status == 1)
        let lines = output.text.split(separator: "\n").filter { $0.contains("status_list_mismatch") }
        #expect(lines.count == 2, "\(output.text)")
        #expect(lines.contains { $0.contains("is invalid in the log and valid in the list") }, "\(output.text)")
        #expect(lines.contains { $0.contains("is valid in the log and suspended in the list") }, "\(output.text)")
    }

    // A revocation logged whose status list was never published passed the audit, while every
    // window still saw the certificate as valid (the auditor review).
    @Test("A status change logged with no status list published after it is named (status_list_behind) until a list is published")
    func statusListBehindTheLog() throws {
        try workspace()
        let key = try HiddenIssuerKey(workspace: folder.url.appendingPathComponent("ws"), parkingIn: folder.url)
        let revoked = try zhucan(["revoke", "--dir", "ws", "--certificate", Self.people[0] + "41", "--reason", "deceased"])
        try #require(revoked.status != 0 && revoked.errorText.contains("is recorded"), "\(revoked.errorText)")
        try #require(try zhucan(["audit", "checkpoint", "--dir", "ws"]).status == 0)
        let behind = try audit()
        #expect(behind.status == 1)
        let lines = behind.text.split(separator: "\n").filter { $0.contains("status_list_behind") }
        #expect(lines.count == 1, "\(behind.text)")
        #expect(lines.first?.contains("became revoked (invalid in its list), and no status list of") == true, "\(behind.text)")
        let logged = try #require(try database().read { try Int64.fetchOne($0, sql: "SELECT MAX(idx) FROM log_entry WHERE kind = 'revoked'") })
        #expect(lines.first?.contains("#\(logged) status_list_behind") == true, "named at the revocation's entry: \(behind.text)")

        try key.restore()
        let published = try zhucan(["status-list", "publish", "--dir", "ws", "--out", "list.cwt"])
        try #require(published.status == 0, "\(published.errorText)")
        let caughtUp = try audit()
        #expect(caughtUp.status == 0, "\(caughtUp.text)")
        #expect(!caughtUp.text.contains("status_list_behind"), "\(caughtUp.text)")

        // A suspension lifted before any list was published leaves nothing to publish.
        try key.hide()
        for change in ["suspend", "reinstate"] {
            let changed = try zhucan([change, "--dir", "ws", "--certificate", Self.people[1] + "44", "--reason", "review"])
            try #require(changed.errorText.contains("is recorded"), "\(change): \(changed.errorText)")
        }
        try #require(try zhucan(["audit", "checkpoint", "--dir", "ws"]).status == 0)
        let undone = try audit()
        #expect(undone.status == 0, "\(undone.text)")
    }

    @Test("Each status list carries its entry's publication number, and a number is never given twice")
    func statusListNumbersOnlyRise() throws {
        try workspace()
        #expect(try audit().status == 0)
        // The newest list's row deleted behind the application: the next list reuses its number.
        let reused = try #require(try database().read { try Int64.fetchOne($0, sql: "SELECT MAX(sequence) FROM publication WHERE kind = 'status-list'") })
        try database().write { try $0.execute(sql: "DELETE FROM publication WHERE kind = 'status-list' AND sequence = ?", arguments: [reused]) }
        let published = try zhucan(["status-list", "publish", "--dir", "ws", "--out", "list.cwt"])
        try #require(published.status == 0, "\(published.errorText)")
        let output = try audit()
        #expect(output.status == 1)
        #expect(output.text.contains("status_list_mismatch: status list \(reused) follows status list \(reused)"), "\(output.text)")
    }

    @Test("A registry from before publications kept their log entry is filled from the log: each names the entry that records its text")
    func publicationLogIndexFromTheLog() throws {
        try workspace()
        try #require(try zhucan(["keys", "rotate", "--dir", "ws"]).status == 0)
        func indexes() throws -> [String] {
            try database().read { db in
                try Row.fetchAll(db, sql: "SELECT kind, sequence, log_index FROM publication ORDER BY kind, sequence")
                    .map { "\($0["kind"] as String) \($0["sequence"] as Int64) \(($0["log_index"] as Int64?).map(String.init) ?? "none")" }
            }
        }
        let kept = try indexes()
        #expect(!kept.isEmpty && !kept.contains { $0.hasSuffix(" none") }, "\(kept)")
        try database().write { db in
            try db.execute(sql: """
                ALTER TABLE publication DROP COLUMN log_index;
                DELETE FROM grdb_migrations WHERE identifier = '2026-12-05-publication-log-index';
                """)
        }
        #expect(try zhucan(["audit", "checkpoint", "--dir", "ws"]).status == 0)
        #expect(try indexes() == kept)
    }

    // The audits verified each certificate as if shown at its logging time: one issued to take
    // effect later was `not_yet_valid`, a bad signature, in both (a review).
    @Test("A certificate issued to take effect later (--valid-from) audits clean, in the log and in audit signatures")
    func certificateValidFromLater() throws {
        try workspace()
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let later = calendar.date(byAdding: .day, value: 60, to: Date())!
        let day = calendar.dateComponents([.year, .month, .day], from: later)
        let from = String(format: "%04d-%02d-%02d", day.year!, day.month!, day.day!)
        let issued = try zhucan(["issue", "--dir", "ws", "--name", "张三", "--id-number", "110101199003070011", "--category", "1",
                                 "--level", "2", "--region", "330482", "--valid-from", from])
        try #require(issued.status == 0, "\(issued.errorText)")
        let audited = try audit()
        #expect(audited.status == 0, "\(audited.text)")
        let signatures = try zhucan(["audit", "signatures", "--dir", "ws"])
        #expect(signatures.status == 0, "\(signatures.text) \(signatures.errorText)")
    }

    @Test("A trust list must name the issuer keys the log added, a retired one never as active: a rotation audits clean, a key brought back is named")
    func trustListAgainstKeyEvents() throws {
        try workspace()
        let rotated = try zhucan(["keys", "rotate", "--dir", "ws"])
        try #require(rotated.status == 0, "\(rotated.errorText)")
        #expect(try audit().status == 0, "a rotation is a clean story")
        // The retired key made active again behind the application, and a list published.
        try database().write { try $0.execute(sql: "UPDATE signing_key SET state = 'active', valid_until = NULL WHERE role = 'issuer' AND state = 'retired'") }
        let published = try zhucan(["trust-list", "publish", "--dir", "ws", "--out", "trust.zc1"])
        try #require(published.status == 0, "\(published.errorText)")
        let output = try audit()
        #expect(output.status == 1)
        #expect(output.text.contains("trust_list_mismatch"), "\(output.text)")
        #expect(output.text.contains("active, retired at entry"), "\(output.text)")
    }

    @Test("A revoked issuer key is a clean story; a trust list that trusts it again is named")
    func revokedKeyTrustedAgain() throws {
        try workspace()
        let oldKid = try database().read { try String.fetchOne($0, sql: "SELECT kid FROM signing_key WHERE role = 'issuer' AND state = 'active'") }
        try #require(try zhucan(["keys", "rotate", "--dir", "ws"]).status == 0)
        let revoked = try zhucan(["keys", "revoke", "--dir", "ws", "--key", try #require(oldKid), "--reason", "stolen"])
        try #require(revoked.status == 0, "\(revoked.errorText)")
        #expect(try audit().status == 0, "a revocation is a clean story")
        // Made merely retired again behind the application, and a list published.
        try database().write { try $0.execute(sql: "UPDATE signing_key SET state = 'retired' WHERE role = 'issuer' AND state = 'revoked'") }
        try #require(try zhucan(["trust-list", "publish", "--dir", "ws", "--out", "trust.zc1"]).status == 0)
        let output = try audit()
        #expect(output.status == 1)
        #expect(output.text.contains("trust_list_mismatch") && output.text.contains("retired, revoked at entry"), "\(output.text)")
    }

    @Test("An appended unsigned entry is named; the issuer then refuses to grow the log until audited")
    func appendedEntry() throws {
        try workspace()
        let count = try database().read { try Int64.fetchOne($0, sql: "SELECT COUNT(*) FROM log_entry") } ?? 0
        let revocation = LogRecord(event: .revoked, at: Int64(Date().timeIntervalSince1970), licenseID: "1.2.156.3005.2.x", reason: "forged")
        try database().write {
            try $0.execute(sql: "INSERT INTO log_entry (idx, kind, license_id, data) VALUES (?, 'revoked', ?, ?)",
                           arguments: [count, revocation.licenseID, Data(revocation.encoded)])
        }
        let output = try audit()
        #expect(output.status == 1)
        #expect(output.text.contains("#\(count) not_in_tree"), "\(output.text)")
        #expect(output.text.contains("#\(count) unsigned_entries"))

        let refused = try zhucan(["issue", "--dir", "ws", "--name", "张三", "--id-number", "330482201001010037", "--category", "1",
                                  "--level", "1", "--region", "330482"])
        #expect(refused.status != 0)
        #expect(refused.errorText.contains("outside Zhucan"), "\(refused.errorText)")
    }

    @Test("No checkpoint is signed over entries changed or lost since they were logged, in any block of a large batch")
    func noCheckpointOverChangedEntries() throws {
        try #require(try zhucan(["init", "--demo", "--algorithm", "ed25519", "--dir", "ws", "--keys-dir", Self.keys]).status == 0)
        try Data(BatchCommandTests.csv(count: 9_000).utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        // Killed once its 18th and last chunk is stored: 9,000 entries logged, none checkpointed.
        let killed = try ZhucanBinary.run(["issue", "--dir", "ws", "--batch", "people.csv"], in: folder.url,
                                          environment: ["ZHUCAN_FAILPOINT": "batch.chunk-stored:18"])
        try #require(killed.status != 0)
        let signed = try #require(try Registry(path: folder.url.appendingPathComponent("ws/zhucan.db").path).latestCheckpoint()).size
        // In the second block of entries a checkpoint hashes at once.
        let target = Int64(signed) + 8_500
        let original = try #require(try database().read { try Data.fetchOne($0, sql: "SELECT data FROM log_entry WHERE idx = ?", arguments: [target]) })
        var record = try LogRecord(encoded: [UInt8](original))
        record.reason = "nothing happened"
        try database().write { try $0.execute(sql: "UPDATE log_entry SET data = ? WHERE idx = ?", arguments: [Data(record.encoded), target]) }
        let changed = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"])
        #expect(changed.status != 0)
        #expect(changed.errorText.contains("log entry \(target) does not match its leaf hash"), "\(changed.errorText)")

        // In the first block, hashed on other threads while the second is read.
        let early = Int64(signed) + 100
        let earlyOriginal = try #require(try database().read { try Data.fetchOne($0, sql: "SELECT data FROM log_entry WHERE idx = ?", arguments: [early]) })
        var earlyRecord = try LogRecord(encoded: [UInt8](earlyOriginal))
        earlyRecord.reason = "nothing happened"
        try database().write { db in
            try db.execute(sql: "UPDATE log_entry SET data = ? WHERE idx = ?", arguments: [original, target])
            try db.execute(sql: "UPDATE log_entry SET data = ? WHERE idx = ?", arguments: [Data(earlyRecord.encoded), early])
        }
        let changedEarly = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"])
        #expect(changedEarly.status != 0)
        #expect(changedEarly.errorText.contains("log entry \(early) does not match its leaf hash"), "\(changedEarly.errorText)")

        // A leaf the tree no longer holds: merged with the entries, it leaves one without a hash.
        let leaf = try #require(try database().read {
            try Data.fetchOne($0, sql: "SELECT hash FROM merkle_node WHERE level = 0 AND idx = ?", arguments: [target])
        })
        try database().write { db in
            try db.execute(sql: "UPDATE log_entry SET data = ? WHERE idx = ?", arguments: [earlyOriginal, early])
            try db.execute(sql: "DELETE FROM merkle_node WHERE level = 0 AND idx = ?", arguments: [target])
        }
        let unhashed = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"])
        #expect(unhashed.status != 0)
        #expect(unhashed.errorText.contains("log entry \(target) does not match its leaf hash"), "\(unhashed.errorText)")

        try database().write { db in
            try db.execute(sql: "INSERT INTO merkle_node (level, idx, hash) VALUES (0, ?, ?)", arguments: [target, leaf])
            try db.execute(sql: "DELETE FROM log_entry WHERE idx = ?", arguments: [target - 1])
        }
        let lost = try zhucan(["issue", "--dir", "ws", "--batch", "people.csv"])
        #expect(lost.status != 0)
        // Each run logged its status list's publication before it refused to sign.
        let registry = try Registry(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
        let size = try registry.logSize()
        #expect(lost.errorText.contains("the log holds \(size - signed - 1) entries in \(signed)..<\(size)"), "\(lost.errorText)")
        #expect(try registry.latestCheckpoint()?.size == signed, "a checkpoint was signed over them")
    }

    @Test("A history rewritten and re-signed with the log key is caught against the trusted checkpoint")
    func rewrittenHistory() throws {
        try workspace()
        #expect(try audit("ws", ["--save-checkpoint", "trusted.txt"]).status == 0)
        let target = try index(of: "revoked")

        // The attacker holds the log key: rewrite the entry, rebuild the whole tree, and
        // drop the old checkpoints so that the log signs the new history.
        try database().write { db in
            var record = try LogRecord(encoded: [UInt8](try #require(try Data.fetchOne(db, sql: "SELECT data FROM log_entry WHERE idx = ?", arguments: [target]))))
            record.reason = "moved away"
            try db.execute(sql: "UPDATE log_entry SET data = ? WHERE idx = ?", arguments: [Data(record.encoded), target])
            try Self.rebuildTree(db)
        }
        let refused = try zhucan(["audit", "checkpoint", "--dir", "ws"])
        #expect(refused.status != 0, "the log signed a checkpoint inconsistent with its last one")
        #expect(refused.errorText.contains("no longer has the root"), "\(refused.errorText)")

        try database().write { try $0.execute(sql: "DELETE FROM log_checkpoint") }
        #expect(try zhucan(["audit", "checkpoint", "--dir", "ws"]).status == 0)
        // On its own, the rewritten log is self-consistent …
        #expect(try audit().status == 0)
        // … but not with what the auditor saw before.
        let output = try audit("ws", ["--trusted-checkpoint", "trusted.txt"])
        #expect(output.status == 1)
        #expect(output.text.contains("root_mismatch"), "\(output.text)")
        #expect(output.text.contains("trusted checkpoint"))
    }

    @Test("prove prints a proof that check-proof accepts; a changed proof or another log's key is refused")
    func proofs() throws {
        try workspace()
        // A superseded certificate's issuance stays provable.
        #expect(try zhucan(["audit", "prove", "--dir", "ws", "--certificate", Self.people[1] + "42"]).status == 0)
        #expect(try zhucan(["audit", "prove", "--dir", "ws", "--certificate", "330482201001010037" + "11"]).status == 1)
        let proved = try zhucan(["audit", "prove", "--dir", "ws", "--certificate", Self.people[1] + "44", "--out", "proof.json"])
        #expect(proved.status == 0, "\(proved.errorText)")
        let valid = try zhucan(["audit", "check-proof", "proof.json"])
        #expect(valid.status == 0, "\(valid.errorText)")
        #expect(valid.text.hasPrefix("valid: 1.2.156.3005.2."))

        var proof = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.url.appendingPathComponent("proof.json"))) as? [String: Any])
        var hashes = try #require(proof["hashes"] as? [String])
        hashes[0] = Data(repeating: 7, count: 32).base64EncodedString()
        proof["hashes"] = hashes
        try JSONSerialization.data(withJSONObject: proof).write(to: folder.url.appendingPathComponent("changed.json"))
        let changed = try zhucan(["audit", "check-proof", "changed.json"])
        #expect(changed.status == 1)
        #expect(changed.errorText.contains("not in the checkpoint's tree"), "\(changed.errorText)")

        // With the certificate itself: the entry must record that very text.
        let codes = try database().read { db in
            try String.fetchAll(db, sql: "SELECT code FROM certificate WHERE number IN (?, ?) ORDER BY number = ? DESC",
                                arguments: [Self.people[1] + "44", Self.people[0] + "41", Self.people[1] + "44"])
        }
        try #require(codes.count == 2)
        let bound = try zhucan(["audit", "check-proof", "proof.json", "--certificate", codes[0]])
        #expect(bound.status == 0, "\(bound.errorText)")
        #expect(bound.text.contains("and records this certificate"), "\(bound.text)")
        #expect(valid.errorText.contains("no --certificate"), "without it, a note says what the proof does not show")
        try codes[1].write(to: folder.url.appendingPathComponent("other.txt"), atomically: true, encoding: .utf8)
        let other = try zhucan(["audit", "check-proof", "proof.json", "--certificate", "@other.txt"])
        #expect(other.status == 1)
        #expect(other.errorText.contains("another certificate") && other.errorText.contains("older certificate of the same number"), "\(other.errorText)")

        let wrongKey = try zhucan(["audit", "check-proof", "proof.json", "--log-key", try otherLogKey()])
        #expect(wrongKey.status == 1)
        #expect(try zhucan(["audit", "check-proof", "missing.json"]).status == 2)
    }

    @Test("audit log --from http://…: the whole log over the running service, with an audit key; 401 without one")
    func overHTTP() async throws {
        try workspace()
        let key = try zhucan(["apikey", "create", "--dir", "ws", "--name", "auditor", "--scope", "audit"]).text
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServeProcess(directory: "ws", in: folder.url)
        defer { server.stop() }
        let url = server.baseURL.absoluteString

        let output = try zhucan(["audit", "log", "--from", url, "--api-key", key, "--trust-anchor", "ws/keys/root.pub.pem"])
        #expect(output.status == 0, "\(output.text) \(output.errorText)")
        #expect(output.text.hasSuffix("20 entries checked, 0 problems\n"), "\(output.text)")
        // The same answer as from an export.
        #expect(try audit().text == output.text)

        let anonymous = try zhucan(["audit", "log", "--from", url])
        #expect(anonymous.status == 2)
        #expect(anonymous.errorText.contains("401"), "\(anonymous.errorText)")
        #expect(try zhucan(["audit", "log", "--from", "http://127.0.0.1:1"]).status == 2)
    }

    /// Recomputes `merkle_node` and `merkle_size` from `log_entry`, as an attacker would.
    static func rebuildTree(_ db: Database) throws {
        let store = RecordingStore()
        let log = MerkleLog(store: store)
        let rows = try Data.fetchAll(db, sql: "SELECT data FROM log_entry ORDER BY idx")
        try log.append(contentsOf: rows.map { [UInt8]($0) })
        try db.execute(sql: "DELETE FROM merkle_node")
        for (id, hash) in store.nodes {
            try db.execute(sql: "INSERT INTO merkle_node (level, idx, hash) VALUES (?, ?, ?)",
                           arguments: [id.level, Int64(id.index), Data(hash)])
        }
        try db.execute(sql: "UPDATE merkle_size SET leaf_count = ?", arguments: [rows.count])
    }
}

/// A Merkle hash store that keeps every node, so a test can copy them into the database.
private final class RecordingStore: MerkleHashStore {
    var nodes: [MerkleNodeID: [UInt8]] = [:]
    var count: UInt64 = 0

    func leafCount() throws -> UInt64 { count }
    func hash(at id: MerkleNodeID) throws -> [UInt8]? { nodes[id] }
    func append(_ new: [MerkleNode], from oldLeafCount: UInt64, to newLeafCount: UInt64) throws {
        for node in new { nodes[node.id] = node.hash }
        count = newLeafCount
    }
}
