import Testing
import ZhucanCBOR
import ZhucanTesting

/// One malformed or hostile input and the error code it must produce.
struct HostileCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let code: CBORError.Code
    var limits = CBORDecoder.Limits()

    var testDescription: String { name }

    init(_ name: String, _ hex: String, _ code: CBORError.Code, limits: CBORDecoder.Limits = .init()) {
        self.init(name, Hex.decode(hex) ?? [0xEE, 0xEE], code, limits: limits)
    }

    init(_ name: String, _ bytes: [UInt8], _ code: CBORError.Code, limits: CBORDecoder.Limits = .init()) {
        self.name = name
        self.bytes = bytes
        self.code = code
        self.limits = limits
    }
}

@Suite("Hostile and malformed inputs")
struct HostileInputTests {
    static let indefinite = CBORDecoder.Limits(allowIndefinite: true)
    static let deep = 10_000

    static let cases: [HostileCase] = [
        // Nesting: must stop at the limit, not overflow the stack.
        HostileCase("10,000 nested arrays", [UInt8](repeating: 0x81, count: deep) + [0x00], .depthLimitExceeded),
        HostileCase("10,000 nested indefinite arrays", [UInt8](repeating: 0x9F, count: deep), .depthLimitExceeded, limits: indefinite),
        HostileCase("10,000 nested tags", [UInt8](repeating: 0xC6, count: deep) + [0x00], .depthLimitExceeded),
        HostileCase("10,000 nested maps", Array([[UInt8]](repeating: [0xA1, 0x00], count: deep).joined()) + [0x00], .depthLimitExceeded),
        HostileCase("maxDepth above the ceiling is capped", [UInt8](repeating: 0x81, count: deep) + [0x00], .depthLimitExceeded,
                    limits: .init(maxDepth: 1_000_000)),
        HostileCase("33 arrays exceed the default depth 32", [UInt8](repeating: 0x81, count: 33) + [0x00], .depthLimitExceeded),
        HostileCase("maxDepth 0 allows no container", "80", .depthLimitExceeded, limits: .init(maxDepth: 0)),
        // Lengths and counts larger than the input: fail before allocating.
        HostileCase("byte string claiming 2^63 bytes", "5b8000000000000000", .truncated),
        HostileCase("text string claiming 2^64-1 bytes", "7bffffffffffffffff", .truncated),
        HostileCase("map claiming 2^32 pairs", "bb0000000100000000", .truncated),
        HostileCase("array claiming 2^32-1 items", "9affffffff00", .truncated),
        HostileCase("map claiming 2 pairs with 3 bytes left", "a2000000", .truncated),
        HostileCase("empty input", "", .truncated),
        HostileCase("missing 1-byte argument", "18", .truncated),
        HostileCase("short 8-byte argument", "1b00000000000000", .truncated),
        HostileCase("short text", "636162", .truncated),
        HostileCase("short array", "8200", .truncated),
        HostileCase("short float", "fa0000", .truncated),
        HostileCase("unterminated indefinite array", "9f00", .truncated, limits: indefinite),
        // Element and size limits.
        HostileCase("array count over maxElements", [0x8B] + [UInt8](repeating: 0, count: 11), .elementLimitExceeded, limits: .init(maxElements: 10)),
        HostileCase("indefinite array over maxElements", [0x9F] + [UInt8](repeating: 0, count: 11) + [0xFF], .elementLimitExceeded,
                    limits: .init(maxElements: 10, allowIndefinite: true)),
        HostileCase("nested items over maxElements", "83820000820000820000", .elementLimitExceeded, limits: .init(maxElements: 8)),
        HostileCase("string chunks over maxElements", "5f404040404040ff", .elementLimitExceeded, limits: .init(maxElements: 5, allowIndefinite: true)),
        HostileCase("100,001 items with the default limit", [0x9A, 0x00, 0x01, 0x86, 0xA1] + [UInt8](repeating: 0, count: 100_001), .elementLimitExceeded),
        HostileCase("input over maxBytes", "43010203", .sizeLimitExceeded, limits: .init(maxBytes: 3)),
        HostileCase("input over the default 1 MiB", [0x5A, 0x00, 0x10, 0x00, 0x00] + [UInt8](repeating: 0, count: 1 << 20), .sizeLimitExceeded),
        // Duplicate keys, compared by value.
        HostileCase("duplicate integer keys", "a201000100", .duplicateMapKey),
        HostileCase("duplicate keys in different float widths", "a2f93c0000fa3f80000000", .duplicateMapKey),
        // RFC 8949 §5.6.1: -0.0 is equal to 0.0. Every NaN key is one key (the encoder writes
        // every NaN as f97e00).
        HostileCase("duplicate zero keys of either sign", "a2f9000000f9800000", .duplicateMapKey),
        HostileCase("duplicate zero keys of either sign and width", "a2f9000000fb800000000000000000", .duplicateMapKey),
        HostileCase("duplicate NaN keys in different widths", "a2f97e0100fa7fc0200000", .duplicateMapKey),
        HostileCase("duplicate NaN keys with different payloads", "a2f97e0000f97e0100", .duplicateMapKey),
        HostileCase("duplicate text keys, one indefinite", "a261610f7f6161ff0f", .duplicateMapKey, limits: indefinite),
        HostileCase("duplicate array keys", "a2820102008201020f", .duplicateMapKey),
        // UTF-8 (RFC 3629): invalid bytes, overlong forms, surrogates, split characters.
        HostileCase("invalid continuation", "62c328", .invalidUTF8),
        HostileCase("overlong NUL", "62c080", .invalidUTF8),
        HostileCase("encoded surrogate", "63eda080", .invalidUTF8),
        HostileCase("lone 0xFF", "61ff", .invalidUTF8),
        HostileCase("beyond U+10FFFF", "64f4908080", .invalidUTF8),
        HostileCase("character split across chunks", "7f61c361bcff", .invalidUTF8, limits: indefinite),
        // Structure.
        HostileCase("trailing byte", "0000", .trailingBytes),
        HostileCase("trailing break", "a0ff", .trailingBytes),
        HostileCase("reserved ai 28", "1c", .invalidAdditionalInfo),
        HostileCase("reserved ai 29 on bytes", "5d", .invalidAdditionalInfo),
        HostileCase("reserved ai 30 on major 7", "fe", .invalidAdditionalInfo),
        HostileCase("reserved ai 28 on tags", "dc00", .invalidAdditionalInfo),
        HostileCase("indefinite unsigned", "1f", .invalidAdditionalInfo, limits: indefinite),
        HostileCase("indefinite negative", "3f", .invalidAdditionalInfo, limits: indefinite),
        HostileCase("indefinite tag", "df00", .invalidAdditionalInfo, limits: indefinite),
        HostileCase("top-level break", "ff", .unexpectedBreak),
        HostileCase("break in a definite array", "81ff", .unexpectedBreak, limits: indefinite),
        HostileCase("break where a map value belongs", "bf00ff", .unexpectedBreak, limits: indefinite),
        HostileCase("indefinite bytes by default", "5fff", .indefiniteLengthNotAllowed),
        HostileCase("indefinite text by default", "7fff", .indefiniteLengthNotAllowed),
        HostileCase("indefinite array by default", "9fff", .indefiniteLengthNotAllowed),
        HostileCase("indefinite map by default", "bfff", .indefiniteLengthNotAllowed),
        HostileCase("text chunk in bytes", "5f6161ff", .invalidChunk, limits: indefinite),
        HostileCase("bytes chunk in text", "7f4161ff", .invalidChunk, limits: indefinite),
        HostileCase("nested indefinite chunk", "5f5fffff", .invalidChunk, limits: indefinite),
        HostileCase("integer chunk", "5f00ff", .invalidChunk, limits: indefinite),
        HostileCase("simple 0 in two bytes", "f800", .invalidSimpleValue),
        HostileCase("false in two bytes", "f814", .invalidSimpleValue),
        HostileCase("reserved simple 31", "f81f", .invalidSimpleValue),
    ]

