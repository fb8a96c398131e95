import Testing
import ZhucanCBOR
import ZhucanTesting

@Suite("Properties over seeded random inputs")
struct PropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 4]

    @Test("decode(encode(v)) == v; encoding is stable and passes the deterministic check", arguments: seeds)
    func roundTrip(seed: UInt64) throws {
        var generator = CBORGenerator(seed: seed)
        for index in 0..<1000 {
            let value = generator.value(depth: 5)
            let encoded = value.encoded()
            let decoded = try CBORDecoder.decode(encoded, limits: .init(requireDeterministic: true))
            #expect(decoded == value, "seed \(seed) #\(index): \(value.diagnostic)")
            #expect(decoded.hashValue == value.hashValue, "seed \(seed) #\(index)")
            #expect(decoded.encoded() == encoded, "seed \(seed) #\(index)")
            #expect(value.encoded() == encoded, "seed \(seed) #\(index)")
        }
    }

    @Test("a map of integer, byte and text keys, duplicates too, is written in the order of its encoded keys", arguments: seeds)
    func plainKeyOrder(seed: UInt64) {
        var generator = CBORGenerator(seed: seed)
        for index in 0..<2000 {
            var keys: [CBOR] = (0..<Int.random(in: 0...12, using: &generator.random)).map { _ in
                switch Int.random(in: 0..<4, using: &generator.random) {
                case 0: .unsigned(generator.argument())
                case 1: .negative(generator.argument())
                case 2: .bytes(generator.bytes())
                default: .text(generator.text())
                }
            }
            if let first = keys.first, Bool.random(using: &generator.random) { keys.append(first) }
            let pairs = keys.enumerated().map { CBOR.Pair(key: $0.element, value: CBOR(Int64($0.offset))) }
            // What RFC 8949 §4.2.1 says, done the long way: sort by the encoded keys, ties in
            // their given order.
            let sorted = pairs.enumerated().sorted { a, b in
                let (x, y) = (a.element.key.encoded(), b.element.key.encoded())
                return x == y ? a.offset < b.offset : x.lexicographicallyPrecedes(y)
            }
            var expected: [UInt8] = []
            CBOR.appendHead(major: 5, argument: UInt64(pairs.count), to: &expected)
            for pair in sorted { expected += pair.element.key.encoded() + pair.element.value.encoded() }
            #expect(CBOR.map(pairs).encoded() == expected, "seed \(seed) #\(index): \(CBOR.map(pairs).diagnostic)")
        }
    }

    @Test("random bytes decode or throw a CBORError naming an offset", arguments: seeds)
    func randomBytes(seed: UInt64) {
        var random = SplitMix64(seed: seed)
        // Bytes that start containers, strings, tags, floats and breaks, to get past the head.
        let structural: [UInt8] = [0x00, 0x18, 0x1B, 0x41, 0x5F, 0x61, 0x7F, 0x82, 0x9F, 0xA1, 0xBF, 0xC2, 0xF9, 0xFB, 0xFF]
        for _ in 0..<2500 {
            let count = Int.random(in: 0...48, using: &random)
            let bytes: [UInt8] = (0..<count).map { _ in
                random.next() % 3 == 0 ? structural[Int(random.next() % UInt64(structural.count))] : UInt8(truncatingIfNeeded: random.next())
            }
            Self.checkDecodingIsTotal(bytes)
        }
    }

    /// A COSE_Sign1-like structure, a map with a key of every kind, and an indefinite mix.
    static let validEncodings: [String] = [
        Hex.encode(CBOR.tagged(18, .array([
            .bytes(CBOR.map([.init(key: CBOR(1), value: CBOR(-7))]).encoded()),
            .map([.init(key: CBOR(4), value: .bytes([1, 2, 3, 4, 5, 6, 7, 8]))]),
            .bytes(CBOR.map([.init(key: CBOR(1), value: .text("ZZ")), .init(key: CBOR(4), value: .unsigned(1_700_000_000))]).encoded()),
            .bytes(Array(0..<16)),
        ])).encoded()),
        Hex.encode(CBOR.map([
            CBOR(0), CBOR(-1), .bool(false), .null, .undefined, .simple(99), .float(.nan), .float(1.1),
            .bytes([1, 2]), .text("ü"), .array([.unsigned(24)]), .map([]), .tagged(0, .text("t")),
        ].enumerated().map { CBOR.Pair(key: $0.element, value: CBOR(Int64($0.offset) - 5)) }).encoded()),
        "9f5f4101420203ff7f616162c3bcff9f80bf0102ffffff",
    ]

    @Test("every single-byte mutation decodes or throws; every truncation is truncated", arguments: validEncodings)
    func mutations(hex: String) throws {
        let valid = try #require(Hex.decode(hex))
        let indefinite = CBORDecoder.Limits(allowIndefinite: true)
        #expect(throws: Never.self) { try CBORDecoder.decode(valid, limits: indefinite) }
        for position in valid.indices {
            var mutated = valid
            for byte in 0...255 {
                mutated[position] = UInt8(byte)
                Self.checkDecodingIsTotal(mutated)
            }
        }
        for length in 0..<valid.count {
            #expect(throws: CBORError(.truncated, "")) { try CBORDecoder.decode(valid.prefix(length), limits: indefinite) }
        }
    }

    /// Decodes with and without indefinite lengths: a value's deterministic encoding must
    /// decode under the deterministic check and encode to the same bytes again; an error must name the byte offset where decoding failed.
    static func checkDecodingIsTotal(_ bytes: [UInt8]) {
        for limits in [CBORDecoder.Limits(), CBORDecoder.Limits(allowIndefinite: true)] {
            do throws(CBORError) {
                let value = try CBORDecoder.decode(bytes, limits: limits)
                let encoded = value.encoded()
                let again = try CBORDecoder.decode(encoded, limits: .init(requireDeterministic: true))
                // Map pairs come back sorted, so compare the canonical encodings.
                #expect(again.encoded() == encoded, "\(Hex.encode(bytes))")
            } catch {
                #expect(error.reason.contains("byte offset"), "\(Hex.encode(bytes)): \(error)")
            }
        }
    }
}
