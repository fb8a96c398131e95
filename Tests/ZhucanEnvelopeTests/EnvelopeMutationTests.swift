import Foundation
import Testing
import ZhucanTesting
import ZhucanCBOR
import ZhucanEnvelope
import ZhucanSigning

/// SplitMix64 (Steele, Lea and Flood, 2014): a small seeded generator, so every run mutates
/// the same way and a failure can be replayed.
struct MutationRandom: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// How often each reason came up, printed so a run shows what the mutations hit.
struct ReasonTally: CustomStringConvertible {
    private(set) var counts: [VerificationReason: Int] = [:]

    mutating func add(_ reason: VerificationReason) {
        counts[reason, default: 0] += 1
    }

    var total: Int { counts.values.reduce(0, +) }

    var description: String {
        counts.sorted { $0.value > $1.value }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
    }
}

@Suite("Envelope mutations")
struct EnvelopeMutationTests {
    typealias Fixture = CoseFixture

    static let base45Alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")

    @Test("every single-character substitution is rejected, or decodes to the identical COSE",
          arguments: SignatureAlgorithm.signing)
    func textSubstitutions(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let text = try EnvelopeSealer.seal(Fixture.claims, type: Fixture.type, key: key)
        let verifier = Fixture.verifier([key.publicKey])
        let original = try #require(EnvelopeLayers(reading: text).inflated)
        #expect(verifier.verify(text).reason == .valid)

        var random = MutationRandom(seed: 0x5A43_3100 ^ UInt64(text.utf8.count))
        var tally = ReasonTally()
        var validMutants = 0
        let characters = Array(text)
        for index in characters.indices {
            var replacements = Set<Character>(["a", " "])
            while replacements.count < 5 {
                let candidate = Self.base45Alphabet.randomElement(using: &random)!
                if candidate != characters[index] { replacements.insert(candidate) }
            }
            for replacement in replacements.sorted() where replacement != characters[index] {
                var mutant = characters
                mutant[index] = replacement
                let result = verifier.verify(String(mutant))
                tally.add(result.reason)
                if result.reason == .valid {
                    // Only a mutant that still inflates to the very same COSE may verify (for
                    // example `ZC1:` → `HC1:`: the prefix is not signed).
                    validMutants += 1
                    #expect(result.layers.inflated == original, "position \(index) → \(replacement) verified with different bytes")
                }
            }
        }
        print("\(algorithm) text substitutions (\(tally.total) over \(characters.count) positions): \(tally)")
        #expect(tally.total >= characters.count * 4)
        // Each layer is hit: the prefix, base45 (lower case, dangling characters), zlib (the
        // Adler-32 and the Huffman data), and the signature when the stream survives.
        for reason: VerificationReason in [.malformedPrefix, .malformedBase45, .malformedCompression] {
            #expect(tally.counts[reason, default: 0] > 0, "\(reason) never seen: \(tally)")
        }
        #expect(validMutants <= characters.count, "\(tally)")
    }

    /// The byte ranges of the payload and signature contents inside `cose.encoded()`.
    static func contentRanges(_ cose: CoseSign1, in bytes: [UInt8]) -> (payload: Range<Int>, signature: Range<Int>) {
        let signatureEnd = bytes.count
        let signatureStart = signatureEnd - cose.signature.count
        let signatureHead = CBOR.bytes(cose.signature).encoded().count - cose.signature.count
        let payloadEnd = signatureStart - signatureHead
        return (payloadEnd - cose.payload.count..<payloadEnd, signatureStart..<signatureEnd)
    }

    /// Replacement values for a byte: all 255 others where the byte is structure (tags, heads,
    /// the protected header), and inside the payload or signature contents, where every change
    /// must give the same answer, each single-bit flip, 0x00, 0xFF and two random values.
    static func replacements(for byte: UInt8, exhaustive: Bool, using random: inout MutationRandom) -> [UInt8] {
        guard !exhaustive else { return (UInt8.min...UInt8.max).filter { $0 != byte } }
        var values = Set((0..<8).map { byte ^ (1 << $0) } + [0x00, 0xFF])
        while values.count < 12 { values.insert(UInt8.random(in: 0...255, using: &random)) }
        values.remove(byte)
        return values.sorted()
    }

    @Test("no single-byte change of the COSE bytes, re-sealed, ever verifies", arguments: SignatureAlgorithm.signing)
    func coseByteMutations(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let cose = try CoseSign1.sign(payload: Fixture.claims.cbor.encoded(), type: Fixture.type, key: key)
        let bytes = cose.encoded()
        let verifier = Fixture.verifier([key.publicKey])
        #expect(verifier.verify(Fixture.seal(bytes)).reason == .valid)
        let ranges = Self.contentRanges(cose, in: bytes)
        #expect(Array(bytes[ranges.payload]) == cose.payload)
        #expect(Array(bytes[ranges.signature]) == cose.signature)

        var random = MutationRandom(seed: 0xC05E_0000 ^ UInt64(bytes.count))
        var tally = ReasonTally()
        var insideContent = ReasonTally()
        for index in bytes.indices {
            let content = ranges.payload.contains(index) || ranges.signature.contains(index)
            for value in Self.replacements(for: bytes[index], exhaustive: !content, using: &random) {
                var mutant = bytes
                mutant[index] = value
                let result = verifier.verify(Fixture.seal(mutant))
                tally.add(result.reason)
                #expect(result.reason != .valid, "byte \(index) := \(value) verified")
                if content {
                    // The signature is checked before the payload is interpreted, so any change
                    // to signed content or to the signature is a bad signature.
                    insideContent.add(result.reason)
                    #expect(result.reason == .badSignature, "byte \(index) := \(value): \(result.reason) \(result.detail)")
                }
            }
        }
        print("\(algorithm) COSE byte mutations (\(tally.total) over \(bytes.count) bytes): \(tally)")
        #expect(insideContent.total >= (ranges.payload.count + ranges.signature.count) * 11)
        #expect(tally.total - insideContent.total == (bytes.count - ranges.payload.count - ranges.signature.count) * 255)
        // Structure mutations reach every kind of answer before the signature.
        for reason: VerificationReason in [.malformedCBOR, .malformedCOSE, .unknownKey, .algorithmMismatch, .badSignature] {
            #expect(tally.counts[reason, default: 0] > 0, "\(reason) never seen: \(tally)")
        }
    }

