// RFC 8949 §4.2.1, core deterministic encoding requirements:
//   - preferred serialization: every argument (integer, length, tag number) in the shortest
//     head that holds it; floats in the shortest of half/single/double that represents the
//     value exactly, NaN as 0xf97e00;
//   - definite lengths only;
//   - map keys sorted by the bytewise lexicographic order of their deterministic encodings.

extension CBOR {
    /// The deterministic encoding of this value (RFC 8949 §4.2.1).
    ///
    /// Map keys are sorted by their own encodings. A map holding the same key twice is not
    /// valid CBOR (§5.6) and ``CBORDecoder`` rejects it; this encoder does not check, and
    /// writes every pair as given (duplicates side by side, in their original relative order).
    /// Avoid building such maps.
    package func encoded() -> [UInt8] {
        var out: [UInt8] = []
        append(to: &out)
        return out
    }

    private func append(to out: inout [UInt8]) {
        switch self {
        case .unsigned(let n):
            Self.appendHead(major: 0, argument: n, to: &out)
        case .negative(let n):
            Self.appendHead(major: 1, argument: n, to: &out)
        case .bytes(let bytes):
            Self.appendHead(major: 2, argument: UInt64(bytes.count), to: &out)
            out.append(contentsOf: bytes)
        case .text(let string):
            Self.appendHead(major: 3, argument: UInt64(string.utf8.count), to: &out)
            out.append(contentsOf: string.utf8)
        case .array(let items):
            Self.appendHead(major: 4, argument: UInt64(items.count), to: &out)
            for item in items { item.append(to: &out) }
        case .map(let pairs):
            Self.appendHead(major: 5, argument: UInt64(pairs.count), to: &out)
            if let order = Self.keyOrder(pairs) {
                for index in order {
                    pairs[index].key.append(to: &out)
                    pairs[index].value.append(to: &out)
                }
                return
            }
            // RFC 8949 §4.2.1: sort by the encoded keys; the index breaks ties so that
            // duplicate keys keep their given order and the output stays deterministic.
            let keyed = pairs.enumerated().map { (index: $0.offset, key: $0.element.key.encoded(), value: $0.element.value) }
            let sorted = keyed.sorted {
                $0.key == $1.key ? $0.index < $1.index : $0.key.lexicographicallyPrecedes($1.key)
            }
            for pair in sorted {
                out.append(contentsOf: pair.key)
                pair.value.append(to: &out)
            }
        case .tagged(let tag, let item):
            Self.appendHead(major: 6, argument: tag, to: &out)
            item.append(to: &out)
        case .simple(let value):
            // RFC 8949 §3.3: 0–23 fit the initial byte, 32–255 take one extra byte. 20–23
            // are false/true/null/undefined and decode as those cases; 24–31 are not
            // well-formed, are written as given, and the decoder rejects them.
            if value < 24 {
                out.append(0xE0 | value)
            } else {
                out.append(contentsOf: [0xF8, value])
            }
        case .bool(let b):
            out.append(b ? 0xF5 : 0xF4)
        case .null:
            out.append(0xF6)
        case .undefined:
            out.append(0xF7)
        case .float(let d):
            Self.appendFloat(d, to: &out)
        }
    }

    /// The positions of `pairs` in the order of their encoded keys, found without encoding
    /// them, when every key is an integer, a byte string or a text string (as in every map
    /// this project writes); `nil` otherwise. Ties keep their given order, as in the general
    /// sort: encoding each key to compare it had been most of the cost of a log record.
    ///
    /// For these keys the bytewise order of the encodings (RFC 8949 §4.2.1) is the order of
    /// (major type, argument, content): the initial byte holds the major type in its top
    /// bits, and a shortest-form argument that is larger has either a larger additional
    /// information value or the same one and larger big-endian bytes after it (§3). The
    /// argument is the integer itself (§3.1: −1 − n for a negative one, stored as n) or the
    /// length of the string, whose bytes follow.
    static func keyOrder(_ pairs: [Pair]) -> [Int]? {
        var inOrder = true
        for index in pairs.indices {
            guard Self.isPlainKey(pairs[index].key) else { return nil }
            if index > 0, inOrder, Self.keyPrecedes(pairs[index].key, pairs[index - 1].key) {
                inOrder = false
            }
        }
        if inOrder { return Array(pairs.indices) }
        return pairs.indices.sorted { a, b in
            Self.keyPrecedes(pairs[a].key, pairs[b].key) || (!Self.keyPrecedes(pairs[b].key, pairs[a].key) && a < b)
        }
    }

    /// Whether `key` is an integer, a byte string or a text string (`keyOrder`).
    private static func isPlainKey(_ key: CBOR) -> Bool {
        switch key {
        case .unsigned, .negative, .bytes, .text: true
        default: false
        }
    }

