import Foundation
import Testing
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIssuer
import ZhucanRegistry
import ZhucanTesting

/// `zhucan restore-check`: a registry restored from a backup takes back, from the status list
/// and checkpoint the verifiers hold, the statuses it lost, and gives no number twice.
extension WorkspaceCommandTests {
    /// Copies the registry's files (database, WAL, shared memory) from `from` to `to`, as a
    /// backup taken, or restored, while nothing runs.
    func copyRegistry(from: String, to: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(at: folder.url.appendingPathComponent(to), withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm"] {
            let target = folder.url.appendingPathComponent("\(to)/zhucan.db\(suffix)")
            try? manager.removeItem(at: target)
            let source = folder.url.appendingPathComponent("\(from)/zhucan.db\(suffix)")
            if manager.fileExists(atPath: source.path) { try manager.copyItem(at: source, to: target) }
        }
    }

    /// What the verifiers hold of workspace D before a restore: its status list, published now,
    /// in `NAME.cwt`, and its log's checkpoint in `NAME.note`.
    func holdLists(_ name: String) throws {
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "\(name).cwt"]).status == 0)
        try zhucan(["audit", "checkpoint", "--dir", "D"]).stdout.write(to: folder.url.appendingPathComponent("\(name).note"))
    }

    @Test("restore-check: a restored registry takes back the revocations and suspensions the verifiers' list holds, keeps a lost certificate revoked, and gives no status index or serial twice; the log audits clean")
    func restoreCheck() throws {
        try initDemo()
        let wang = try issue()
        let li = try issue(name: "李四", id: Self.li, category: 1, level: 1)
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "before.cwt"]).status == 0)
        try copyRegistry(from: "D", to: "backup")
        Thread.sleep(forTimeInterval: 1.1)

        // After the backup: one more certificate, then a revocation of it and of Wang, and Li suspended.
        let lost = try issue(name: "张三", id: Self.citizenID("33048219900202001"), category: 2, level: 2)
        let lostCode = try #require(lost["code"] as? String)
        for (number, change) in [(wang["certificateNumber"], "revoke"), (lost["certificateNumber"], "revoke"), (li["certificateNumber"], "suspend")] {
            #expect(try zhucan([change, "--dir", "D", "--certificate", try #require(number as? String), "--reason", "test"]).status == 0)
        }
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "held.cwt"]).status == 0)
        let checkpoint = try zhucan(["audit", "checkpoint", "--dir", "D"])
        try checkpoint.stdout.write(to: folder.url.appendingPathComponent("held.note"))

        // Restored: the revoked certificates verify again. That is what the command is for.
        // A list republished unchanged since (as `serve` does) does not hide what was lost.
        try copyRegistry(from: "backup", to: "D")
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "republished.cwt"]).status == 0)
        #expect(try reason(lostCode) == "valid")
        // Nor does a household fact recorded since (it changes no status), and the registry's own
        // list, given first (a node that fetched it), is never taken.
        #expect(try zhucan(["household", "set", "--dir", "D", "--certificate", try #require(li["certificateNumber"] as? String), "--set", "dibao"]).status == 0)
        let own = try zhucan(["restore-check", "--dir", "D", "--status-list", "republished.cwt", "--apply"])
        #expect(own.status == 0 && own.text.contains("one this registry signed itself"), "\(own.text)")
        #expect(try reason(try #require(wang["code"] as? String)) == "valid")

        let dryRun = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--checkpoint", "held.note"])
        #expect(dryRun.status == 0, "\(dryRun.errorText)")
        #expect(dryRun.text.contains("statuses the restore undid: 2 (1 revoked, 1 suspended, 0 reinstated)"), "\(dryRun.text)")
        #expect(dryRun.text.contains("issued after the backup): 1,"), "\(dryRun.text)")
        #expect(dryRun.text.contains("nothing changed"), "\(dryRun.text)")
        #expect(!dryRun.text.contains(Self.wang) && !dryRun.text.contains(Self.li), "numbers masked")
        #expect(try reason(lostCode) == "valid", "a dry run changes nothing")

        let applied = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--checkpoint", "held.note", "--apply"])
        #expect(applied.status == 0, "\(applied.errorText)")
        #expect(try reason(lostCode) == "revoked", "the certificate the registry lost stays revoked")
        #expect(try reason(try #require(wang["code"] as? String)) == "revoked")
        #expect(try reason(try #require(li["code"] as? String)) == "suspended")

        // New certificates take neither the lost one's status index nor its serial: past the held
        // list's size, which bounds every index reserved when it was signed. A batch first hands
        // back what was reserved and never stored, never below what the restore skipped.
        try "name,id_number,category,level,region\n钱七,\(Self.citizenID("33048219850505001")),4,2,330482\n"
            .write(to: folder.url.appendingPathComponent("one.csv"), atomically: true, encoding: .utf8)
        #expect(try zhucan(["issue", "--dir", "D", "--batch", "one.csv"]).status == 0)
        let registry = try Registry(path: folder.path("D/zhucan.db"))
        let batched = try #require(try registry.liveCertificate(citizenID: Self.citizenID("33048219850505001")))
        #expect(batched.statusIndex >= 131_072, "\(batched.statusIndex)")
        let next = try issue(name: "赵六", id: "11010519491231002X", category: 3, level: 4)
        #expect(Int64(try #require(next["statusIndex"] as? Int)) > batched.statusIndex, "\(next)")
        let serial = { (licenseID: Any?) in (licenseID as? String)?.split(separator: ".").dropLast(2).last.map(String.init) }
        #expect(serial(next["licenseId"]) != serial(lost["licenseId"]), "\(String(describing: next["licenseId"]))")
        #expect(serial(batched.licenseID) != serial(lost["licenseId"]))
        #expect(try reason(try #require(next["code"] as? String)) == "valid")

        // The log tells it all: an auditor finds every published list as the log says.
        let audit = try auditLog()
        #expect(audit.contains("status-restored: 1 statuses of certificates the log does not hold"), "noted for the auditor: \(audit)")
        #expect(try zhucan(["audit", "signatures", "--dir", "D"]).status == 0)

        // Run again, or with a list the registry signed before the backup: nothing to take back.
        let again = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt"])
        #expect(again.status == 0 && again.text.contains("not newer"), "\(again.text)")
        let older = try zhucan(["restore-check", "--dir", "D", "--status-list", "before.cwt", "--apply"])
        #expect(older.status == 0 && older.text.contains("one this registry signed itself"), "\(older.text)")
        #expect(try reason(lostCode) == "revoked")
    }

    @Test("restore-check takes lists in publication order (signing time, then sequence): a list newer than the registry is taken after a first check published its own; after a newer list, an older one is refused")
    func restoreCheckOrder() throws {
        try initDemo()
        // At the start of a second, so that the backup's list and the next are likely signed in it.
        Thread.sleep(forTimeInterval: 1 - Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 1) + 0.02)
        let wang = try issue()
        let number = try #require(wang["certificateNumber"] as? String)
        let code = try #require(wang["code"] as? String)
        try copyRegistry(from: "D", to: "backup")
        #expect(try zhucan(["suspend", "--dir", "D", "--certificate", number, "--reason", "review"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "suspended.cwt"]).status == 0)
        Thread.sleep(forTimeInterval: 1.1)
        #expect(try zhucan(["revoke", "--dir", "D", "--certificate", number, "--reason", "fraud"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "revoked.cwt"]).status == 0)
        try copyRegistry(from: "backup", to: "D")

        let first = try zhucan(["restore-check", "--dir", "D", "--status-list", "suspended.cwt", "--apply"])
        #expect(first.status == 0 && first.text.contains("is newer than the registry's own last change"), "\(first.text)")
        #expect(try reason(code) == "suspended")
        // The newer list is still taken after the check published its own.
        let second = try zhucan(["restore-check", "--dir", "D", "--status-list", "revoked.cwt", "--apply"])
        #expect(second.status == 0 && second.text.contains("1 revoked"), "\(second.text)")
        #expect(try reason(code) == "revoked")
        // The older one again: refused as already passed, changing nothing.
        let stale = try zhucan(["restore-check", "--dir", "D", "--status-list", "suspended.cwt", "--apply"])
        #expect(stale.status == 0 && stale.text.contains("not newer than the one already given"), "\(stale.text)")
        #expect(try reason(code) == "revoked")
    }

    @Test("restore-check: a newer list given later lifts the suspension an older one carried for a certificate the registry lost")
    func restoreCheckLiftsACarriedSuspension() throws {
        try initDemo()
        _ = try issue()
        try copyRegistry(from: "D", to: "backup")
        Thread.sleep(forTimeInterval: 1.1)
        let lost = try issue(name: "李四", id: Self.li, category: 1, level: 1)
        let number = try #require(lost["certificateNumber"] as? String)
        let code = try #require(lost["code"] as? String)
        #expect(try zhucan(["suspend", "--dir", "D", "--certificate", number, "--reason", "review"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "lagging.cwt"]).status == 0)
        #expect(try zhucan(["reinstate", "--dir", "D", "--certificate", number, "--reason", "cleared"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "fresh.cwt"]).status == 0)
        try copyRegistry(from: "backup", to: "D")

        #expect(try zhucan(["restore-check", "--dir", "D", "--status-list", "lagging.cwt", "--apply"]).status == 0)
        #expect(try reason(code) == "suspended")
        let fresh = try zhucan(["restore-check", "--dir", "D", "--status-list", "fresh.cwt", "--apply"])
        #expect(fresh.status == 0, "\(fresh.errorText)")
        #expect(try reason(code) == "valid", "\(fresh.text)")
        try auditLog()
    }

    @Test("restore-check days after the list it is given expired: the list is still taken, and the auditor takes it too")
    func restoreCheckOfAnExpiredList() throws {
        try initDemo()
        _ = try issue()
        try copyRegistry(from: "D", to: "backup")
        Thread.sleep(forTimeInterval: 1.1)
        let lost = try issue(name: "李四", id: Self.li, category: 1, level: 1)
        #expect(try zhucan(["revoke", "--dir", "D", "--certificate", try #require(lost["certificateNumber"] as? String), "--reason", "fraud"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "held.cwt"]).status == 0)
        try copyRegistry(from: "backup", to: "D")

        // Three days on: the list (valid one day) has expired.
        let workspace = try Workspace(opening: folder.url.appendingPathComponent("D"))
        let held = [UInt8](try Data(contentsOf: folder.url.appendingPathComponent("held.cwt")))
        let check = try workspace.restoreCheck(statusList: held, checkpoint: nil, apply: true, now: Int64(Date().timeIntervalSince1970) + 3 * 86_400)
        #expect(check.listIsNewer && check.applied && check.carried == 1)
        let index = try #require(lost["statusIndex"] as? Int)
        // Revoked for good: kept as a range, as every run of carried revocations is.
        #expect(try workspace.registry.revokedRanges().contains { $0.contains(Int64(index)) })
        try auditLog()
    }

    @Test("restore-check --revoke-lost: a certificate issued after the backup, which the registry lost, stops verifying; the registry's own and new ones do not; the log audits clean and says so")
    func restoreCheckRevokesLost() throws {
        try initDemo()
        let wang = try issue()
        try copyRegistry(from: "D", to: "backup")
        Thread.sleep(forTimeInterval: 1.1)
        let lost = try issue(name: "张三", id: Self.citizenID("33048219900202001"), category: 2, level: 2)
        let lostCode = try #require(lost["code"] as? String)
        try holdLists("held")

        try copyRegistry(from: "backup", to: "D")
        #expect(try reason(lostCode) == "valid")
        let refused = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--revoke-lost"])
        #expect(refused.status == 2 && refused.errorText.contains("--apply"), "\(refused.errorText)")
        let kept = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--checkpoint", "held.note", "--apply"])
        #expect(kept.status == 0 && kept.text.contains("by the log entries lost), still verify"), "\(kept.text)\(kept.errorText)")
        #expect(try reason(lostCode) == "valid", "kept valid unless asked")

        let revoked = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--checkpoint", "held.note", "--apply", "--revoke-lost"])
        #expect(revoked.status == 0, "\(revoked.errorText)")
        #expect(revoked.text.contains("none held by a certificate here): the certificates issued after the backup among them (at most"), "\(revoked.text)")
        #expect(revoked.text.contains("by the log entries lost) no longer verify"), "\(revoked.text)")
        // Counted from the log the restore left, not the one the first check grew.
        let lostCount = { (text: String) in text.firstMatch(of: /丢失 (\d+) 条/).map { String($0.1) } }
        #expect(lostCount(kept.text) != nil && lostCount(revoked.text) == lostCount(kept.text), "\(kept.text)\n\(revoked.text)")
        let quiet = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--checkpoint", "held.note", "--apply", "--revoke-lost"])
        #expect(quiet.status == 0 && !quiet.text.contains("revoked status indexes") && !quiet.text.contains("still verify"), "\(quiet.text)")
        #expect(quiet.text.contains("were revoked by an earlier check of this restore") && lostCount(quiet.text) == lostCount(kept.text), "\(quiet.text)")
        #expect(try reason(lostCode) == "revoked")
        #expect(try reason(try #require(wang["code"] as? String)) == "valid")
        let next = try issue(name: "赵六", id: "11010519491231002X", category: 3, level: 4)
        #expect(try reason(try #require(next["code"] as? String)) == "valid")

        // Run again: nothing more to revoke, and nothing said to be lost. (The registry is
        // opened for each look, never across a copy of its files.)
        let registry = { try Registry(path: self.folder.path("D/zhucan.db")) }
        let ranges = try registry().revokedRanges()
        #expect(ranges.count == 1, "\(ranges)")
        let again = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--checkpoint", "held.note", "--apply", "--revoke-lost"])
        #expect(again.status == 0 && !again.text.contains("revoked status indexes") && !again.text.contains("still verify"), "\(again.text)")
        #expect(try registry().revokedRanges() == ranges)

        // A second restore, given a list that carries the range: nothing taken index by index.
        try copyRegistry(from: "D", to: "backup2")
        Thread.sleep(forTimeInterval: 1.1)
        _ = try issue(name: "钱七", id: Self.citizenID("33048219850505001"), category: 4, level: 2)
        try holdLists("held2")
        try copyRegistry(from: "backup2", to: "D")
        let second = try zhucan(["restore-check", "--dir", "D", "--status-list", "held2.cwt", "--checkpoint", "held2.note", "--apply", "--revoke-lost"])
        #expect(second.status == 0 && second.text.contains("issued after the backup): 0,"), "\(second.text)\(second.errorText)")
        #expect(try registry().inactiveStatusEntries().count < 10)
        let twice = try registry().revokedRanges()
        #expect(zip(twice, twice.dropFirst()).allSatisfy { $0.upperBound <= $1.lowerBound }, "disjoint: \(twice)")
        #expect(try reason(lostCode) == "revoked")

        let audit = try auditLog()
        #expect(audit.contains("lost-statuses-revoked: "), "noted for the auditor: \(audit)")
        #expect(try zhucan(["audit", "signatures", "--dir", "D"]).status == 0)
    }

    @Test("A second restore, from a backup taken right after a check of the first, is told its own loss: counted from its log, its lost certificate said to still verify")
    func secondRestoreHasItsOwnLoss() throws {
        try initDemo()
        _ = try issue()
        try copyRegistry(from: "D", to: "backup")
        Thread.sleep(forTimeInterval: 1.1)
        _ = try issue(name: "张三", id: Self.citizenID("33048219900202001"), category: 2, level: 2)
        try holdLists("held")
        try copyRegistry(from: "backup", to: "D")
        let first = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--checkpoint", "held.note", "--apply", "--revoke-lost"])
        try #require(first.status == 0, "\(first.errorText)")

        // Backed up again at once, nothing issued in between: the registry cannot tell the next
        // restore from the first but by the checkpoint it is given.
        try copyRegistry(from: "D", to: "backup2")
        let logSize = try Registry(path: folder.path("D/zhucan.db")).logEntryCount()
        Thread.sleep(forTimeInterval: 1.1)
        let lost = try issue(name: "钱七", id: Self.citizenID("33048219850505001"), category: 4, level: 2)
        try holdLists("held2")
        let heldSize = try Registry(path: folder.path("D/zhucan.db")).logEntryCount()
        try copyRegistry(from: "backup2", to: "D")
        let second = try zhucan(["restore-check", "--dir", "D", "--status-list", "held2.cwt", "--checkpoint", "held2.note"])
        #expect(second.status == 0, "\(second.errorText)")
        #expect(second.text.contains("丢失 \(heldSize - logSize) 条"), "\(second.text)")
        #expect(!second.text.contains("earlier check") && second.text.contains("still verify"), "\(second.text)")
        #expect(try reason(try #require(lost["code"] as? String)) == "valid")
    }

    @Test("A reason beginning restore-check: is kept for restore-check's own changes")
    func restoreCheckReasonIsReserved() throws {
        try initDemo()
        let number = try #require(try issue()["certificateNumber"] as? String)
        let refused = try zhucan(["suspend", "--dir", "D", "--certificate", number, "--reason", "Restore-Check: stolen card"])
        #expect(refused.status == 2 && refused.errorText.contains("restore-check"), "\(refused.errorText)")
        #expect(try zhucan(["suspend", "--dir", "D", "--certificate", number, "--reason", "stolen card; see restore-check: no"]).status == 0)
    }

    @Test("restore-check refuses a list of another issuer, a checkpoint whose signature does not cover it, and a file that is neither")
    func restoreCheckRefusals() throws {
        try initDemo()
        try initDemo("E", algorithm: "es256")
        _ = try issue()
        _ = try issue("E")
        #expect(try zhucan(["status-list", "publish", "--dir", "E", "--out", "other.cwt"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "mine.cwt"]).status == 0)
        // The workspace's own checkpoint, its size altered: the signature no longer covers it.
        var lines = try zhucan(["audit", "checkpoint", "--dir", "D"]).text.components(separatedBy: "\n")
        lines[1] = "999"
        try Data(lines.joined(separator: "\n").utf8).write(to: folder.url.appendingPathComponent("other.note"))
        try Data("not a list".utf8).write(to: folder.url.appendingPathComponent("junk"))

        let other = try zhucan(["restore-check", "--dir", "D", "--status-list", "other.cwt"])
        #expect(other.status == 2 && other.errorText.contains("does not verify"), "\(other.errorText)")
        let junk = try zhucan(["restore-check", "--dir", "D", "--status-list", "junk"])
        #expect(junk.status == 2, "\(junk.errorText)")
        let note = try zhucan(["restore-check", "--dir", "D", "--status-list", "mine.cwt", "--checkpoint", "other.note", "--apply"])
        #expect(note.status == 2 && note.errorText.contains("not this workspace's log"), "\(note.errorText)")
        #expect(try zhucan(["restore-check", "--dir", "D", "--status-list", "missing.cwt"]).status == 2)
    }
}