    @Test("random garbage never verifies and never crashes")
    func garbage() throws {
        let key = try PrivateKey.generate(.es256)
        let verifier = Fixture.verifier([key.publicKey])
        var random = MutationRandom(seed: 0x6761_7262_6167_65)
        let pools: [[Character]] = [
            Self.base45Alphabet,
            Array("0123456789ABCDEFabcdef:!\"#&'()\n\t\r\u{0}é助残🙂\u{FEFF}"),
            (0..<128).map { Character(Unicode.Scalar(UInt8($0))) },
        ]
        var tally = ReasonTally()
        var fixed = ["", " ", "\n", "ZC1", "ZC1:", "HC1:", "zc1:", "ZC1:0", "ZC1:00", "ZC1:000", "ZC1: ", "ZC1:\u{0}", "ZC1:::", "ZC1:🙂"]
        fixed.append("ZC1:" + Base45.encode([]))
        fixed.append("ZC1:" + Base45.encode(Zlib.compress([])))
        fixed.append("ZC1:" + Base45.encode(Zlib.compress([0xD2])))
        for text in fixed {
            tally.add(verifier.verify(text).reason)
        }
        for round in 0..<3000 {
            let pool = pools[round % pools.count]
            let length = Int.random(in: 0...400, using: &random)
            var text = String((0..<length).map { _ in pool.randomElement(using: &random)! })
            if round % 2 == 0 { text = (round % 4 == 0 ? "ZC1:" : "HC1:") + text }
            let result = verifier.verify(text)
            tally.add(result.reason)
            #expect(result.reason != .valid, "\(text.debugDescription)")
        }
        // Random base45 that inflates to CBOR that happens to be a COSE_Sign1 is not expected;
        // every layer before that must have been reached.
        print("garbage: \(tally)")
        for reason: VerificationReason in [.malformedPrefix, .malformedBase45, .malformedCompression] {
            #expect(tally.counts[reason, default: 0] > 0, "\(reason) never seen: \(tally)")
        }
        #expect(tally.counts[.valid] == nil)
    }

    @Test("random bytes compressed behind a valid prefix never verify")
    func garbageStreams() throws {
        let key = try PrivateKey.generate(.ed25519)
        let verifier = Fixture.verifier([key.publicKey])
        var random = MutationRandom(seed: 42)
        var tally = ReasonTally()
        for _ in 0..<2000 {
            let bytes = (0..<Int.random(in: 0...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            // Mostly a COSE-looking start, so that the CBOR and COSE layers are exercised too.
            let start: [UInt8] = [[], [0xD2], [0xD2, 0x84], [0xD8, 0x3D, 0xD2, 0x84], [0x84, 0x43]][Int.random(in: 0...4, using: &random)]
            let result = verifier.verify(Fixture.seal(start + bytes))
            tally.add(result.reason)
            #expect(result.reason != .valid)
        }
        print("random streams: \(tally)")
        #expect(tally.counts[.malformedCBOR, default: 0] > 0, "\(tally)")
    }

    @Test("a 2 MB text is refused by the length limit before anything is decoded")
    func longText() {
        let verifier = EnvelopeVerifier(keys: [], configuration: .init(validationTime: Fixture.now))
        for text in ["ZC1:" + String(repeating: "0", count: 2 << 20), String(repeating: "A", count: 2 << 20)] {
            let started = ContinuousClock.now
            let result = verifier.verify(text)
            #expect(result.reason == .malformedPrefix)
            #expect(result.detail.contains("limit"), "\(result.detail)")
            #expect(result.layers.compressed == nil)
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test("a zip bomb behind a valid prefix and base45 stops at the inflate limit, quickly")
    func zipBomb() throws {
        // 64 MiB of zeros deflate to about 64 KB: well inside the text limit, 64 times the
        // default 1 MiB inflate limit.
        let chunk = [UInt8](repeating: 0, count: 1 << 20)
        let bomb = Zlib.compress(chunks: repeatElement(chunk, count: 64))
        let text = EnvelopePrefix.zhucan.rawValue + Base45.encode(bomb)
        let limits = EnvelopeLayers.Limits()
        #expect(text.utf8.count < limits.maxTextLength)

        var layers = EnvelopeLayers(reading: "")
        let cpuSeconds = ThreadCPUTime.measure { layers = EnvelopeLayers(reading: text) }
        #expect(layers.compressed == bomb)
        #expect(layers.inflated == nil)
        #expect(layers.failure?.reason == .malformedCompression, "\(String(describing: layers.failure))")
        #expect(cpuSeconds < 30, "took \(cpuSeconds) s of CPU")

        // And under a verifier with a smaller limit, the same.
        let small = EnvelopeVerifier(keys: [], configuration: .init(validationTime: Fixture.now, limits: .init(maxInflatedBytes: 4096)))
        #expect(small.verify(text).reason == .malformedCompression)
    }
}
