import Foundation
import Testing
import ZhucanTesting
import ZhucanEnvelope

@Suite("Zlib")
struct ZlibTests {
    /// "hello" as one stored (uncompressed) deflate block, written by hand from RFC 1950 §2.2 and
    /// RFC 1951 §3.2.4, so decoding is checked against bytes zlib's own deflate did not make.
    private static let storedHello: [UInt8] = [
        0x78, 0x01,                          // CMF (deflate, 32 KiB window), FLG (FCHECK ok)
        0x01, 0x05, 0x00, 0xFA, 0xFF,        // BFINAL=1 BTYPE=00, LEN=5, NLEN=~5
        0x68, 0x65, 0x6C, 0x6C, 0x6F,        // "hello"
        0x06, 0x2C, 0x02, 0x15,              // Adler-32("hello"), big-endian
    ]

    private static let text = Array("""
        Zhucan issues electronic disability certificates as signed QR codes: CWT, COSE_Sign1,
        deterministic CBOR, zlib and base45, like the EU Digital COVID Certificate.
        """.utf8)

    @Test("a hand-made stored-block stream inflates")
    func storedBlock() throws {
        #expect(try Zlib.decompress(Self.storedHello, maxOutput: 5) == Array("hello".utf8))
    }

    @Test("level 9 output carries the RFC 1950 header 78 DA")
    func header() {
        let compressed = Zlib.compress(Self.text)
        #expect(Array(compressed.prefix(2)) == [0x78, 0xDA])
        #expect(compressed.count < Self.text.count)
    }

    @Test("round trips at every level", arguments: [Int32(-1), 0, 1, 6, 9])
    func roundTripLevels(level: Int32) throws {
        var generator = SplitMix64(seed: UInt64(bitPattern: Int64(level)) &+ 1)
        for count in [0, 1, 2, 100, 65_535, 65_536, 65_537, 300_000] {
            // Half random, half repetitive, so both stored and Huffman-coded blocks appear.
            let bytes = (0..<count).map { i in
                i % 2 == 0 ? UInt8.random(in: 0...255, using: &generator) : UInt8(truncatingIfNeeded: i / 64)
            }
            let compressed = Zlib.compress(bytes, level: level)
            #expect(try Zlib.decompress(compressed, maxOutput: count) == bytes, "\(count) bytes")
        }
    }

    @Test("chunked compression inflates to the concatenated chunks")
    func chunkedCompression() throws {
        let chunks = (0..<40).map { i in [UInt8](repeating: UInt8(i), count: 1000 + i * 977) }
        let joined = chunks.flatMap { $0 }
        let compressed = Zlib.compress(chunks: chunks)
        #expect(try Zlib.decompress(compressed, maxOutput: joined.count) == joined)
        #expect(try Zlib.decompress(Zlib.compress(chunks: [[UInt8]]()), maxOutput: 0) == [])
    }

