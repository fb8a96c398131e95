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
/// Two rates, each the median of `rounds` rounds: one thread, per second of its user CPU time
/// (the baseline's measure, taken in alternating slices with it), and one thread per core at
/// once, per second of wall-clock time (the cores the service and wrk share).
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
        /// The one-thread rate over the baseline: the median of the rounds' own ratios.
        let ratio: Double
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
        let verifier = CredentialVerifier(verified: lists, configuration: configuration)
        var one: [Double] = [], all: [Double] = [], raw: [Double] = []
        for _ in 0..<rounds {
            // The code and the bare signature take turns in short slices, each timed by this
            // thread's user CPU time as `openssl speed` times it: a virtual machine's stolen
            // time or a slower minute then weighs on both sides alike.
            var codeTime = 0.0, codeCount = 0.0, rawTime = 0.0, rawCount = 0.0
            for _ in 0..<Self.slices {
                let pipeline = try SigningBenchmark.count(seconds: seconds / Double(Self.slices)) { precondition(verifier.verify(code).isValid) }
                codeTime += pipeline.seconds
                codeCount += pipeline.count
                let bare = try SigningBenchmark.count(seconds: seconds / Double(Self.slices)) {
                    precondition(key.publicKey.isValidSignature(signature, for: message))
                }
                rawTime += bare.seconds
                rawCount += bare.count
            }
            one.append(codeCount / codeTime)
            raw.append(rawCount / rawTime)
            all.append(Self.rate(threads: threads, seconds: seconds) { CredentialVerifier(verified: lists, configuration: configuration) } verify: { $0.verify(code).isValid })
        }
        return Result(
            oneThread: one.median, allThreads: all.median, threads: threads, reason: first.reason.rawValue, rawVerify: raw.median,
            ratio: zip(one, raw).map { $0 / $1 }.median
        )
    }

    /// How many slices each round's one-thread figure and its baseline alternate in.
    static let slices = 10

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
            result.rawVerify, result.ratio
        )
    }
}
