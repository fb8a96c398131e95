import Foundation
import ZhucanRegistry
import ZhucanSigning

/// The transparency log at scale, through the release `zhucan` binary: issue N certificates
/// in ten equal batches (each batch's rate shows whether appending stays constant-time per
/// entry), then time inclusion and consistency proofs at size N, the export, and a full
/// `zhucan audit log` — beside the raw signature-verification rate of the same algorithm,
/// measured in the same run.
struct LogBenchmark {
    let entries: Int
    let algorithm: SignatureAlgorithm
    let zhucan: URL
    let keys: URL

    func run() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zhucan-bench-log-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = folder.appendingPathComponent("ws").path
        try shell(["init", "--demo", "--algorithm", algorithm.rawValue, "--dir", workspace, "--keys-dir", keys.path])

        var lines = [
            "Transparency log of \(entries) certificates (\(algorithm.rawValue), release build, \(ProcessInfo.processInfo.activeProcessorCount) cores)",
            "",
            "| batch | log size after | issuance rows/s (signing + registry + log) |",
            "| ---: | ---: | ---: |",
        ]
        let all = BatchBenchmark.csv(rows: entries).split(separator: "\n", omittingEmptySubsequences: true)
        let header = all[0]
        let people = all.dropFirst()
        let batches = 10
        let perBatch = (people.count + batches - 1) / batches
        let registry = try Registry(path: workspace + "/zhucan.db")
        for batch in 0..<batches {
            let rows = people.dropFirst(batch * perBatch).prefix(perBatch)
            guard !rows.isEmpty else { break }
            let csv = folder.appendingPathComponent("batch-\(batch).csv")
            try Data(([header] + rows).joined(separator: "\n").appending("\n").utf8).write(to: csv)
            let started = Date()
            try shell(["issue", "--dir", workspace, "--batch", csv.path])
            let rate = Double(rows.count) / Date().timeIntervalSince(started)
            lines.append(String(format: "| %d | %llu | %.0f |", batch + 1, try registry.logSize(), rate))
            FileHandle.standardError.write(Data("batch \(batch + 1)/\(batches) done\n".utf8))
        }

        let size = try registry.logSize()
        var generator = SystemRandomNumberGenerator()
        let samples = 1_000
        let inclusion = try Self.milliseconds(samples) {
            _ = try registry.inclusionProof(index: UInt64.random(in: 0..<size, using: &generator), size: size)
        }
        let consistency = try Self.milliseconds(samples) {
            _ = try registry.consistencyProof(from: UInt64.random(in: 1...size, using: &generator), to: size)
        }
        lines += [
            "",
            String(format: "Proofs at size %llu, mean of %d random ones: inclusion %.3f ms, consistency %.3f ms", size, samples, inclusion, consistency),
        ]

        let export = folder.appendingPathComponent("log.jsonl").path
        var started = Date()
        try shell(["audit", "export", "--dir", workspace, "--out", export])
        let exportSeconds = Date().timeIntervalSince(started)
        started = Date()
        try shell(["audit", "log", "--from", export])
        let auditSeconds = Date().timeIntervalSince(started)
        let key = try PrivateKey.generate(algorithm)
        let message = [UInt8](repeating: 7, count: 200)
        let signature = try key.signature(for: message)
        let verify = try SigningBenchmark.rate(seconds: 2) { _ = key.publicKey.isValidSignature(signature, for: message) }
        let cores = Double(ProcessInfo.processInfo.activeProcessorCount)
        let auditRate = Double(size) / auditSeconds
        lines += [
            String(format: "Export: %.1f s (%.0f entries/s)", exportSeconds, Double(size) / exportSeconds),
            String(format: "Full audit (`zhucan audit log`, signatures on %.0f cores): %.1f s, %.0f entries/s, beside raw %@ verification %.0f ops/s on one core, %.0f on %.0f (ratio %.2f)",
                   cores, auditSeconds, auditRate, algorithm.rawValue, verify, verify * cores, cores, auditRate / (verify * cores)),
        ]
        return lines.joined(separator: "\n")
    }

    /// The mean time of `body` over `count` calls, in milliseconds.
    static func milliseconds(_ count: Int, _ body: () throws -> Void) throws -> Double {
        let started = Date()
        for _ in 0..<count { try body() }
        return Date().timeIntervalSince(started) * 1_000 / Double(count)
    }

    private func shell(_ arguments: [String]) throws {
        try ZhucanCommand.run(zhucan, arguments)
    }
}