    @Test("output of exactly maxOutput is accepted and one byte more is refused",
          arguments: [0, 1, 65_535, 65_536, 65_537, 200_000])
    func exactLimit(count: Int) throws {
        let bytes = [UInt8](repeating: 0x41, count: count)
        let compressed = Zlib.compress(bytes)
        #expect(try Zlib.decompress(compressed, maxOutput: count) == bytes)
        if count > 0 {
            let error = #expect(throws: EnvelopeError.self) {
                try Zlib.decompress(compressed, maxOutput: count - 1)
            }
            #expect(error?.code == .decompressionLimitExceeded)
        }
    }

    @Test("extreme limits: Int.max is no limit, a negative limit allows only empty output")
    func extremeLimits() throws {
        #expect(try Zlib.decompress(Self.storedHello, maxOutput: .max) == Array("hello".utf8))
        #expect(try Zlib.decompress(Zlib.compress([]), maxOutput: -1) == [])
        let error = #expect(throws: EnvelopeError.self) { try Zlib.decompress(Self.storedHello, maxOutput: .min) }
        #expect(error?.code == .decompressionLimitExceeded)
    }

    @Test("a zip bomb (100 MiB of zeros in ~100 KiB) stops at the limit, quickly")
    func zipBomb() throws {
        let mebibyte = [UInt8](repeating: 0, count: 1 << 20)
        let bomb = Zlib.compress(chunks: repeatElement(mebibyte, count: 100))
        #expect(bomb.count < 200 * 1024, "bomb is \(bomb.count) bytes")

        var thrown: EnvelopeError?
        let cpuSeconds = ThreadCPUTime.measure {
            do throws(EnvelopeError) {
                _ = try Zlib.decompress(bomb, maxOutput: 1 << 20)
            } catch {
                thrown = error
            }
        }
        #expect(thrown?.code == .decompressionLimitExceeded)
        // Inflating the whole 100 MiB would take far longer; stopping at 1 MiB takes milliseconds.
        #expect(cpuSeconds < 10, "took \(cpuSeconds) s of CPU")
    }

    @Test("truncated streams are malformed", arguments: [0, 1, 2, 3, 10, 100, -1, -2, -4])
    func truncated(cut: Int) throws {
        var generator = SplitMix64(seed: 7)
        let bytes = (0..<1000).map { _ in UInt8.random(in: 0...15, using: &generator) }
        let compressed = Zlib.compress(bytes)
        let kept = cut >= 0 ? cut : compressed.count + cut
        let error = #expect(throws: EnvelopeError.self) {
            try Zlib.decompress(Array(compressed.prefix(kept)), maxOutput: 1 << 20)
        }
        #expect(error?.code == .malformedCompression)
    }

    @Test("every single-bit flip is malformed, except in the final byte's unused padding bits")
    func bitFlips() throws {
        let compressed = Zlib.compress(Self.text)
        var ignored = 0
        for index in compressed.indices {
            for bit in 0..<8 {
                var flipped = compressed
                flipped[index] ^= 1 << bit
                do {
                    let output = try Zlib.decompress(flipped, maxOutput: 1 << 20)
                    // RFC 1951 §3.1.1: bits after the last block's end code pad the byte and
                    // are ignored; a flip there must still give the original data.
                    #expect(output == Self.text, "flip of bit \(bit) in byte \(index) changed the output")
                    #expect(index == compressed.count - 5, "flip of bit \(bit) in byte \(index) was accepted")
                    ignored += 1
                } catch {
                    #expect(error.code == .malformedCompression, "byte \(index) bit \(bit): \(error)")
                }
            }
        }
        #expect(ignored < 8)
    }

    @Test("bytes after the end of the stream are rejected")
    func trailingBytes() throws {
        let compressed = Zlib.compress(Self.text)
        for trailer in [[0x00], [0x78, 0xDA], compressed] as [[UInt8]] {
            let error = #expect(throws: EnvelopeError.self) {
                try Zlib.decompress(compressed + trailer, maxOutput: 1 << 20)
            }
            #expect(error?.code == .malformedCompression)
            #expect(error?.reason.contains("\(trailer.count) trailing bytes") == true, "\(String(describing: error))")
        }
    }

    @Test("other formats and preset dictionaries are malformed")
    func otherFormats() throws {
        let cases: [(String, [UInt8])] = [
            ("gzip header", [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]),
            ("raw deflate", Array(Zlib.compress(Self.text).dropFirst(2))),
            ("bad FCHECK", [0x78, 0x00] + Self.storedHello.dropFirst(2)),
            // FLG 0xBB sets FDICT (RFC 1950 §2.2); the envelope never uses a dictionary.
            ("preset dictionary", [0x78, 0xBB, 0x00, 0x00, 0x00, 0x01] + Self.storedHello.dropFirst(2)),
            ("wrong Adler-32", Self.storedHello.dropLast() + [0x16]),
            ("empty", []),
        ]
        for (name, bytes) in cases {
            let error = #expect(throws: EnvelopeError.self, "\(name)") {
                try Zlib.decompress(bytes, maxOutput: 1 << 20)
            }
            #expect(error?.code == .malformedCompression, "\(name)")
        }
    }

    @Test("CRC-32 matches the standard check value and can be computed in pieces")
    func crc32() {
        // The CRC-32 "check" value: CRC of the ASCII digits 1…9 (ISO 3309 / PNG).
        #expect(Zlib.crc32(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(Zlib.crc32([UInt8]()) == 0)
        let head = Array("IHDR".utf8)
        let tail: [UInt8] = [0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0]
        #expect(Zlib.crc32(tail, continuing: Zlib.crc32(head)) == Zlib.crc32(head + tail))
        #expect(Zlib.crc32((head + tail).lazy.map { $0 }) == Zlib.crc32(head + tail))
    }
}

/// Streams are reused (`deflateReset` / `inflateReset`): reuse must never leak one use into
/// the next, from any thread, after a success or a failure.
@Suite("Zlib stream reuse")
struct ZlibReuseTests {
    @Test("many threads compressing and inflating at once, with failures between, all round trip")
    func concurrentReuse() {
        let failures = UnsafeMutableBufferPointer<Int>.allocate(capacity: 8)
        defer { failures.deallocate() }
        failures.initialize(repeating: 0)
        nonisolated(unsafe) let counts = failures
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            var generator = SystemRandomNumberGenerator()
            for round in 0..<200 {
                let text = (0..<(round * 7 % 3_000)).map { _ in UInt8.random(in: 65...70, using: &generator) }
                let compressed = Zlib.compress(text)
                if round % 3 == 0 {
                    // A truncated stream and one with trailing bytes fail, leaving input unread.
                    _ = try? Zlib.decompress(Array(compressed.dropLast(3)), maxOutput: 10_000)
                    _ = try? Zlib.decompress(compressed + [1, 2, 3], maxOutput: 10_000)
                }
                if (try? Zlib.decompress(compressed, maxOutput: 10_000)) != text { counts[thread] += 1 }
            }
        }
        #expect(failures.reduce(0, +) == 0)
    }
}
