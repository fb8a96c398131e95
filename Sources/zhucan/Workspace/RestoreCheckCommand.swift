import ArgumentParser
import Foundation
import ZhucanEnvelope
import ZhucanIssuer
import ZhucanRegistry

/// `zhucan restore-check`: what a registry restored from a backup lost, made good from what
/// the verifiers hold.
struct RestoreCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore-check",
        abstract: "After restoring the registry from a backup: bring back the statuses it lost and skip the numbers it would give twice.",
        discussion: """
            A restored registry has lost what happened after the backup, but the verifiers have not: the \
            suspensions and revocations made since would be undone in the next status list, and the status \
            indexes and serials of certificates issued since would be handed out again. Give it the newest status \
            list the verifiers hold (a stopped node's --state-dir: lists/status-list-1.cwt) and, for the numbers, \
            the newest checkpoint (lists/checkpoint.note of a node run with --log-key, or an auditor's saved \
            `zhucan audit checkpoint`). It says what the restore lost; with --apply it makes the statuses again \
            (each a logged event), keeps the statuses of certificates the registry no longer has in every list \
            from now on, moves new status indexes and serials past every number that may have been used, and \
            publishes the status list. With --trust-list, the newest trust list the verifiers hold (a node's \
            lists/trust-list.zc1), it makes the issuer keys as that list has them: a key revoked after the backup \
            is revoked again (the active one too: then rotate), and a key rotated in after the backup is kept as \
            retired, so that the next trust list does not undo them. With --revoke-lost it also revokes the status indexes past the highest a \
            certificate here holds, up to the first new certificates take, so that the certificates issued after \
            the backup, which the registry lost, stop verifying. Run it before anything else is issued or changed \
            (Docs/operations.md, Backups).
            """
    )

    @OptionGroup var workspace: WorkspaceOption

    @Option(name: .customLong("status-list"), help: ArgumentHelp("The newest status list the verifiers hold (binary or base64).", valueName: "file"))
    var statusList: String

    @Option(help: ArgumentHelp("The newest signed log checkpoint the verifiers or auditors hold.", valueName: "file"))
    var checkpoint: String?

    @Option(name: .customLong("trust-list"), help: ArgumentHelp(
        "The newest trust list the verifiers hold: keys revoked or rotated in after the backup are kept so.",
        discussion: "Without it, the next trust list names the issuer keys as the backup had them: a key revoked since (a stolen one) would be trusted again.",
        valueName: "file"
    ))
    var trustList: String?

    @Flag(help: "Make the changes; without it, only say what they would be.")
    var apply = false

    @Flag(name: .customLong("revoke-lost"), help: ArgumentHelp(
        "With --apply, also revoke the status indexes past the highest a certificate here holds: certificates issued after the backup stop verifying, and their holders must come back to be issued anew.",
        discussion: "The registry lost those certificates: it can neither suspend nor revoke them, so without this they stay valid for their ten years beside any issued again."
    ))
    var revokeLost = false

    func validate() throws {
        if revokeLost && !apply {
            throw ValidationError("--revoke-lost changes the registry: give it with --apply (run without both first to see what the restore lost)")
        }
    }

    func run() async throws {
        let opened = try workspace.open()
        let list = try Files.read(statusList, what: "status list")
        let note = try checkpoint.map { LogKeyOption.checkpoint(try Files.read($0, what: "checkpoint")) }
        let keys = try trustList.map { try Files.read($0, what: "trust list") }
        let check = try CommandFailure.mappingIssuerErrors {
            try opened.restoreCheck(statusList: list, checkpoint: note, trustList: keys, apply: apply, revokeLost: revokeLost, now: Clock.now)
        }
        let render = LanguageOption.Language.current.render
        var lines: [String] = []
        func describe(_ order: Registry.StatusListOrder?) -> String {
            order.map { "\(Timestamp.iso($0.issuedAt)), sequence \($0.sequence)" } ?? "none"
        }
        if check.listIsNewer {
            lines.append("状态列表：所给列表晚于本登记库自身最后的变更 / the list given (\(describe(check.list))) is newer than the registry's own last change (\(describe(check.registryList)))")
            let byState = Dictionary(grouping: check.changes, by: \.to)
            let counts = [CertificateState.revoked, .suspended, .active].map { "\(byState[$0]?.count ?? 0) \($0 == .active ? "reinstated" : $0.rawValue)" }
            let shown = check.changes.prefix(20).map { "\($0.number) (index \($0.statusIndex)) \($0.from.rawValue)→\($0.to.rawValue)" }.joined(separator: ", ")
            lines.append("恢复丢失的证件状态 \(check.changes.count) 项 / statuses the restore undid: \(check.changes.count) (\(counts.joined(separator: ", ")))\(shown.isEmpty ? "" : ": \(shown)\(check.changes.count > 20 ? ", …" : "")")")
            lines.append("本登记库没有的证件（备份后签发）的状态 \(check.carried) 项，今后每份列表照旧 / statuses of certificates the registry lost (issued after the backup): \(check.carried), kept in every list from now on")
            if byState[.revoked] != nil {
                lines.append("注意：列表中无效的证件可能已注销，也可能已被备份后丢失的新版本（更正、换领、等级变更）取代，持证人手中的新版本仍可核验（--revoke-lost 后则不再有效，须重新办证）/ note: the list marks a certificate invalid when it was revoked or superseded; one superseded after the backup (corrected, renewed, re-assessed) has a newer version the registry lost, which its holder has and which still verifies (after --revoke-lost it does not, and the holder must be issued anew): find those holders")
            }
        } else if check.isOwnList {
            lines.append("状态列表：所给列表是本登记库自己签发的，没有丢失的内容 / the list given (\(describe(check.list))) is one this registry signed itself (before the backup, or since the restore): it holds nothing the restore lost; give the newest list a node took before the restore")
        } else if let given = check.alreadyGiven, check.list <= given {
            lines.append("状态列表：所给列表不晚于此前已用的列表 / the list given (\(describe(check.list))) is not newer than the one already given (\(describe(given))): it holds nothing more")
        } else {
            lines.append("状态列表：所给列表不晚于本登记库自身最后的变更，无法据此恢复 / the list given (\(describe(check.list))) is not newer than the registry's own last change to a certificate's status (\(describe(check.registryList))): it cannot tell what the restore lost (run restore-check right after a restore, before anything is issued or changed)")
        }
        if let order = check.trustList {
            if check.keyChanges.isEmpty {
                lines.append("信任列表：所给列表（\(describe(order))\(check.trustListIsOwn ? "，本登记库所签" : "")）与本登记库的签发密钥一致 / trust list: the list given (\(describe(order))\(check.trustListIsOwn ? ", one this registry signed" : "")) agrees with the registry's issuer keys")
            }
            for change in check.keyChanges {
                switch (change.from, change.to) {
                case (nil, "active"):
                    lines.append("签发密钥 \(change.keyID)：备份后启用，私钥仍在 keys/，恢复为当前密钥 / issuer key \(change.keyID): rotated in after the backup (the list given, \(describe(order))); the registry lost it, but its private key is still in keys/: the active key again")
                case (nil, "revoked"):
                    lines.append("签发密钥 \(change.keyID)：备份后启用又已吊销，本登记库没有，作为已吊销加入 / issuer key \(change.keyID): rotated in after the backup and since revoked (the list given, \(describe(order))); the registry lost it: added as revoked")
                case (nil, _):
                    lines.append("签发密钥 \(change.keyID)：备份后启用，本登记库没有，作为已停用加入，其所签仍可核验 / issuer key \(change.keyID): rotated in after the backup (the list given, \(describe(order))); the registry lost it and cannot sign with it: added as retired, so that what it signed still verifies")
                case (let from?, _):
                    lines.append("签发密钥 \(change.keyID)：备份后已吊销，本登记库中为\(from == "active" ? "当前密钥" : "已停用") / issuer key \(change.keyID): revoked after the backup (the list given, \(describe(order))), \(from) here: revoked again")
                }
            }
        } else {
            lines.append("信任列表：未给出；备份后吊销或启用的签发密钥将按备份恢复 / trust list: none given: the next trust list names the issuer keys as the backup had them, a key revoked since included (give --trust-list)")
        }
        if check.noActiveKey {
            lines.append("注意：没有可用的签发密钥（已被吊销），轮换前不能签发；请运行 zhucan keys rotate（同时发布状态列表）/ note: no issuer key is active (the restored one is revoked): nothing can be signed\(check.applied ? "" : " once applied") until `zhucan keys rotate --dir \(workspace.url.path)`, which publishes the status list too")
        }
        if let size = check.checkpointSize {
            let skip = check.unskippedLogEntries == check.lostLogEntries
                ? (zh: "新编号跳过同样多", en: "new numbers skip as many")
                : (zh: "新编号再跳过 \(check.unskippedLogEntries) 个（前次检查已跳过其余）", en: "new numbers skip \(check.unskippedLogEntries) more (earlier checks of this restore skipped the rest)")
            lines.append("日志：所给检查点 \(size) 条，恢复后本登记库 \(check.restoredLogSize) 条，丢失 \(check.lostLogEntries) 条；\(skip.zh) / log: the checkpoint given covers \(size) entries, the restored registry held \(check.restoredLogSize): \(check.lostLogEntries) lost; \(skip.en)")
        } else {
            lines.append("日志：未给检查点，新编号只跳过列表的容量 / log: no checkpoint given: new numbers skip past the list's size and the highest index it marks only (give --checkpoint to skip as many more as the log lost entries)")
        }
        // The certificates issued after the backup: at most one per log entry lost, counted from
        // the log the restore left whichever check of it this is.
        let (lostZH, lostEN) = check.checkpointSize == nil
            ? ("数量未知：未给检查点", "how many is unknown without --checkpoint")
            : ("至多 \(check.lostLogEntries) 个，按日志丢失的条数", "at most \(check.lostLogEntries), by the log entries lost")
        if let revoked = check.revokedLost {
            let among = check.lostLogEntries > 0 || check.checkpointSize == nil
            lines.append("已注销状态编号 \(revoked.lowerBound)–\(revoked.upperBound - 1)（共 \(revoked.count) 个，均不属于本登记库的证件）；其中备份后签发、已丢失的证件\(among ? "（\(lostZH)）" : "")不再有效，持证人须回来重新办证 / revoked status indexes \(revoked.lowerBound)–\(revoked.upperBound - 1) (\(revoked.count), none held by a certificate here): the certificates issued after the backup among them\(among ? " (\(lostEN))" : "") no longer verify; their holders must come back to be issued anew")
        } else if check.lostRevoked {
            lines.append("备份后签发、已丢失的证件已由本次恢复的前一次检查注销 / the certificates issued after the backup were revoked by an earlier check of this restore")
        } else if check.checkpointSize == nil || check.lostLogEntries > 0 {
            lines.append("备份后签发、已丢失的证件（\(lostZH)）仍然有效，本登记库无法暂停或注销它们；要使其失效，加 --apply --revoke-lost / certificates issued after the backup, which the registry lost (\(lostEN)), still verify and cannot be suspended or revoked here: to make them stop, run with --apply --revoke-lost")
        }
        if check.applied {
            let next = (zh: "新证件自状态编号 \(check.nextStatusIndex ?? 0)、序号 \(check.nextSerial ?? 0) 起", en: "new certificates start at status index \(check.nextStatusIndex ?? 0) and serial counter \(check.nextSerial ?? 0)")
            lines.append(check.noActiveKey
                ? "已完成；状态列表待 keys rotate 发布；\(next.zh) / done; the status list is published by `zhucan keys rotate`; \(next.en)"
                : "已完成，状态列表已重新发布；\(next.zh) / done, the status list is published again; \(next.en)")
            lines.append("Nodes pinned with --log-key refuse the restored log (it shrank): tell them and their auditors, and start each again from the issuer (Docs/operations.md, Backups).")
        } else {
            lines.append("未作更改：确认后加 --apply 再运行 / nothing changed: run again with --apply to make these changes")
        }
        print(lines.map(render).joined(separator: "\n"))
    }
}