extension WorkspaceCommandTests {
    /// Copies the workspace's `keys/` folder from `from` to `to`, replacing it, as a backup of
    /// the keys taken, or restored, with the registry.
    func copyKeys(from: String, to: String) throws {
        let manager = FileManager.default
        let target = folder.url.appendingPathComponent("\(to)/keys")
        try? manager.removeItem(at: target)
        try manager.createDirectory(at: folder.url.appendingPathComponent(to), withIntermediateDirectories: true)
        try manager.copyItem(at: folder.url.appendingPathComponent("\(from)/keys"), to: target)
    }

    @Test("restore-check --trust-list: the key revoked after the backup, the restored registry's active one, is revoked again and nothing signs until a rotation; the key rotated in after it is kept as retired, so that its status list is read and its certificates verify; the log audits clean")
    func restoreCheckKeepsTheKeysTheVerifiersHold() throws {
        try initDemo()
        // A catalogue the stolen key signs, which the rotation after the check signs again.
        #expect(try zhucan(["catalogue", "publish", "--dir", "D", "--in", CatalogueCommandTests.catalogueFile]).status == 0)
        let wang = try issue()
        let wangCode = try #require(wang["code"] as? String)
        let stolen = try #require(try verify(wangCode)["kid"] as? String)
        try copyRegistry(from: "D", to: "backup")
        try copyKeys(from: "D", to: "backup")
        Thread.sleep(forTimeInterval: 1.1)

        // After the backup: a rotation, a certificate signed by the new key, the old key revoked
        // (a stolen disk), and a revocation, all in the lists the verifiers hold.
        let rotated = try zhucan(["keys", "rotate", "--dir", "D"])
        try #require(rotated.status == 0, "\(rotated.errorText)")
        let lostKey = rotated.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let li = try issue(name: "李四", id: Self.li, category: 1, level: 1)
        let liCode = try #require(li["code"] as? String)
        #expect(try zhucan(["keys", "revoke", "--dir", "D", "--key", stolen, "--reason", "备份盘遗失 / disk stolen"]).status == 0)
        let zhang = try issue(name: "张三", id: Self.citizenID("33048219900202001"), category: 2, level: 2)
        #expect(try zhucan(["revoke", "--dir", "D", "--certificate", try #require(zhang["certificateNumber"] as? String), "--reason", "fraud"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "held.cwt"]).status == 0)
        #expect(try zhucan(["trust-list", "publish", "--dir", "D", "--out", "held.zc1"]).status == 0)
        #expect(try reason(wangCode) == "key_not_valid_at_signing")

        // Restored, registry and keys: the stolen key is active again.
        try copyRegistry(from: "backup", to: "D")
        try copyKeys(from: "backup", to: "D")
        #expect(try reason(wangCode) == "valid")
        // The status list was signed by a key the restored registry does not know: the command
        // says what to give.
        let unread = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt"])
        #expect(unread.status != 0 && unread.errorText.contains("--trust-list"), "\(unread.errorText)")
        // Only a trust list the root key signed is taken.
        try Data("ZC1:NOTALIST".utf8).write(to: folder.url.appendingPathComponent("forged.zc1"))
        let forged = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--trust-list", "forged.zc1"])
        #expect(forged.status != 0 && forged.errorText.contains("does not verify under this workspace's root key"), "\(forged.errorText)")

        let dryRun = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--trust-list", "held.zc1"])
        #expect(dryRun.status == 0, "\(dryRun.errorText)")
        #expect(dryRun.text.contains("issuer key \(stolen): revoked after the backup"), "\(dryRun.text)")
        #expect(dryRun.text.contains("issuer key \(lostKey): rotated in after the backup"), "\(dryRun.text)")
        #expect(dryRun.text.contains("no issuer key is active"), "\(dryRun.text)")
        #expect(try reason(wangCode) == "valid", "a dry run changes nothing")

        let applied = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--trust-list", "held.zc1", "--apply"])
        #expect(applied.status == 0, "\(applied.errorText)")
        #expect(applied.text.contains("published by `zhucan keys rotate`"), "\(applied.text)")
        try auditLog()
        #expect(try reason(wangCode) == "key_not_valid_at_signing", "the stolen key's signatures are refused again")
        #expect(!FileManager.default.fileExists(atPath: folder.path("D/keys/issuer-\(stolen).key.pem")), "the stolen key's private file is gone")
        // Nothing signs with the revoked key, and a rotation brings a new one.
        let refused = try zhucan(["issue", "--dir", "D", "--name", "赵六", "--id-number", "11010519491231002X", "--category", "3", "--level", "4", "--region", "330482"])
        #expect(refused.status != 0, "\(refused.text)")
        // Run again before the rotation (as its own output suggests): nothing more, and nothing signed.
        let rerun = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--trust-list", "held.zc1", "--apply"])
        #expect(rerun.status == 0 && rerun.text.contains("no issuer key is active"), "\(rerun.text)\(rerun.errorText)")
        #expect(try zhucan(["keys", "rotate", "--dir", "D"]).status == 0)
        #expect(try reason(liCode) == "valid", "signed by the lost key before it was retired")
        #expect(try reason(try #require(zhang["code"] as? String)) == "revoked")
        let fresh = try issue(name: "赵六", id: "11010519491231002X", category: 3, level: 4)
        #expect(try reason(try #require(fresh["code"] as? String)) == "valid")

        // The next trust list takes a sequence past the one the verifiers hold, and the log
        // tells every key's life as the auditor expects it.
        let registry = try Registry(path: folder.path("D/zhucan.db"))
        let held = try #require(String(data: try Data(contentsOf: folder.url.appendingPathComponent("held.zc1")), encoding: .utf8))
        let heldSequence = try #require(EnvelopeLayers(reading: held.trimmingCharacters(in: .whitespacesAndNewlines)).claims.flatMap { try? TrustList(claims: $0) }?.sequence)
        #expect(try #require(try registry.latestPublication(.trustList)).sequence > heldSequence)
        try auditLog()

        // Run again: the keys agree.
        let again = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--trust-list", "held.zc1"])
        #expect(again.status == 0 && again.text.contains("agrees with the registry's issuer keys"), "\(again.text)")
    }
}

