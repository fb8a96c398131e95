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
        let bytes = try Files.read(file, what: "batch file")
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
            let rejects = rejectFile ?? file + ".rejected.csv"
            try Files.write(Array(batch.rejectFile().utf8), to: rejects)
            FileHandle.standardError.write(Data("\(batch.problems.count) 行有错，已写入 \(rejects) / \(batch.problems.count) bad row(s) written to \(rejects)\n".utf8))
        }
        let requests = batch.rows.map {
            IssueRequest(name: $0.name, citizenID: $0.citizenID, category: $0.category, level: $0.level, region: $0.region,
                         socialSecurityCard: $0.socialSecurityCard, validFrom: $0.validFrom)
        }
        let bar = ProgressBar(total: requests.count)
        let started = Date()
        let summary = try await CommandFailure.mappingIssuerErrorsAsync {
            try await workspace.issueBatch(requests, now: Clock.now) { bar.update($0.done) }
        }
        bar.finish()
        let seconds = max(Date().timeIntervalSince(started), 0.001)
        print(LanguageOption.Language.current.render(String(
            format: "已发证 %d 张，已有 %d 张，拒绝 %d 行 / issued %d (superseding %d), already issued %d, rejected %d — %d rows in %.1f s (%.0f rows/s)",
            summary.issued, summary.alreadyIssued, batch.problems.count,
            summary.issued, summary.superseded, summary.alreadyIssued, batch.problems.count, requests.count, seconds,
            Double(requests.count) / seconds
        )))
    }
}
