import Testing
import ZhucanTesting
import ZhucanCBOR
import ZhucanEnvelope
import ZhucanStatusList

@Suite("StatusList")
struct StatusListTests {
    @Test("§4.1 bit layout: the 1-bit example packs to B9 A3, index 0 in bit 0 of byte 0")
    func oneBitLayout() throws {
        var list = try StatusList(bits: 1, count: 16)
        for (index, value) in [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1].enumerated() {
            try list.set(UInt8(value), at: index)
        }
        #expect(list.bytes == [0xB9, 0xA3])
    }

    @Test("§4.1 bit layout: the 2-bit example packs to C9 44 F9")
    func twoBitLayout() throws {
        var list = try StatusList(bits: 2, count: 12)
        for (index, value) in [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3].enumerated() {
            try list.set(UInt8(value), at: index)
        }
        #expect(list.bytes == [0xC9, 0x44, 0xF9])
        #expect(list.count == 12)
    }

    @Test("4 and 8 bits: low nibble first; one byte per status")
    func wideLayouts() throws {
        var four = try StatusList(bits: 4, count: 4)
        try four.set(0xA, at: 0)
        try four.set(0x5, at: 1)
        try four.set(0xF, at: 3)
        #expect(four.bytes == [0x5A, 0xF0])
        var eight = try StatusList(bits: 8, count: 3)
        try eight.set(255, at: 1)
        #expect(eight.bytes == [0, 255, 0])
        #expect(try eight[1] == 255)
    }

    @Test("the count is rounded up to whole bytes and implied by the byte array")
    func countRounding() throws {
        #expect(try StatusList(bits: 1, count: 13).count == 16)
        #expect(try StatusList(bits: 2, count: 13).count == 16)
        #expect(try StatusList(bits: 4, count: 13).count == 14)
        #expect(try StatusList(bits: 8, count: 13).count == 13)
        #expect(try StatusList(bits: 2, count: 0).count == 0)
        #expect(try StatusList(bits: 4, bytes: [1, 2, 3]).count == 6)
    }

    @Test("random contents round trip through lst and CBOR", arguments: [1, 2, 4, 8])
    func randomRoundTrip(bits: Int) throws {
        var random = SplitMix64(seed: UInt64(bits) &* 0x9E37_79B9)
        for count in [1, 13, 4_096, 100_003] {
            var list = try StatusList(bits: bits, count: count, aggregationURI: "https://example.com/aggregation")
            var expected = [UInt8](repeating: 0, count: list.count)
            for pass in 0..<2 {
                // The second pass overwrites a third of the entries, so clearing old bits is tested.
                for index in 0..<count where pass == 0 || random.next() % 3 == 0 {
                    let value = UInt8(truncatingIfNeeded: random.next()) & list.maxValue
                    try list.set(value, at: index)
                    expected[index] = value
                }
            }
            #expect(try (0..<list.count).map { try list[$0] } == expected, "\(count) entries")

            let decoded = try StatusList(bits: bits, compressed: list.compressed(), maxEntries: list.count)
            #expect(decoded.bytes == list.bytes, "\(count) entries")
            #expect(try (0..<decoded.count).map { try decoded[$0] } == expected, "\(count) entries")

            let viaCBOR = try StatusList(decoding: list.cbor.encoded())
            #expect(viaCBOR == list, "\(count) entries")
            #expect(viaCBOR.aggregationURI == "https://example.com/aggregation")
        }
    }

    @Test("a 131,072-entry 2-bit list with a few revocations compresses small and round trips")
    func largeSparseList() throws {
        var list = try CertificateStatusList()
        #expect(list.count == 131_072)
        let changes: [(Int, CertificateStatus)] = [(0, .invalid), (17, .suspended), (65_536, .invalid), (131_071, .suspended), (99_999, .invalid)]
        for (index, status) in changes { try list.set(status, at: index) }
        let lst = list.statusList.compressed()
        print("131,072-entry 2-bit list, 5 entries set: lst is \(lst.count) bytes (uncompressed \(list.statusList.bytes.count))")
        #expect(lst.count < 256)
        let decoded = try CertificateStatusList(StatusList(bits: 2, compressed: lst, maxEntries: CertificateStatusList.minimumEntries))
        #expect(decoded == list)
        for (index, status) in changes { #expect(try decoded[index] == status) }
        #expect(try decoded[1] == .valid)
    }

    @Test("bits other than 1, 2, 4, 8 are refused", arguments: [-1, 0, 3, 5, 6, 7, 9, 16, 256])
    func invalidBits(bits: Int) {
        #expect(throws: StatusListError(.invalidBits, reason: "")) { try StatusList(bits: bits, count: 8) }
        #expect(throws: StatusListError(.invalidBits, reason: "")) { try StatusList(bits: bits, bytes: [0]) }
        #expect(throws: StatusListError(.invalidBits, reason: "")) { try StatusList(bits: bits, compressed: Zlib.compress([0])) }
    }

    @Test("negative and overflowing counts are refused")
    func invalidCount() {
        #expect(throws: StatusListError(.invalidCount, reason: "")) { try StatusList(bits: 1, count: -1) }
        #expect(throws: StatusListError(.invalidCount, reason: "")) { try StatusList(bits: 8, count: .max) }
        #expect(throws: StatusListError(.invalidCount, reason: "")) {
            try StatusList(bits: 8, compressed: Zlib.compress([0]), maxEntries: .max)
        }
    }