extension WorkspaceCommandTests {
    @Test("restore-check --trust-list: an older trust list, or one given after a newer, never makes a revoked key count: a status list the thief signs with it is refused and reinstates nobody")
    func restoreCheckKeepsARevocationWhicheverListIsOlder() throws {
        try initDemo()
        #expect(try zhucan(["trust-list", "publish", "--dir", "D", "--out", "old.zc1"]).status == 0)
        let wangCode = try #require(try issue()["code"] as? String)
        let stolen = try #require(try verify(wangCode)["kid"] as? String)
        #expect(try zhucan(["keys", "rotate", "--dir", "D"]).status == 0)
        #expect(try zhucan(["keys", "revoke", "--dir", "D", "--key", stolen, "--reason", "stolen"]).status == 0)
        let li = try issue(name: "李四", id: Self.li, category: 1, level: 1)
        #expect(try zhucan(["suspend", "--dir", "D", "--certificate", try #require(li["certificateNumber"] as? String), "--reason", "review"]).status == 0)
        // The thief holds the stolen key (the demo keys): a list with nothing marked, signed by it.
        try initDemo("THIEF")
        #expect(try zhucan(["status-list", "publish", "--dir", "THIEF", "--out", "forged.cwt"]).status == 0)

        let forged = try zhucan(["restore-check", "--dir", "D", "--status-list", "forged.cwt", "--trust-list", "old.zc1", "--apply"])
        #expect(forged.status != 0 && forged.errorText.contains("is revoked"), "\(forged.text)\(forged.errorText)")
        #expect(try reason(try #require(li["code"] as? String)) == "suspended")
        try auditLog()
    }

