import Foundation
import ZhucanRegistry
import ZhucanSigning

/// Batch issuance of N certificates through the release `zhucan` binary, for SM2 and ES256,
/// beside the raw signing rate of the same algorithm measured in the same run; then
/// `audit signatures` over each registry beside the raw verification rate, and the catalogue
/// coverage report and discovery over the SM2 registry.
///
/// The generated ID numbers ascend with the row, which makes every citizen-ID index insert
/// an append. A province's spreadsheet is in no such order, so ES256 runs a second time with
/// the same rows scattered: each row then lands on index pages of its own.
struct BatchBenchmark {
    let rows: Int
    let zhucan: URL
    let keys: URL

    func run() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zhucan-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let csv = folder.appendingPathComponent("people.csv")
        try Data(Self.csv(rows: rows).utf8).write(to: csv)
        let shuffled = folder.appendingPathComponent("people-shuffled.csv")
        try Data(Self.csv(rows: rows, shuffled: true).utf8).write(to: shuffled)
        let catalogue = keys.deletingLastPathComponent().appendingPathComponent("Sources/ZhucanCatalogue/Resources/pinghu-catalogue.json")

        var lines = [
            "Batch issuance of \(rows) certificates (`zhucan issue --batch`, release build, \(ProcessInfo.processInfo.activeProcessorCount) cores)",
            "beside raw signing on the same machine (200-byte message; one core, and × cores as the ceiling)",
            "",
            "| algorithm | batch rows/s | raw sign ops/s, 1 core | raw × cores | batch / (raw × cores) |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        var reportLines: [String] = []
        var auditLines = [
            "`zhucan audit signatures` over each registry (every certificate re-verified on every core) beside raw verification",
            "on the same machine (200-byte message; one core, and × cores as the ceiling)",
            "",
            "| algorithm | certificates/s | raw verify ops/s, 1 core | raw × cores | audit / (raw × cores) |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        var progressLines = [
            "The rate over the run: certificates stored per second in the first and the last quarter of the rows,",
            "read from the registry every 20 ms (it stays flat when the last quarter is as fast as the first)",
            "",
            "| algorithm | first quarter, rows/s | last quarter, rows/s | last / first |",
            "| --- | ---: | ---: | ---: |",
        ]
        for (algorithm, isShuffled) in [(SignatureAlgorithm.sm2, false), (.es256, false), (.es256, true)] {
            let name = algorithm.rawValue + (isShuffled ? ", rows in random order" : "")
            let workspace = folder.appendingPathComponent("ws-\(algorithm.rawValue)\(isShuffled ? "-shuffled" : "")").path
            try shell(["init", "--demo", "--algorithm", algorithm.rawValue, "--dir", workspace, "--keys-dir", keys.path])
            let started = Date()
            let progress = try issue(workspace: workspace, file: isShuffled ? shuffled : csv)
            let rate = Double(rows) / Date().timeIntervalSince(started)
            progressLines.append(progress.row(name))
            let key = try PrivateKey.generate(algorithm)
            let message = [UInt8](repeating: 7, count: 200)
            let raw = try SigningBenchmark.rate(seconds: 2) { _ = try key.signature(for: message) }
            let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
            lines.append(String(format: "| %@ | %.0f | %.0f | %.0f | %.2f |", name, rate, raw, raw * cores, rate / (raw * cores)))
            if !isShuffled {
                // Re-verifying every certificate, beside raw verification on every core.
                let signature = try key.signature(for: message)
                let rawVerify = try SigningBenchmark.rate(seconds: 2) { _ = key.publicKey.isValidSignature(signature, for: message) }
                let auditStarted = Date()
                try shell(["audit", "signatures", "--dir", workspace])
                let audited = Double(rows) / Date().timeIntervalSince(auditStarted)
                auditLines.append(String(format: "| %@ | %.0f | %.0f | %.0f | %.2f |", name, audited, rawVerify, rawVerify * cores, audited / (rawVerify * cores)))
            }
            if algorithm == .sm2 {
                try shell(["catalogue", "publish", "--dir", workspace, "--in", catalogue.path])
                let coverageStarted = Date()
                try shell(["catalogue", "coverage", "--dir", workspace, "--show", "0"])
                let coverage = Date().timeIntervalSince(coverageStarted)
                // The first discovery records every entitlement; the second finds them recorded.
                var discovery: [Double] = []
                for _ in 0..<2 {
                    let discoveryStarted = Date()
                    try shell(["catalogue", "discover", "--dir", workspace, "--since", "2099-01-01", "--by", "zhucan-bench", "--purpose", "benchmark"])
                    discovery.append(Date().timeIntervalSince(discoveryStarted))
                }
                reportLines = [
                    String(format: "Reports over the %d-holder registry (59 services): coverage %.2f s; discovery %.2f s the first time (every entitlement recorded), %.2f s the next", rows, coverage, discovery[0], discovery[1]),
                ]
            }
            FileHandle.standardError.write(Data("\(name) done\n".utf8))
        }
        return (lines + [""] + progressLines + [""] + auditLines + [""] + reportLines).joined(separator: "\n")
    }

    /// Runs `zhucan issue --batch FILE` on `workspace`, reading every 20 ms how many
    /// certificates it has stored (the transparency log's size, one entry per certificate).
    private func issue(workspace: String, file: URL) throws -> BatchProgressSamples {
        let registry = try Registry(path: workspace + "/zhucan.db")
        let before = try registry.logSize()
        let started = Date()
        let process = try ZhucanCommand.start(zhucan, ["issue", "--dir", workspace, "--batch", file.path])
        var samples = BatchProgressSamples(rows: rows)
        while process.isRunning {
            samples.record(seconds: Date().timeIntervalSince(started), stored: Int(try registry.logSize() - before))
            Thread.sleep(forTimeInterval: 0.02)
        }
        try ZhucanCommand.finish(process)
        samples.record(seconds: Date().timeIntervalSince(started), stored: Int(try registry.logSize() - before))
        return samples
    }

    private func shell(_ arguments: [String]) throws {
        try ZhucanCommand.run(zhucan, arguments)
    }

    /// `rows` distinct people with valid citizen ID numbers (GB 11643 MOD 11-2), ascending, or
    /// `shuffled`: row i is then person i × s mod `rows`, for s the integer near `rows` ÷ φ
    /// that is coprime to `rows` — a permutation, the same in every run, in which consecutive
    /// rows are some 62% of the registry apart.
    static func csv(rows: Int, shuffled: Bool = false) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        var lines = ["name,id_number,category,level,region"]
        lines.reserveCapacity(rows + 1)
        var step = max(1, Int(Double(rows) * 0.618_033_988_7))
        while shuffled, Self.gcd(step, rows) != 1 { step += 1 }
        for row in 0..<rows {
            let n = shuffled ? row * step % rows : row
            let day = n / 900, year = 1940 + day / 336, month = day % 336 / 28 + 1, dayOfMonth = day % 28 + 1
            let body = String(format: "330482%04d%02d%02d%03d", year, month, dayOfMonth, n % 900 + 1)
            let sum = zip(body.utf8, weights).reduce(0) { $0 + Int($1.0 - 48) * $1.1 }
            let check = Array("10X98765432")[sum % 11]
            lines.append("测试\(n),\(body)\(check),\(n % 7 + 1),\(n % 4 + 1),330482")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        b == 0 ? a : gcd(b, a % b)
    }
}
