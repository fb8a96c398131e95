import Foundation
import ZhucanIdentifiers
import ZhucanIssuer
import ZhucanSpreadsheet

/// `zhucan issue --batch`: validate every row, then issue, with progress on a terminal.
struct BatchIssue {
    let workspace: Workspace
    let file: String
    let skipInvalid: Bool
    let rejectFile: String?

    func run() async throws {
        let (requests, rejected) = try readRequests()
        let total = requests.count
        let bar = ProgressBar(total: total)
        let started = Date()
        // Handed over, not copied: the batch sorts them in place.
        let summary: Workspace.BatchSummary
        do {
            summary = try await workspace.issueBatch(consume requests, now: Clock.now) { bar.update($0.done) }
        } catch let error as IssuerError {
            throw CommandFailure(error)
        }
        bar.finish()
        Self.note(summary)
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        print(LanguageOption.Language.current.render(String(
            format: "已发证 %d 张，已有 %d 张，拒绝 %d 行，暂缓 %d 行 / issued %d (superseding %d), already issued %d, rejected %d, held back %d — %d rows in %.1f s (%.0f rows/s)",
            summary.issued, summary.alreadyIssued, rejected, summary.heldBack,
            summary.issued, summary.superseded, summary.alreadyIssued, rejected, summary.heldBack, total, seconds,
            Double(total) / seconds
        )))
    }

    /// Says on standard error which rows changed nothing although they differ from the
    /// certificate held, and which were held back because their certificate is suspended.
    static func note(_ summary: Workspace.BatchSummary) {
        if summary.heldCards > 0 {
            let shown = summary.cards.joined(separator: ", ") + (summary.heldCards > summary.cards.count ? ", …" : "")
            FileHandle.standardError.write(Data((LanguageOption.Language.current.render(
                "注意：\(summary.heldCards) 行的社保卡号已在他人的证件上，未发证（\(shown)）/ note: \(summary.heldCards) rows give a social-security card that is on another person's certificate and were not issued (\(shown)): check the numbers"
            ) + "\n").utf8))
        }
        if summary.alreadyIssuedDiffering > 0 {
            let shown = summary.differing.joined(separator: ", ") + (summary.alreadyIssuedDiffering > summary.differing.count ? ", …" : "")
            FileHandle.standardError.write(Data((LanguageOption.Language.current.render(
                "注意：已有证件的 \(summary.alreadyIssuedDiffering) 行与已发证件的姓名、地区、社保卡号或起始日期不同，未作更改（\(shown)）；姓名、地区、社保卡号请用 zhucan correct 更正 / note: \(summary.alreadyIssuedDiffering) rows of people already issued differ from their certificate in name, region, card or start date and changed nothing (\(shown)): a batch never rewrites an issued certificate; correct a name, region or card with `zhucan correct` (a start date changes only with a renewal, `zhucan renew`, or a revocation and a new issue)"
            ) + "\n").utf8))
        }
        if summary.heldNames > 0 {
            let shown = summary.names.joined(separator: ", ") + (summary.heldNames > summary.names.count ? ", …" : "")
            FileHandle.standardError.write(Data((LanguageOption.Language.current.render(
                "注意：\(summary.heldNames) 行的姓名与此人现有证件不同，未换发（\(shown)）：类别或等级变更保留姓名；请核对这些行（是否只排序了某一列？），如已更名请先 zhucan correct --name / note: \(summary.heldNames) rows would re-issue a certificate under another name and were not issued (\(shown)): a new category or level keeps the holder's name; check those rows (a column sorted on its own?), and if a name changed, correct it first with `zhucan correct --name`"
            ) + "\n").utf8))
        }
        if summary.heldSuspended > 0 {
            let shown = summary.suspended.joined(separator: ", ") + (summary.heldSuspended > summary.suspended.count ? ", …" : "")
            FileHandle.standardError.write(Data((LanguageOption.Language.current.render(
                "注意：\(summary.heldSuspended) 行的证件已暂停，未换发（\(shown)）：请先恢复（zhucan reinstate）或注销（zhucan revoke），再运行本批次 / note: \(summary.heldSuspended) rows would replace a suspended certificate and were not issued (\(shown)): reinstate (`zhucan reinstate`) or revoke (`zhucan revoke`) each, then run the batch again"
            ) + "\n").utf8))
        }
    }

    /// Reads and checks the file: its valid rows as requests, and how many rows it rejected
    /// (reported, and written to the reject file with `--skip-invalid`). The file's bytes and
    /// cells are freed on return, before anything is issued: at a million rows they are
    /// several hundred megabytes.
    private func readRequests() throws -> (requests: [IssueRequest], rejected: Int) {
        let bytes = try Files.read(file, what: "batch file", limit: BatchFile.maximumSize)
        let batch: BatchFile
        do {
            batch = try BatchFile(bytes: bytes, asOf: CivilDate.today())
        } catch {
            throw CommandFailure.input("\(file): \(error.reason)")
        }
        if !batch.problems.isEmpty {
            for problem in batch.problems {
                FileHandle.standardError.write(Data("\(file): \(LanguageOption.Language.current.render(problem.reason))\n".utf8))
            }
            guard skipInvalid else {
                throw CommandFailure.negative("\(batch.problems.count) 行有错，未发证 / \(batch.problems.count) bad row(s); nothing was issued (fix them, or use --skip-invalid)")
            }
            // A workbook's bad rows go to a workbook, whose ID numbers Excel keeps as text.
            let rejects = rejectFile ?? file + (file.lowercased().hasSuffix(".xlsx") ? ".rejected.xlsx" : ".rejected.csv")
            let table = batch.rejectTable()
            try Files.writeTable(header: table.header, rows: table.rows, sheetName: "未通过", to: rejects)
            FileHandle.standardError.write(Data("\(batch.problems.count) 行有错，已写入 \(rejects) / \(batch.problems.count) bad row(s) written to \(rejects)\n".utf8))
        }
        let requests = batch.rows.map {
            IssueRequest(name: $0.name, citizenID: $0.citizenID, category: $0.category, level: $0.level, region: $0.region,
                         socialSecurityCard: $0.socialSecurityCard, validFrom: $0.validFrom)
        }
        return (requests, batch.problems.count)
    }
}
