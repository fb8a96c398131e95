import Foundation
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIssuer
import ZhucanSigning

/// The in-process rate of verifying one code the way the service does, without HTTP: the
/// workspace's lists loaded and checked once (`VerifiedLists`, as the service caches them),
/// then `CredentialVerifier.verify` on the code's text — base45, zlib, COSE_Sign1, the
/// signature, the status list — over and over. This is the baseline `make bench-http` sets
/// the service's `POST /v1/verify` rate beside.
///
/// Two rates, each the median of `rounds` rounds of `seconds` seconds of wall-clock time:
/// one thread, and one thread per core at once (the cores the service and wrk share).
struct CodeVerificationBenchmark {
    let workspace: URL
    let code: String
    let seconds: Double
    let rounds: Int

    struct Result {
        /// Verifications per second on one thread.
        let oneThread: Double
        /// Verifications per second with `threads` threads together.
        let allThreads: Double
        let threads: Int
        /// The reason the code got: the benchmark refuses to time a code that does not verify.
        let reason: String
        /// The baseline, measured in the same run: the signature's verification alone (a
        /// 200-byte message, a key of the code's algorithm, one thread), per second.
        let rawVerify: Double
    }

    func run() throws -> Result {
        let lists = VerifiedLists(try Workspace(opening: workspace).verifierLists())
        let configuration = EnvelopeVerifier.Configuration(validationTime: Int64(Date().timeIntervalSince1970))
        let first = CredentialVerifier(verified: lists, configuration: configuration).verify(code)
        guard first.isValid else {
            throw BenchmarkError("the code does not verify in process: \(first.reason.rawValue), \(first.detail)")
        }
        let threads = ProcessInfo.processInfo.activeProcessorCount
        guard let value = EnvelopeLayers(reading: code).cose?.algorithmValue, let algorithm = CoseAlgorithm(rawValue: value)?.signatureAlgorithm else {
            throw BenchmarkError("the code names no signature algorithm")
        }
        let key = try PrivateKey.generate(algorithm)
        let message = [UInt8](repeating: 0x5A, count: 200)
        let signature = try key.signature(for: message)
        var one: [Double] = [], all: [Double] = [], raw: [Double] = []
        for _ in 0..<rounds {
            one.append(Self.rate(threads: 1, seconds: seconds) { CredentialVerifier(verified: lists, configuration: configuration) } verify: { $0.verify(code).isValid })
            all.append(Self.rate(threads: threads, seconds: seconds) { CredentialVerifier(verified: lists, configuration: configuration) } verify: { $0.verify(code).isValid })
            raw.append(try SigningBenchmark.rate(seconds: seconds) { precondition(key.publicKey.isValidSignature(signature, for: message)) })
        }
        return Result(oneThread: one.median, allThreads: all.median, threads: threads, reason: first.reason.rawValue, rawVerify: raw.median)
    }

    /// Verifications per wall-clock second of `threads` threads, each with its own verifier,
    /// verifying until `seconds` have passed.
    static func rate(
        threads: Int, seconds: Double, verifier make: () -> CredentialVerifier, verify: @escaping @Sendable (CredentialVerifier) -> Bool
    ) -> Double {
        let verifiers = (0..<threads).map { _ in make() }
        let counts = UnsafeMutableBufferPointer<Int>.allocate(capacity: threads)
        defer { counts.deallocate() }
        counts.initialize(repeating: 0)
        nonisolated(unsafe) let shared = counts
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: threads) { index in
            let verifier = verifiers[index]
            var count = 0
            while Date().timeIntervalSince(start) < seconds {
                for _ in 0..<16 { precondition(verify(verifier), "a valid code stopped verifying") }
                count += 16
            }
            shared[index] = count
        }
        return Double(counts.reduce(0, +)) / Date().timeIntervalSince(start)
    }

    /// The result, Markdown.
    static func table(_ result: Result, algorithm: String) -> String {
        String(
            format: "| %@ | %.0f | %.0f (%d threads) | %.0f | %.2f |", algorithm, result.oneThread, result.allThreads, result.threads,
            result.rawVerify, result.oneThread / result.rawVerify
        )
    }
}
