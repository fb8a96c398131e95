import Testing
import ZhucanCBOR
import ZhucanTesting

@Suite("Deterministic encoding (RFC 8949 §4.2.1)")
struct DeterminismTests {
    @Test("map keys sort by their encodings, whatever the given order")
    func mapKeyOrder() {
        // The §4.2.1 example order: 10, -1, false, 100, "z", -1000, "aa", [100], [-1], false
        // reduced to one key per kind, here given in reverse and shuffled orders.
        let keys: [CBOR] = [.unsigned(10), CBOR(-1), .text("z"), .text("aa"), .array([.unsigned(100)]), .bool(false)]
        let expected = "a6" + "0a00" + "2001" + "617a02" + "62616103" + "81186404" + "f405"
        var random = SplitMix64(seed: 1)
        for _ in 0..<20 {
            let pairs = keys.enumerated().map { CBOR.Pair(key: $0.element, value: .unsigned(UInt64($0.offset))) }
            let map = CBOR.map(pairs.shuffled(using: &random))
            #expect(Hex.encode(map.encoded()) == expected)
        }
    }

    @Test("integers, lengths and tags take the shortest head at every boundary", arguments: [
        (UInt64(0), "00"), (23, "17"), (24, "1818"), (255, "18ff"), (256, "190100"),
        (65535, "19ffff"), (65536, "1a00010000"), (0xFFFF_FFFF, "1affffffff"),
        (0x1_0000_0000, "1b0000000100000000"), (.max, "1bffffffffffffffff"),
    ])
    func shortestHeads(value: UInt64, head: String) throws {
        #expect(Hex.encode(CBOR.unsigned(value).encoded()) == head)
        // Same argument, other major types: negative (1), tag (6).
        let tail = head.dropFirst(2)
        let initial = try #require(UInt8(head.prefix(2), radix: 16))
        #expect(Hex.encode(CBOR.negative(value).encoded()) == Hex.encode([initial | 0x20]) + tail)
        #expect(Hex.encode(CBOR.tagged(value, .null).encoded()) == Hex.encode([initial | 0xC0]) + tail + "f6")
        if value <= 65536 {
            let bytes = CBOR.bytes([UInt8](repeating: 7, count: Int(value))).encoded()
            #expect(Hex.encode(bytes.prefix(head.count / 2)) == Hex.encode([initial | 0x40]) + tail)
            #expect(bytes.count == head.count / 2 + Int(value))
        }
    }

    @Test("Int64 convenience maps to unsigned and negative")
    func int64() {
        #expect(CBOR(Int64.min) == .negative(UInt64(Int64.max)))
        #expect(CBOR(Int64.min).int == Int64.min)
        #expect(CBOR(-1) == .negative(0))
        #expect(Hex.encode(CBOR(-24).encoded()) == "37")
        #expect(Hex.encode(CBOR(-25).encoded()) == "3818")
        #expect(Hex.encode(CBOR(-257).encoded()) == "390100")
        #expect(CBOR.unsigned(UInt64(Int64.max) + 1).int == nil)
        #expect(CBOR.negative(UInt64(Int64.max) + 1).int == nil)
        #expect(CBOR.negative(.max).diagnostic == "-18446744073709551616")
    }

    @Test("floats take the shortest exact width", arguments: [
        (1.5, "f93e00"), (100_000.0, "fa47c35000"), (1.1, "fb3ff199999999999a"), (0.0, "f90000"),
        (-0.0, "f98000"), (65504.0, "f97bff"), (65505.0, "fa477fe100"), (5.960464477539063e-08, "f90001"),
        (6.103515625e-05, "f90400"), (6.097555160522461e-05, "f903ff"), (2.98023223876953125e-08, "fa33000000"),
        (Double.infinity, "f97c00"), (-Double.infinity, "f9fc00"), (Double.nan, "f97e00"),
        (-Double.nan, "f97e00"), (Double(Float.greatestFiniteMagnitude), "fa7f7fffff"),
        (Double(Float.leastNonzeroMagnitude), "fa00000001"), (1.0e300, "fb7e37e43c8800759c"),
    ])
    func shortestFloats(value: Double, expected: String) throws {
        let encoded = CBOR.float(value).encoded()
        #expect(Hex.encode(encoded) == expected)
        let decoded = try CBORDecoder.decode(encoded, limits: .init(requireDeterministic: true))
        // By bits: -0.0 == 0.0 as values, and every NaN decodes as the NaN f97e00.
        guard case .float(let read) = decoded else { Issue.record("not a float: \(decoded)"); return }
        #expect(read.bitPattern == (value.isNaN ? Double.nan.bitPattern : value.bitPattern))
    }

    @Test("requireDeterministic rejects non-preferred encodings", arguments: [
        "1817", "190017", "1a000000ff", "1b00000000ffffffff", "3817", "5801ff", "d81701",
        "fa3fc00000", "fb3ff8000000000000", "f97e01", "fa7fc00000",
        "a202000100", "a2f500613100", "a2616100200f", "8181a202000100",
    ])
    func rejectsNonDeterministic(hex: String) throws {
        let bytes = try #require(Hex.decode(hex))
        #expect(throws: CBORError(.nonDeterministic, "")) { try CBORDecoder.decode(bytes, limits: .init(requireDeterministic: true)) }
        // Readers of other people's CBOR accept these by default.
        #expect(throws: Never.self) { try CBORDecoder.decode(bytes) }
    }

    @Test("requireDeterministic rejects indefinite lengths even when allowed")
    func rejectsIndefiniteWhenDeterministic() {
        let limits = CBORDecoder.Limits(allowIndefinite: true, requireDeterministic: true)
        #expect(throws: CBORError(.indefiniteLengthNotAllowed, "")) { try CBORDecoder.decode([0x9F, 0xFF], limits: limits) }
    }

    @Test("duplicate keys are encoded as given, sorted and in their given order")
    func duplicateKeysEncodeAsGiven() {
        let map = CBOR.map([.init(key: .unsigned(1), value: .unsigned(2)), .init(key: .unsigned(0), value: .null),
                            .init(key: .unsigned(1), value: .unsigned(3))])
        #expect(Hex.encode(map.encoded()) == "a300f601020103")
        #expect(throws: CBORError(.duplicateMapKey, "")) { try CBORDecoder.decode(map.encoded()) }
    }

    @Test("text keys compare by UTF-8 bytes, so NFC and NFD spellings are different keys")
    func textKeysBytewise() throws {
        let map = CBOR.map([.init(key: .text("\u{E9}"), value: .unsigned(1)), .init(key: .text("e\u{301}"), value: .unsigned(2))])
        let decoded = try CBORDecoder.decode(map.encoded(), limits: .init(requireDeterministic: true))
        #expect(decoded.pairs?.count == 2)
        #expect(decoded[text: "e\u{301}"] == .unsigned(2))
        #expect(CBOR.text("\u{E9}") != CBOR.text("e\u{301}"))
    }
}
