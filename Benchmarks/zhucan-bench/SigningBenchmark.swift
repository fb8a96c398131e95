import Foundation
import ZhucanSigning

/// Sign and verify operations per second on one core, for each signing algorithm, beside
/// `openssl speed` for the same algorithm measured in the same run, alternating the two so
/// that both see the same machine state.
///
/// The two sides do not do the same work, and the table says so. `openssl speed ecdsap256`
/// (3.0) signs a 20-byte buffer as if it were a digest, nothing hashed, with one reused
/// `EVP_PKEY_CTX`, DER into a fixed buffer (`apps/speed.c`). Zhucan's rows are its public API on a 200-byte message:
/// `PrivateKey.signature(for:)` hashes, signs and returns raw r‖s, `PublicKey.isValidSignature`
/// hashes and verifies. Both sides divide by the user CPU time of the measuring thread, the
/// time `openssl speed` divides by unless given `-elapsed`. The ES256 "sign, prehashed" row
/// is a diagnostic: Zhucan's pooled ES256 context signing a ready SHA-256 digest to DER, as
/// speed does, to tell a gap in the wrapper from a gap in the harness.
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
        let digest = Digest.sha256(message)
        for algorithm in SignatureAlgorithm.signing {
            let key = try PrivateKey.generate(algorithm)
            let signature = try key.signature(for: message)
            var ourSign: [Double] = [], ourVerify: [Double] = [], theirSign: [Double] = [], theirVerify: [Double] = []
            var ourPrehashedSign: [Double] = []
            for _ in 0..<rounds {
                let speed = try Self.opensslSpeed(algorithm, seconds: seconds)
                theirSign.append(speed.sign)
                theirVerify.append(speed.verify)
                ourSign.append(try Self.rate(seconds: seconds) { _ = try key.signature(for: message) })
                ourVerify.append(try Self.rate(seconds: seconds) {
                    precondition(key.publicKey.isValidSignature(signature, for: message))
                })
                if let pool = key.es256Signer {
                    ourPrehashedSign.append(try Self.rate(seconds: seconds) {
                        _ = try pool.sign(sha256Digest: digest, format: .der)
                    })
                }
                FileHandle.standardError.write(Data(".".utf8))
            }
            var measured = [("sign", ourSign, theirSign), ("verify", ourVerify, theirVerify)]
            if !ourPrehashedSign.isEmpty {
                measured.insert(("sign, prehashed (diagnostic)", ourPrehashedSign, theirSign), at: 1)
            }
            for (operation, ours, theirs) in measured {
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

    /// Operations per user-CPU-second of `operation`, repeated for `seconds` of this thread's
    /// user CPU time: `openssl speed` also divides by user CPU time by default, so that other
    /// load on the machine counts against neither side.
    static func rate(seconds: Double, _ operation: () throws -> Void) throws -> Double {
        let run = try count(seconds: seconds, operation)
        return run.count / run.seconds
    }

    /// How many times `operation` ran in at least `seconds` of this thread's user CPU time, and
    /// the time it took.
    static func count(seconds: Double, _ operation: () throws -> Void) throws -> (count: Double, seconds: Double) {
        let start = userTime()
        var count = 0
        while userTime() - start < seconds {
            for _ in 0..<16 { try operation() }
            count += 16
        }
        return (Double(count), userTime() - start)
    }

    /// This thread's user CPU time in seconds: the time `openssl speed` divides by (its
    /// `app_tminterval` reads `times()`' user time), so system time, such as OpenSSL's
    /// `getpid` fork check in every ECDSA nonce or this clock's own system call, counts on
    /// neither side.
    static func userTime() -> Double {
        #if os(Linux)
        // RUSAGE_THREAD (Linux uapi `linux/resource.h`): Glibc shows it to Swift only under _GNU_SOURCE.
        let thisThread: Int32 = 1
        var usage = rusage()
        getrusage(thisThread, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        #else
        // No per-thread user time through getrusage here: user and system, slightly against us.
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        #endif
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
            "Signing on one core: median of \(rounds) alternating rounds of \(seconds) s each, ops per second of user CPU time on both sides.",
            "openssl speed: a 20-byte input; ecdsap256 signs and verifies it as if it were a digest (nothing hashed) on one reused EVP_PKEY_CTX, DER into a fixed buffer; sm2 and ed25519 go through EVP_DigestSign/Verify on the 20 bytes.",
            "zhucan: the public API on a 200-byte message: SHA-256 (SM3 for SM2) + sign + raw r‖s; verify hashes the message too.",
            "zhucan es256 \"sign, prehashed (diagnostic)\": the pooled context signing a ready SHA-256 digest to DER, as openssl speed does; not the headline.",
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
