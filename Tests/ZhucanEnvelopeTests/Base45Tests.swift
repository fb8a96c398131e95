import Foundation
import Testing
import ZhucanEnvelope
import ZhucanTesting

/// The RFC 9285 examples in `vectors/base45/rfc9285.json`, read in place.
struct RFC9285Vectors: Decodable {
    struct Pair: Decodable, Sendable, CustomTestStringConvertible {
        let text: String
        let base45: String
        var testDescription: String { "\"\(text)\" ↔ \"\(base45)\"" }
    }

    struct Invalid: Decodable, Sendable, CustomTestStringConvertible {
        let base45: String
        let why: String
        var testDescription: String { "\"\(base45)\" (\(why))" }
    }

    let encode: [Pair]
    let decode: [Pair]
    let invalid: [Invalid]

    static let loaded: Result<RFC9285Vectors, any Error> = Result {
        try JSONDecoder().decode(RFC9285Vectors.self, from: TestVectors.data("base45/rfc9285.json"))
    }

    /// The cases when the file loaded, or none (the `loads` test then reports why).
    static var cases: RFC9285Vectors? { try? loaded.get() }
}

@Suite("Base45 — RFC 9285 vectors", .enabled(if: TestVectors.shouldRun))
struct Base45VectorTests {
    @Test("the vector file loads and has cases of every kind")
    func loads() throws {
        let vectors = try RFC9285Vectors.loaded.get()
        #expect(!vectors.encode.isEmpty)
        #expect(!vectors.decode.isEmpty)
        #expect(!vectors.invalid.isEmpty)
    }

    @Test("encode examples (RFC 9285 §4.3)", arguments: RFC9285Vectors.cases?.encode ?? [])
    func encodeExample(_ pair: RFC9285Vectors.Pair) throws {
        #expect(Base45.encode(Array(pair.text.utf8)) == pair.base45)
        #expect(try Base45.decode(pair.base45) == Array(pair.text.utf8))
    }

    @Test("decode examples (RFC 9285 §4.4)", arguments: RFC9285Vectors.cases?.decode ?? [])
    func decodeExample(_ pair: RFC9285Vectors.Pair) throws {
        #expect(try Base45.decode(pair.base45) == Array(pair.text.utf8))
        #expect(Base45.encode(Array(pair.text.utf8)) == pair.base45)
    }

    @Test("invalid inputs are rejected", arguments: RFC9285Vectors.cases?.invalid ?? [])
    func invalidInput(_ invalid: RFC9285Vectors.Invalid) {
        let error = #expect(throws: EnvelopeError.self) { try Base45.decode(invalid.base45) }
        #expect(error?.code == .malformedBase45)
    }
}

@Suite("Base45")
struct Base45Tests {
    @Test("empty input encodes and decodes to empty")
    func empty() throws {
        #expect(Base45.encode([UInt8]()) == "")
        #expect(try Base45.decode("") == [])
    }

    @Test("every byte pair and every single byte round-trips")
    func exhaustivePairs() throws {
        var pairs = [UInt8]()
        pairs.reserveCapacity(2 * 65536)
        for n in 0...0xFFFF {
            pairs.append(UInt8(n >> 8))
            pairs.append(UInt8(n & 0xFF))
        }
        let text = Base45.encode(pairs)
        #expect(text.utf8.count == 3 * 65536)
        #expect(try Base45.decode(text) == pairs)
        for byte in UInt8.min...UInt8.max {
            let one = Base45.encode([byte])
            #expect(one.utf8.count == 2)
            #expect(try Base45.decode(one) == [byte])
        }
    }

    @Test("seeded random byte strings round-trip, and the output stays in the alphabet")
    func randomRoundTrips() throws {
        let alphabet = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)
        var generator = SplitMix64(seed: 0x5A48_5543_414E_0045)
        for _ in 0..<2000 {
            let count = Int.random(in: 0...300, using: &generator)
            let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base45.encode(bytes)
            #expect(text.utf8.count == count / 2 * 3 + count % 2 * 2)
            #expect(text.utf8.allSatisfy(alphabet.contains))
            #expect(try Base45.decode(text) == bytes)
        }
    }

    @Test("a non-contiguous collection encodes like an array")
    func nonContiguousInput() {
        let bytes = (0..<101).lazy.map { UInt8(truncatingIfNeeded: $0 &* 37) }
        #expect(Base45.encode(bytes) == Base45.encode(Array(bytes)))
    }

    @Test("boundary values: 65535 and 255 decode, 65537 and 256 do not")
    func boundaries() throws {
        // 65535 = 15 + 16·45 + 32·45² → "F", "G", "W"; 255 = 30 + 5·45 → "U", "5".
        #expect(try Base45.decode("FGW") == [0xFF, 0xFF])
        #expect(try Base45.decode("U5") == [0xFF])
        #expect(Base45.encode([0xFF, 0xFF]) == "FGW")
        #expect(Base45.encode([0xFF]) == "U5")
        try expectMalformed("HGW", mentioning: "65537")
        try expectMalformed("V5", mentioning: "256")
        try expectMalformed(":::", mentioning: "above 65535")
        try expectMalformed("::", mentioning: "above 255")
    }

    @Test("each failure names its cause and offset")
    func specificReasons() throws {
        try expectMalformed("A", mentioning: "dangling")
        try expectMalformed("BB8A", mentioning: "dangling single character at offset 3")
        try expectMalformed("aB", mentioning: "offset 0 is outside the base45 alphabet")
        try expectMalformed("BB8B\n", mentioning: "offset 4 is outside the base45 alphabet")
        try expectMalformed("ÄÄÄ", mentioning: "outside the base45 alphabet")
        try expectMalformed("BB8\u{0}B", mentioning: "outside the base45 alphabet")
        try expectMalformed("BB8GGW", mentioning: "triplet at offset 3")
    }

    private func expectMalformed(
        _ text: String, mentioning detail: String, sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let error = #expect(throws: EnvelopeError.self, sourceLocation: sourceLocation) {
            try Base45.decode(text)
        }
        let thrown = try #require(error, sourceLocation: sourceLocation)
        #expect(thrown.code == .malformedBase45, sourceLocation: sourceLocation)
        #expect(thrown.reason.contains(detail), "\(thrown.reason)", sourceLocation: sourceLocation)
    }
}
