import Foundation
import ZhucanSigning

/// Sign and verify operations per second on one core, for each signing algorithm, beside
/// `openssl speed` for the same algorithm measured in the same run, alternating the two so
/// that both see the same machine state.
struct SigningBenchmark {
    let seconds: Double
    let rounds: Int

    /// One row of the result table.
    struct Row {
        let algorithm: SignatureAlgorithm
        let operation: String
        let ours: Double
        let openssl: Double
        /// The median of the per-round ratios: each round's two measurements are taken back
        /// to back, so machine drift between rounds cancels out.
        let ratio: Double
        let ratioRange: ClosedRange<Double>
    }

    /// The row name `openssl speed` prints for each algorithm, and its argument.
    static func opensslName(_ algorithm: SignatureAlgorithm) -> (argument: String, row: String) {
        switch algorithm {
        case .sm2: ("sm2", "SM2 (CurveSM2)")
        case .es256: ("ecdsap256", "ecdsa (nistp256)")
        case .ed25519: ("ed25519", "EdDSA (Ed25519)")
        case .ps256: ("rsa2048", "rsa 2048 bits")
        }
    }

    func run() throws -> [Row] {
        var rows: [Row] = []
        // A message the size of a typical COSE Sig_structure for an identity code.
        let message = [UInt8]((0..<200).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        for algorithm in SignatureAlgorithm.signing {
            let key = try PrivateKey.generate(algorithm)
            let signature = try key.signature(for: message)
            var ourSign: [Double] = [], ourVerify: [Double] = [], theirSign: [Double] = [], theirVerify: [Double] = []
            for _ in 0..<rounds {
                let speed = try Self.opensslSpeed(algorithm, seconds: seconds)
                theirSign.append(speed.sign)
                theirVerify.append(speed.verify)
                ourSign.append(try Self.rate(seconds: seconds) { _ = try key.signature(for: message) })
                ourVerify.append(try Self.rate(seconds: seconds) {
                    precondition(key.publicKey.isValidSignature(signature, for: message))
                })
                FileHandle.standardError.write(Data(".".utf8))
            }
            for (operation, ours, theirs) in [("sign", ourSign, theirSign), ("verify", ourVerify, theirVerify)] {
                let ratios = zip(ours, theirs).map { $0 / $1 }
                rows.append(Row(
                    algorithm: algorithm, operation: operation, ours: ours.median, openssl: theirs.median,
                    ratio: ratios.median, ratioRange: (ratios.min() ?? 0)...(ratios.max() ?? 0)
                ))
            }
        }
        FileHandle.standardError.write(Data("\n".utf8))
        return rows
    }

    /// Operations per CPU-second of `operation`, repeated for `seconds` of this thread's CPU
    /// time: `openssl speed` also counts CPU time by default, so that other load on the
    /// machine counts against neither side.
    static func rate(seconds: Double, _ operation: () throws -> Void) throws -> Double {
        let start = userTime()
        var count = 0
        while userTime() - start < seconds {
            for _ in 0..<16 { try operation() }
            count += 16
        }
        return Double(count) / (userTime() - start)
    }

    /// This thread's CPU time in seconds (user and system: slightly against us, as
    /// `openssl speed` counts user time only).
    static func userTime() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Runs `openssl speed -seconds N <alg>` and reads its sign/s and verify/s columns.
    static func opensslSpeed(_ algorithm: SignatureAlgorithm, seconds: Double) throws -> (sign: Double, verify: Double) {
        let name = opensslName(algorithm)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "speed", "-seconds", String(max(1, Int(seconds.rounded()))), name.argument]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let line = output.split(separator: "\n").last(where: { $0.contains(name.row) }) else {
            throw BenchmarkError("openssl speed \(name.argument) printed no '\(name.row)' row")
        }
        let numbers = line.split(separator: " ").compactMap { Double($0) }
        guard numbers.count >= 2 else { throw BenchmarkError("cannot read openssl speed row: \(line)") }
        return (numbers[numbers.count - 2], numbers[numbers.count - 1])
    }

    /// The result table, Markdown.
    static func table(_ rows: [Row], seconds: Double, rounds: Int) -> String {
        var lines = [
            "Signing on one core: median of \(rounds) alternating rounds of \(seconds) s of CPU time each (zhucan: a 200-byte message)",
            "",
            "| algorithm | operation | zhucan ops/s | openssl speed ops/s | ratio (median of rounds) | ratio range |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        ]
        for row in rows {
            lines.append(String(
                format: "| %@ | %@ | %.0f | %.0f | %.2f | %.2f–%.2f |",
                row.algorithm.rawValue, row.operation, row.ours, row.openssl, row.ratio,
                row.ratioRange.lowerBound, row.ratioRange.upperBound
            ))
        }
        return lines.joined(separator: "\n")
    }
}

extension [Double] {
    /// The median (the upper middle for an even count).
    var median: Double {
        let sorted = self.sorted()
        return sorted.isEmpty ? 0 : sorted[sorted.count / 2]
    }
}