    @Test("indices outside the list are refused, on read and write", arguments: [1, 2, 4, 8])
    func indexOutOfRange(bits: Int) throws {
        var list = try StatusList(bits: bits, count: 16)
        for index in [-1, Int.min, 16, 17, Int.max] {
            #expect(throws: StatusListError(.indexOutOfRange, reason: "")) { try list[index] }
            #expect(throws: StatusListError(.indexOutOfRange, reason: "")) { try list.set(0, at: index) }
        }
        #expect(try list[15] == 0)
        #expect(throws: StatusListError(.indexOutOfRange, reason: "")) { try StatusList(bits: bits, count: 0)[0] }
    }

    @Test("values that do not fit in bits are refused", arguments: [1, 2, 4])
    func valueTooLarge(bits: Int) throws {
        var list = try StatusList(bits: bits, count: 8)
        let largest = UInt8((1 << bits) - 1)
        try list.set(largest, at: 3)
        #expect(try list[3] == largest)
        #expect(throws: StatusListError(.valueTooLarge, reason: "")) { try list.set(largest + 1, at: 3) }
        #expect(throws: StatusListError(.valueTooLarge, reason: "")) { try list.set(255, at: 0) }
        // The failed writes changed nothing.
        #expect(try list[3] == largest)
        #expect(try list[0] == 0)
    }