    @Test("rejected with the specific error code", arguments: cases)
    func rejected(_ hostile: HostileCase) {
        do {
            let value = try CBORDecoder.decode(hostile.bytes, limits: hostile.limits)
            Issue.record("decoded \(value.diagnostic.prefix(80)), expected \(hostile.code)")
        } catch {
            #expect(error.code == hostile.code, "\(error)")
        }
    }

    @Test("errors name the byte offset where decoding failed")
    func offsetInReason() throws {
        let error = try #require(throws: CBORError.self) { try CBORDecoder.decode([0x82, 0x00, 0x1C]) }
        #expect(error.code == .invalidAdditionalInfo)
        #expect(error.reason.contains("byte offset 2"), "\(error)")
        #expect(error.description.hasPrefix("CBORError.invalidAdditionalInfo: at byte offset 2"))
    }

    @Test("nesting up to the ceiling decodes when the limit allows it")
    func deepWithinCeiling() throws {
        let depth = CBORDecoder.Limits.depthCeiling
        let bytes = [UInt8](repeating: 0x81, count: depth) + [0x00]
        let value = try CBORDecoder.decode(bytes, limits: .init(maxDepth: depth))
        #expect(value.encoded() == bytes)
        #expect(value.diagnostic.count == 2 * depth + 1)
        #expect(throws: CBORError(.depthLimitExceeded, "")) { try CBORDecoder.decode([0x81] + bytes, limits: .init(maxDepth: depth + 1)) }
    }

    @Test("the exact element limit is accepted")
    func elementLimitBoundary() throws {
        // 1 array + 9 items = 10 data items.
        let bytes: [UInt8] = [0x89] + [UInt8](repeating: 0, count: 9)
        #expect(try CBORDecoder.decode(bytes, limits: .init(maxElements: 10)).array?.count == 9)
        #expect(throws: CBORError(.elementLimitExceeded, "")) { try CBORDecoder.decode(bytes, limits: .init(maxElements: 9)) }
    }

    @Test("simple values 32–255 and the two-byte form are accepted")
    func simpleValues() throws {
        #expect(try CBORDecoder.decode([0xF8, 0x20]) == .simple(32))
        #expect(try CBORDecoder.decode([0xF0]) == .simple(16))
        #expect(try CBORDecoder.decode([0xF8, 0xFF], limits: .init(requireDeterministic: true)) == .simple(255))
    }
}