    @Test("restore-check --trust-list after only the registry was restored: the key rotated in after the backup, whose private key keys/ still holds, is the active key again, the status list is published with it, and issuing goes on; the log audits clean")
    func restoreCheckTakesBackTheKeyItsFolderHolds() throws {
        try initDemo()
        _ = try issue()
        try copyRegistry(from: "D", to: "backup")
        Thread.sleep(forTimeInterval: 1.1)
        let rotated = try zhucan(["keys", "rotate", "--dir", "D"])
        let current = rotated.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let li = try issue(name: "李四", id: Self.li, category: 1, level: 1)
        #expect(try zhucan(["revoke", "--dir", "D", "--certificate", try #require(li["certificateNumber"] as? String), "--reason", "fraud"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "held.cwt"]).status == 0)
        #expect(try zhucan(["trust-list", "publish", "--dir", "D", "--out", "held.zc1"]).status == 0)
        // Only the registry: keys/ holds the current key, not the one the backup has active.
        try copyRegistry(from: "backup", to: "D")

        let applied = try zhucan(["restore-check", "--dir", "D", "--status-list", "held.cwt", "--trust-list", "held.zc1", "--apply"])
        #expect(applied.status == 0, "\(applied.text)\(applied.errorText)")
        #expect(applied.text.contains("issuer key \(current): rotated in after the backup"), "\(applied.text)")
        #expect(applied.text.contains("the active key again"), "\(applied.text)")
        #expect(try reason(try #require(li["code"] as? String)) == "revoked")
        // The backup's key retires when the list says it retired, not now: in between, the
        // verifiers refuse what it signs, and a copy of the backup's keys must not change that.
        let held = try #require(String(data: try Data(contentsOf: folder.url.appendingPathComponent("held.zc1")), encoding: .utf8))
        let list = try #require(EnvelopeLayers(reading: held.trimmingCharacters(in: .whitespacesAndNewlines)).claims.flatMap { try? TrustList(claims: $0) })
        let registry = try Registry(path: folder.path("D/zhucan.db"))
        for key in try registry.keys(role: .issuer) where key.keyID != current {
            let listed = try #require(list.entries.first { $0.key.keyID.hex == key.keyID })
            #expect(key.state == "retired" && key.validUntil == listed.validUntil, "\(key)")
        }
        let fresh = try issue(name: "赵六", id: "11010519491231002X", category: 3, level: 4)
        let answer = try verify(try #require(fresh["code"] as? String))
        #expect(answer["reason"] as? String == "valid" && answer["kid"] as? String == current, "\(answer)")
        try auditLog()
    }
}
