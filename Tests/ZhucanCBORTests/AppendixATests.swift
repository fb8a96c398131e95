import Foundation
import Testing
import ZhucanCBOR
import ZhucanTesting

/// One example of RFC 8949 Appendix A, from `cbor/appendix_a.json` (cbor/test-vectors).
struct AppendixACase: Sendable, CustomTestStringConvertible {
    let hex: String
    let base64: String
    let roundtrip: Bool
    /// The expected value as JSON, when JSON can express it.
    let decoded: JSONValue?
    /// The expected RFC 8949 §8 diagnostic notation otherwise.
    let diagnostic: String?

    var testDescription: String { hex }
}

@Suite("RFC 8949 Appendix A", .enabled(if: TestVectors.shouldRun))
struct AppendixATests {
    static let cases: [AppendixACase] = (try? loadCases()) ?? []

    static func loadCases() throws -> [AppendixACase] {
        let json = try JSONValue.parse(Array(TestVectors.data("cbor/appendix_a.json")))
        guard case .array(let entries) = json else { return [] }
        return entries.compactMap { entry in
            guard case .string(let hex)? = entry["hex"], case .string(let base64)? = entry["cbor"],
                  case .bool(let roundtrip)? = entry["roundtrip"] else { return nil }
            var diagnostic: String?
            if case .string(let text)? = entry["diagnostic"] { diagnostic = text }
            return AppendixACase(hex: hex, base64: base64, roundtrip: roundtrip, decoded: entry["decoded"], diagnostic: diagnostic)
        }
    }

    /// Examples carried over from RFC 7049's Appendix A that RFC 8949 no longer allows.
    /// RFC 8949 §3.3 makes 0xf8 followed by a byte below 0x20 not well-formed, so
    /// `simple(24)` has no encoding at all.
    static let notWellFormed: [String: CBORError.Code] = ["f818": .invalidSimpleValue]

    @Test("the vector file parses into all 82 examples")
    func fileLoads() {
        #expect(Self.cases.count == 82)
        #expect(Self.cases.allSatisfy { ($0.decoded == nil) != ($0.diagnostic == nil) })
    }

    @Test("decodes to the expected value and re-encodes", arguments: cases)
    func example(_ example: AppendixACase) throws {
        let bytes = try #require(Hex.decode(example.hex))
        #expect(Data(base64Encoded: example.base64).map(Array.init) == bytes, "cbor and hex disagree")

        if let code = Self.notWellFormed[example.hex] {
            #expect(throws: CBORError(code, "")) { try CBORDecoder.decode(bytes, limits: .init(allowIndefinite: true)) }
            return
        }
        let value = try CBORDecoder.decode(bytes, limits: .init(allowIndefinite: true))
        if let expected = example.decoded {
            #expect(Self.matches(expected, value), "decoded \(value.diagnostic)")
        }
        if let expected = example.diagnostic {
            if expected.hasPrefix("(_ ") {
                // An indefinite byte string: we keep no chunk boundaries (see CBOR+Diagnostic),
                // so the value is the chunks' concatenation.
                let chunks = expected.split(separator: "'").enumerated().filter { $0.offset % 2 == 1 }
                let joined = chunks.flatMap { Hex.decode($0.element) ?? [0xEE] }
                #expect(value == .bytes(joined))
                #expect(value.diagnostic == "h'\(Hex.encode(joined))'")
            } else {
                #expect(Self.normalised(value.diagnostic) == Self.normalised(expected))
            }
        }

        let encoded = value.encoded()
        let strict = CBORDecoder.Limits(requireDeterministic: true)
        if example.roundtrip {
            #expect(Hex.encode(encoded) == example.hex)
            #expect(try CBORDecoder.decode(bytes) == value, "default limits reject it")
            #expect(try CBORDecoder.decode(bytes, limits: strict) == value, "deterministic check rejects it")
        } else {
            // Indefinite lengths or a float wider than needed: our encoding must differ, be
            // deterministic, and mean the same value.
            #expect(encoded != bytes)
            #expect(try CBORDecoder.decode(encoded, limits: strict) == value)
            #expect(throws: CBORError.self) { try CBORDecoder.decode(bytes, limits: strict) }
        }
    }

    static func normalised(_ diagnostic: String) -> String {
        diagnostic.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Whether `cbor` is the value JSON describes. A JSON number with a fraction or exponent
    /// must be a float with the same bits; any other number an integer, compared as decimal
    /// text, with tags 2 and 3 (RFC 8949 §3.4.3 bignums) for values beyond 64 bits.
    static func matches(_ json: JSONValue, _ cbor: CBOR) -> Bool {
        switch json {
        case .null:
            return cbor == .null
        case .bool(let b):
            return cbor == .bool(b)
        case .string(let s):
            return cbor == .text(s)
        case .array(let items):
            guard let array = cbor.array, array.count == items.count else { return false }
            return zip(items, array).allSatisfy { matches($0, $1) }
        case .object(let members):
            guard let pairs = cbor.pairs, pairs.count == members.count else { return false }
            return zip(members, pairs).allSatisfy { $1.key == .text($0.0) && matches($0.1, $1.value) }
        case .number(let text):
            if text.contains(where: { ".eE".contains($0) }) {
                guard case .float(let value) = cbor, let expected = Double(text) else { return false }
                return value.bitPattern == expected.bitPattern
            }
            return integerText(cbor) == text
        }
    }

    /// The decimal text of an integer or bignum, computed independently of the library.
    static func integerText(_ cbor: CBOR) -> String? {
        func bigEndian(_ n: UInt64) -> [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: n >> (8 * $0)) } }
        switch cbor {
        case .unsigned(let n): return decimal(bigEndian(n), plusOne: false)
        case .negative(let n): return "-" + decimal(bigEndian(n), plusOne: true)
        case .tagged(2, .bytes(let b)): return decimal(b, plusOne: false)
        case .tagged(3, .bytes(let b)): return "-" + decimal(b, plusOne: true)
        default: return nil
        }
    }

    /// Base-256 digits (big-endian), optionally plus one, as decimal text.
    static func decimal(_ bytes: [UInt8], plusOne: Bool) -> String {
        var digits = [UInt8](repeating: 0, count: 1) + bytes
        if plusOne {
            var index = digits.count - 1
            while index >= 0 {
                digits[index] &+= 1
                if digits[index] != 0 { break }
                index -= 1
            }
        }
        var decimal: [Character] = []
        while digits.contains(where: { $0 != 0 }) {
            var remainder = 0
            for index in digits.indices {
                let current = remainder * 256 + Int(digits[index])
                digits[index] = UInt8(current / 10)
                remainder = current % 10
            }
            decimal.append(Character(String(remainder)))
        }
        return decimal.isEmpty ? "0" : String(decimal.reversed())
    }
}