    /// Whether the encoding of `a` sorts before that of `b`; both are plain keys (`keyOrder`).
    private static func keyPrecedes(_ a: CBOR, _ b: CBOR) -> Bool {
        switch (a, b) {
        case (.unsigned(let x), .unsigned(let y)), (.negative(let x), .negative(let y)):
            return x < y
        case (.bytes(let x), .bytes(let y)):
            return x.count != y.count ? x.count < y.count : x.lexicographicallyPrecedes(y)
        case (.text(let x), .text(let y)):
            let (x, y) = (x.utf8, y.utf8)
            return x.count != y.count ? x.count < y.count : x.lexicographicallyPrecedes(y)
        default:
            return majorType(a) < majorType(b)
        }
    }

    /// The major type of a plain key (RFC 8949 §3.1).
    private static func majorType(_ key: CBOR) -> UInt8 {
        switch key {
        case .unsigned: 0
        case .negative: 1
        case .bytes: 2
        default: 3
        }
    }

    /// Writes an initial byte and its argument in the shortest form (RFC 8949 §4.2.1).
    package static func appendHead(major: UInt8, argument: UInt64, to out: inout [UInt8]) {
        let type = major << 5
        switch argument {
        case 0..<24:
            out.append(type | UInt8(argument))
        case 24...0xFF:
            out.append(contentsOf: [type | 24, UInt8(argument)])
        case 0x100...0xFFFF:
            out.append(type | 25)
            appendBigEndian(argument, byteCount: 2, to: &out)
        case 0x1_0000...0xFFFF_FFFF:
            out.append(type | 26)
            appendBigEndian(argument, byteCount: 4, to: &out)
        default:
            out.append(type | 27)
            appendBigEndian(argument, byteCount: 8, to: &out)
        }
    }

    private static func appendBigEndian(_ value: UInt64, byteCount: Int, to out: inout [UInt8]) {
        for index in stride(from: byteCount - 1, through: 0, by: -1) {
            out.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(index))))
        }
    }

    /// Writes a float in the shortest of half, single and double precision that holds it
    /// exactly; every NaN becomes the quiet half NaN 0xf97e00 (RFC 8949 §4.2.1, §4.2.2).
    static func appendFloat(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN {
            out.append(contentsOf: [0xF9, 0x7E, 0x00])
        } else if let half = exactHalf(value) {
            out.append(0xF9)
            appendBigEndian(UInt64(half), byteCount: 2, to: &out)
        } else if let single = Float(exactly: value) {
            out.append(0xFA)
            appendBigEndian(UInt64(single.bitPattern), byteCount: 4, to: &out)
        } else {
            out.append(0xFB)
            appendBigEndian(value.bitPattern, byteCount: 8, to: &out)
        }
    }

    /// The IEEE 754 binary16 bits of `value` if it is exactly representable, else `nil`.
    ///
    /// Written by hand because `Float16` is unavailable on macOS x86_64.
    static func exactHalf(_ value: Double) -> UInt16? {
        let sign: UInt16 = value.sign == .minus ? 0x8000 : 0
        let magnitude = value.magnitude
        if magnitude == 0 { return sign }
        if magnitude.isInfinite { return sign | 0x7C00 }
        let exponent = magnitude.exponent
        switch exponent {
        case -14...15:
            // Normal half: 10 fraction bits, so the low 42 of the double's 52 must be zero.
            let fraction = magnitude.significandBitPattern
            guard fraction & ((1 << 42) - 1) == 0 else { return nil }
            return sign | UInt16(exponent + 15) << 10 | UInt16(fraction >> 42)
        case -24 ..< -14:
            // Subnormal half: a whole multiple of 2^-24 below 2^-14.
            let units = magnitude * 0x1p24
            guard units == units.rounded(.towardZero) else { return nil }
            return sign | UInt16(units)
        default:
            return nil
        }
    }

    /// The value of IEEE 754 binary16 bits. A NaN keeps its sign and significand, as
    /// ``double(fromSingle:)`` says.
    static func double(fromHalf bits: UInt16) -> Double {
        let exponent = Int(bits >> 10 & 0x1F)
        if exponent == 31, bits & 0x3FF != 0 { return nan(sign: UInt64(bits >> 15), significand: UInt64(bits & 0x3FF) << 42) }
        let fraction = Double(bits & 0x3FF)
        let magnitude: Double = switch exponent {
        case 0: fraction * 0x1p-24
        case 31: .infinity
        default: (fraction + 1024) * Double(sign: .plus, exponent: exponent - 25, significand: 1)
        }
        return bits & 0x8000 != 0 ? -magnitude : magnitude
    }

    /// The value of IEEE 754 binary32 bits. A NaN keeps its sign and significand, zero-extended
    /// (RFC 8949 §5.6.1): a conversion by the processor would make a signalling NaN quiet.
    static func double(fromSingle bits: UInt32) -> Double {
        if bits >> 23 & 0xFF == 0xFF, bits & 0x7F_FFFF != 0 { return nan(sign: UInt64(bits >> 31), significand: UInt64(bits & 0x7F_FFFF) << 29) }
        return Double(Float(bitPattern: bits))
    }

    /// The double NaN with this sign bit and 52-bit significand.
    private static func nan(sign: UInt64, significand: UInt64) -> Double {
        Double(bitPattern: sign << 63 | 0x7FF << 52 | significand)
    }
}