    @Test("a zip bomb lst stops at the entry limit")
    func zipBomb() throws {
        // 1 MiB of zeros is about 1 KiB compressed; 131,072 2-bit entries allow 32 KiB.
        let bomb = Zlib.compress([UInt8](repeating: 0, count: 1 << 20))
        #expect(bomb.count < 2_048)
        #expect(throws: StatusListError(.decompressionLimitExceeded, reason: "")) {
            try StatusList(bits: 2, compressed: bomb, maxEntries: 131_072)
        }
        // Exactly at the limit is accepted, one byte more is not.
        let exact = Zlib.compress([UInt8](repeating: 0, count: 32_768))
        #expect(try StatusList(bits: 2, compressed: exact, maxEntries: 131_072).count == 131_072)
        #expect(throws: StatusListError(.decompressionLimitExceeded, reason: "")) {
            try StatusList(bits: 2, compressed: exact, maxEntries: 131_068)
        }
        // The default limit (2^24 entries: 16 MiB at 8 bits) holds against 16 MiB + 1 byte,
        // through the CBOR structure too.
        let big = Zlib.compress(chunks: Array(repeating: [UInt8](repeating: 0, count: 1 << 20), count: 16) + [[0]])
        let cbor = CBOR.map([
            CBOR.Pair(key: .text("bits"), value: .unsigned(8)), CBOR.Pair(key: .text("lst"), value: .bytes(big)),
        ])
        #expect(throws: StatusListError(.decompressionLimitExceeded, reason: "")) { try StatusList(cbor: cbor) }
    }

    @Test("corrupt, truncated, raw-DEFLATE and trailing-byte lst values are refused")
    func malformedCompression() throws {
        let good = Zlib.compress([UInt8](repeating: 0x55, count: 1_000) + [1, 2, 3])
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("truncated", Array(good.dropLast(3))),
            ("header only", Array(good.prefix(2))),
            ("trailing byte", good + [0]),
            // §4.1 step 4 requires the zlib format; raw DEFLATE (RFC 1951 alone) is not it.
            ("raw deflate", Array(good.dropFirst(2).dropLast(4))),
            ("bad Adler-32", Array(good.dropLast()) + [good[good.count - 1] ^ 1]),
            ("not zlib", Array("hello".utf8)),
        ]
        for (name, lst) in cases {
            #expect(throws: StatusListError(.malformedCompression, reason: ""), "\(name)") {
                try StatusList(bits: 1, compressed: lst)
            }
        }
    }

    @Test("a short lst implies a short list: indices past bytes × 8 / bits are out of range")
    func shortList() throws {
        // Three bytes at 2 bits are 12 entries, whatever the issuer meant to publish.
        let list = try StatusList(bits: 2, compressed: Zlib.compress([0xC9, 0x44, 0xF9]))
        #expect(list.count == 12)
        #expect(try list[11] == 3)
        #expect(throws: StatusListError(.indexOutOfRange, reason: "")) { try list[12] }
        // Zhucan requires at least 131,072 entries of a certificate list.
        #expect(throws: StatusListError(.notCertificateList, reason: "")) { try CertificateStatusList(list) }
        // An empty byte array is an empty list.
        #expect(try StatusList(bits: 1, compressed: Zlib.compress([])).count == 0)
    }

    @Test("malformed CBOR StatusList structures are refused")
    func malformedStructure() throws {
        let lst = CBOR.bytes(Zlib.compress([0]))
        func map(_ pairs: [(String, CBOR)]) -> CBOR {
            .map(pairs.map { CBOR.Pair(key: .text($0.0), value: $0.1) })
        }
        let cases: [(String, CBOR, StatusListError.Code)] = [
            ("not a map", .array([.unsigned(1), lst]), .malformedStatusList),
            ("no bits", map([("lst", lst)]), .malformedStatusList),
            ("no lst", map([("bits", .unsigned(1))]), .malformedStatusList),
            ("bits as text", map([("bits", .text("1")), ("lst", lst)]), .malformedStatusList),
            ("bits negative", map([("bits", .negative(0)), ("lst", lst)]), .malformedStatusList),
            ("bits float", map([("bits", .float(1)), ("lst", lst)]), .malformedStatusList),
            ("bits 3", map([("bits", .unsigned(3)), ("lst", lst)]), .invalidBits),
            ("bits huge", map([("bits", .unsigned(.max)), ("lst", lst)]), .invalidBits),
            ("lst as text", map([("bits", .unsigned(1)), ("lst", .text("eNoDAAAAAAE"))]), .malformedStatusList),
            ("aggregation_uri as bytes", map([("bits", .unsigned(1)), ("lst", lst), ("aggregation_uri", .bytes([0x61]))]), .malformedStatusList),
            ("integer keys", .map([CBOR.Pair(key: .unsigned(1), value: .unsigned(1))]), .malformedStatusList),
        ]
        for (name, cbor, code) in cases {
            #expect(throws: StatusListError(code, reason: ""), "\(name)") { try StatusList(cbor: cbor) }
        }
        // Bytes that are not one CBOR item.
        #expect(throws: StatusListError(.malformedStatusList, reason: "")) { try StatusList(decoding: [0xA2, 0x64]) }
        #expect(throws: StatusListError(.malformedStatusList, reason: "")) { try StatusList(decoding: []) }
        // Unknown members are ignored.
        let extra = map([("bits", .unsigned(1)), ("lst", lst), ("future", .unsigned(7))])
        #expect(try StatusList(cbor: extra).count == 8)
    }

    @Test("A certificate list sets a range at once, and names exactly the indices in a range that differ from a status, at any alignment")
    func ranges() throws {
        var list = try CertificateStatusList()
        try list.set(.invalid, in: 5..<1_003)
        #expect(list.indices(in: 5..<1_003, notEqualTo: .invalid).isEmpty)
        #expect(list.indices(in: 3..<8, notEqualTo: .invalid) == [3, 4])
        #expect(list.inactiveEntries.count == 998)
        try list.set(.suspended, at: 7)
        try list.set(.valid, at: 640)
        #expect(list.indices(in: 5..<1_003, notEqualTo: .invalid) == [7, 640])
        #expect(list.indices(in: 1_000..<1_010, notEqualTo: .invalid) == Array(1_003..<1_010))
        // Past the list: only what is in it.
        #expect(list.indices(in: list.count - 2..<list.count + 5, notEqualTo: .valid).isEmpty)
        #expect(throws: StatusListError.self) { try list.set(.invalid, in: list.count - 1..<list.count + 1) }
    }
}
