import Testing
import ZhucanCBOR
import ZhucanTesting

@Suite("Value model, conversions and renderings")
struct ValueAPITests {
    static let sample = CBOR.map([
        .init(key: CBOR(1), value: CBOR("issuer")),
        .init(key: CBOR(-260), value: .map([.init(key: CBOR(1), value: .array([CBOR(-7), .bool(true), .null]))])),
        .init(key: CBOR("kid"), value: CBOR([0xDE, 0xAD])),
        .init(key: .bytes([1]), value: .tagged(1, .float(1.5))),
        .init(key: .text("f"), value: .array([.float(.nan), .float(-.infinity), .undefined, .simple(16), .float(1e300)])),
    ])

    @Test("accessors and subscripts")
    func accessors() {
        #expect(Self.sample[int: 1]?.text == "issuer")
        #expect(Self.sample[text: "kid"]?.bytes == [0xDE, 0xAD])
        #expect(Self.sample[int: -260]?[int: 1]?.array?.first?.int == -7)
        #expect(Self.sample[.bytes([1])] == .tagged(1, .float(1.5)))
        #expect(Self.sample[int: 2] == nil)
        #expect(CBOR(5)[int: 1] == nil)
        #expect(CBOR(5).uint == 5 && CBOR(-5).uint == nil && CBOR(-5).int == -5)
        #expect(Self.sample.pairs?.map(\.key.diagnostic) == ["1", "-260", "\"kid\"", "h'01'", "\"f\""])
        #expect(CBOR.text("x").bytes == nil && CBOR.bytes([]).text == nil && CBOR.null.array == nil && CBOR.null.pairs == nil)
    }

    @Test("diagnostic notation (RFC 8949 §8)")
    func diagnostic() {
        #expect(Self.sample.diagnostic
            == #"{1: "issuer", -260: {1: [-7, true, null]}, "kid": h'dead', h'01': 1(1.5), "f": [NaN, -Infinity, undefined, simple(16), 1.0e+300]}"#)
        #expect(Self.sample.description == Self.sample.diagnostic)
        #expect(CBOR.text("a\"b\\c\n\u{1}é").diagnostic == #""a\"b\\c\n\u0001é""#)
        #expect(CBOR.tagged(18, .array([.bytes([]), .map([])])).diagnostic == "18([h'', {}])")
        #expect(CBOR.float(-0.0).diagnostic == "-0.0")
        #expect(CBOR.float(100_000).diagnostic == "100000.0")
    }

    @Test("JSON rendering, compact and pretty")
    func json() {
        #expect(Self.sample.jsonString(prettyPrinted: false)
            == #"{"1":"issuer","-260":{"1":[-7,true,null]},"kid":"dead","h'01'":{"tag":1,"value":1.5},"f":["NaN","-Infinity",null,"simple(16)",1.0e+300]}"#)
        #expect(CBOR.map([.init(key: CBOR("a"), value: .array([CBOR(1), .array([])])), .init(key: CBOR("b"), value: .map([]))])
            .jsonString(prettyPrinted: true) == """
            {
              "a": [
                1,
                []
              ],
              "b": {}
            }
            """)
        #expect(CBOR.negative(.max).jsonString(prettyPrinted: false) == "-18446744073709551616")
    }

    @Test("CBOREncodable and CBORDecodable round trip")
    func conformances() throws {
        #expect(try Int64(cbor: Int64.min.cbor) == .min)
        #expect(try UInt64(cbor: UInt64.max.cbor) == .max)
        #expect(try Int(cbor: (-42).cbor) == -42)
        #expect(try String(cbor: "水".cbor) == "水")
        #expect(try Bool(cbor: true.cbor) == true)
        #expect(try Double(cbor: 1.1.cbor) == 1.1)
        #expect(CBOR(cbor: Self.sample) == Self.sample)
        #expect([UInt8]([1, 2]).cbor == .bytes([1, 2]))
        #expect(try [UInt8](cbor: .bytes([1, 2])) == [1, 2])
        #expect([1, -2].cbor == .array([CBOR(1), CBOR(-2)]))
        #expect(try [Int](cbor: .array([CBOR(1), CBOR(-2)])) == [1, -2])
        #expect([[UInt8]]([[1], []]).cbor == .array([.bytes([1]), .bytes([])]))
        #expect(try [[UInt8]](cbor: .array([.bytes([1]), .bytes([])])) == [[1], []])
        #expect(try [String](cbor: ["a", "b"].cbor) == ["a", "b"])
    }

    @Test("conversions reject the wrong type or range", arguments: [
        { _ = try [UInt8](cbor: .array([CBOR(1)])) },
        { _ = try [Int](cbor: .bytes([1])) },
        { _ = try Int64(cbor: .unsigned(.max)) },
        { _ = try Int(cbor: .text("1")) },
        { _ = try UInt64(cbor: CBOR(-1)) },
        { _ = try UInt8(cbor: CBOR(256)) },
        { _ = try Double(cbor: CBOR(1)) },
        { _ = try Bool(cbor: .null) },
        { _ = try String(cbor: .bytes([0x61])) },
        { _ = try [String](cbor: .array([.text("a"), CBOR(1)])) },
    ] as [@Sendable () throws -> Void])
    func conversionErrors(convert: @Sendable () throws -> Void) {
        #expect(throws: CBORError(.unexpectedType, "")) { try convert() }
    }

    @Test("errors compare by code only")
    func errorEquality() {
        #expect(CBORError(.truncated, "a") == CBORError(.truncated, "b"))
        #expect(CBORError(.truncated, "a") != CBORError(.trailingBytes, "a"))
        #expect(Set([CBORError(.truncated, "a"), CBORError(.truncated, "b")]).count == 1)
        #expect(CBORError.unexpectedType(expected: "x", found: .bytes([UInt8](repeating: 0, count: 50))).reason.hasSuffix("…"))
    }

    @Test("equality (RFC 8949 §5.6.1): zeros of either sign are equal, NaNs are all equal as values, ints are not floats")
    func equality() throws {
        #expect(CBOR.float(0.0) == .float(-0.0))
        #expect(CBOR.float(0.0).hashValue == CBOR.float(-0.0).hashValue)
        #expect(CBOR.float(.nan) == .float(-.nan))
        #expect(CBOR.float(.nan).hashValue == CBOR.float(Double(bitPattern: 0x7FF0_0000_0000_0001)).hashValue)
        // The decoder keeps a NaN's sign and significand, zero-extended: the half NaN 0x7e01 is
        // the double 0x7ff8040000000000, and a signalling NaN stays one (a conversion by the
        // processor would have made it quiet).
        guard case .float(let half) = try CBORDecoder.decode(Hex.decode("f97e01")!),
            case .float(let single) = try CBORDecoder.decode(Hex.decode("fa7f800001")!)
        else { Issue.record("not floats"); return }
        #expect(half.bitPattern == 0x7FF8_0400_0000_0000)
        #expect(single.bitPattern == 0x7FF0_0000_2000_0000)
        // As map keys every NaN is one key: two would re-encode as f97e00 twice (the fuzzer's find).
        #expect(throws: CBORError.self) { try CBORDecoder.decode(Hex.decode("a2f97e0000f97e0100")!) }
        #expect(CBOR.float(1) != .unsigned(1))
        #expect(CBOR.simple(20).encoded() == CBOR.bool(false).encoded())
    }
}
