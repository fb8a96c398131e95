import ZhucanCBOR
import ZhucanTesting

/// Random CBOR values of every case, nested up to a given depth, without duplicate map keys.
struct CBORGenerator {
    var random: SplitMix64

    init(seed: UInt64) {
        random = SplitMix64(seed: seed)
    }

    /// Integers clustered around the head-size boundaries, where encoders go wrong.
    mutating func argument() -> UInt64 {
        let boundaries: [UInt64] = [0, 23, 24, 255, 256, 65535, 65536, 0xFFFF_FFFF, 0x1_0000_0000, .max]
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return boundaries.randomElement(using: &random) ?? 0
        case 1: return UInt64.random(in: 0...30, using: &random)
        case 2: return UInt64.random(in: 0...UInt64.random(in: 0...UInt64.max, using: &random), using: &random)
        default: return random.next()
        }
    }

    mutating func float() -> Double {
        let special: [Double] = [0, -0.0, 1, 1.5, -4.1, 65504, 65505, 100_000, 1.1, .infinity, -.infinity, .nan,
                                 5.960464477539063e-08, 6.103515625e-05, Double(Float.greatestFiniteMagnitude),
                                 Double(Float.leastNonzeroMagnitude), .leastNonzeroMagnitude, .greatestFiniteMagnitude]
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return special.randomElement(using: &random) ?? 0
        // Random halves and singles, which must come back out in their short forms.
        case 1: return CBOR.halfForTests(UInt16(truncatingIfNeeded: random.next()))
        case 2: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: random.next())))
        default: return Double(bitPattern: random.next())
        }
    }

    mutating func bytes() -> [UInt8] {
        let count = Int.random(in: 0...(Bool.random(using: &random) ? 4 : 40), using: &random)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }
    }

    mutating func text() -> String {
        let alphabet: [String] = ["a", "z", "é", "e\u{301}", "水", "𐅑", "\"", "\\", "\n", "\u{0}", "\u{7F}", " "]
        let count = Int.random(in: 0...(Bool.random(using: &random) ? 3 : 30), using: &random)
        return (0..<count).map { _ in alphabet.randomElement(using: &random) ?? "" }.joined()
    }

    mutating func value(depth: Int) -> CBOR {
        let scalarCases = 10
        let choice = Int.random(in: 0..<(depth > 0 ? scalarCases + 3 : scalarCases), using: &random)
        switch choice {
        case 0: return .unsigned(argument())
        case 1: return .negative(argument())
        case 2: return .bytes(bytes())
        case 3: return .text(text())
        case 4: return .float(float())
        case 5: return .bool(Bool.random(using: &random))
        case 6: return .null
        case 7: return .undefined
        case 8:
            // RFC 8949 §3.3: 20–23 are false/true/null/undefined, 24–31 do not exist.
            let value = UInt8.random(in: 0...255, using: &random)
            return (20...31).contains(value) ? .simple(value & 0x0F) : .simple(value)
        case 9: return .unsigned(UInt64.random(in: 0...100, using: &random))
        case 10:
            let count = Int.random(in: 0...5, using: &random)
            return .array((0..<count).map { _ in value(depth: depth - 1) })
        case 11:
            let count = Int.random(in: 0...5, using: &random)
            var seen = Set<CBOR>()
            var pairs: [CBOR.Pair] = []
            for _ in 0..<count {
                let key = value(depth: depth - 1)
                guard seen.insert(key).inserted else { continue }
                pairs.append(CBOR.Pair(key: key, value: value(depth: depth - 1)))
            }
            return .map(pairs)
        default:
            return .tagged(argument(), value(depth: depth - 1))
        }
    }
}

extension CBOR {
    /// Decodes binary16 bits through the library, via a three-byte encoding.
    static func halfForTests(_ bits: UInt16) -> Double {
        let value = try? CBORDecoder.decode([0xF9, UInt8(bits >> 8), UInt8(bits & 0xFF)])
        return value?.double ?? 0
    }
}
