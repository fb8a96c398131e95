// RFC 8949 §3: every data item starts with an initial byte holding the major type (high
// 3 bits) and additional information (low 5 bits); the additional information is the
// argument itself or says how many bytes of argument follow:
//
//   data-item = head content
//   head      = initial-byte [argument]
//     ai 0..23  argument = ai           ai 24..27  argument in 1, 2, 4, 8 bytes (big-endian)
//     ai 28..30 reserved (not well-formed)  ai 31  indefinite length / "break" (0xFF)
//
//   major 0  unsigned integer        argument is the value
//   major 1  negative integer        value is -1 - argument
//   major 2  byte string             argument bytes follow
//   major 3  text string (UTF-8)     argument bytes follow
//   major 4  array                   argument data items follow
//   major 5  map                     argument key/value pairs follow
//   major 6  tag                     argument is the tag number; one data item follows
//   major 7  simple values / floats  ai 20..23 false, true, null, undefined; 24 simple(32..255);
//                                    25, 26, 27 half, single, double float

/// One CBOR data item (RFC 8949), as a value.
///
/// Maps keep their pairs in the order given (or decoded) and ``encoded()`` sorts them, but
/// the order carries no meaning: maps are equal when they hold the same pairs in any order.
/// Equality is otherwise by value, as RFC 8949 §2 and §5.6.1 have it: text strings compare by
/// their UTF-8 bytes; floats by number, so that `-0.0` equals `0.0` and `1.0` equals itself in
/// any width. Every NaN equals every other, also as a map key, as the encoder writes them all
/// as `f97e00` (§5.6.1 would tell NaN keys apart by payload; this profile refuses two as one
/// key). Integers and floats never compare equal to each other.
package enum CBOR: Sendable {
    /// Major type 0: an unsigned integer.
    case unsigned(UInt64)
    /// Major type 1: the negative integer `-1 - n`.
    case negative(UInt64)
    /// Major type 2: a byte string.
    case bytes([UInt8])
    /// Major type 3: a UTF-8 text string.
    case text(String)
    /// Major type 4: an array of data items.
    case array([CBOR])
    /// Major type 5: a map, as key/value pairs in the order given.
    case map([Pair])
    /// Major type 6: a tag number and the data item it tags. The only case boxed: an
    /// `indirect enum` put every decoded item, integers included, in a heap box of its own.
    indirect case tagged(UInt64, CBOR)
    /// Major type 7: a simple value other than false, true, null and undefined: 0–19 or
    /// 32–255 (20–23 decode as ``bool(_:)``, ``null`` and ``undefined``; 24–31 do not exist).
    case simple(UInt8)
    /// Simple values 20 and 21.
    case bool(Bool)
    /// Simple value 22.
    case null
    /// Simple value 23.
    case undefined
    /// A half-, single- or double-precision float; encoded in the shortest exact width.
    case float(Double)

    /// One entry of a CBOR map.
    package struct Pair: Hashable, Sendable {
        /// The entry's key.
        package var key: CBOR
        /// The entry's value.
        package var value: CBOR

        /// Makes a map entry.
        package init(key: CBOR, value: CBOR) {
            self.key = key
            self.value = value
        }
    }
}

extension CBOR {
    /// An integer: `.unsigned` when non-negative, otherwise `.negative`.
    package init(_ int: Int64) {
        // For negative n, -1 - n == ~n, which cannot overflow (even for Int64.min).
        self = int >= 0 ? .unsigned(UInt64(int)) : .negative(UInt64(~int))
    }

    /// A text string.
    package init(_ string: String) {
        self = .text(string)
    }

    /// A byte string.
    package init(_ bytes: [UInt8]) {
        self = .bytes(bytes)
    }

    /// The integer value, or `nil` if this is not an integer or does not fit an `Int64`.
    package var int: Int64? {
        switch self {
        case .unsigned(let n) where n <= UInt64(Int64.max): Int64(n)
        case .negative(let n) where n <= UInt64(Int64.max): ~Int64(n)
        default: nil
        }
    }

    /// The value of an unsigned integer, or `nil`.
    package var uint: UInt64? {
        if case .unsigned(let n) = self { n } else { nil }
    }

    /// The content of a byte string, or `nil`.
    package var bytes: [UInt8]? {
        if case .bytes(let b) = self { b } else { nil }
    }

    /// The content of a text string, or `nil`.
    package var text: String? {
        if case .text(let s) = self { s } else { nil }
    }

    /// The items of an array, or `nil`.
    package var array: [CBOR]? {
        if case .array(let items) = self { items } else { nil }
    }

    /// The pairs of a map in their stored order, or `nil`.
    package var pairs: [Pair]? {
        if case .map(let pairs) = self { pairs } else { nil }
    }

    /// The value of a boolean, or `nil`.
    package var bool: Bool? {
        if case .bool(let b) = self { b } else { nil }
    }

    /// The value of a float, or `nil` (integers are not converted).
    package var double: Double? {
        if case .float(let d) = self { d } else { nil }
    }

    /// The value stored under `key` in a map (the first such pair), or `nil`.
    package subscript(key: CBOR) -> CBOR? {
        pairs?.first { $0.key == key }?.value
    }

    /// The value stored under an integer key in a map, or `nil`.
    package subscript(int key: Int64) -> CBOR? {
        self[CBOR(key)]
    }

    /// The value stored under a text key in a map, or `nil`.
    package subscript(text key: String) -> CBOR? {
        self[CBOR.text(key)]
    }
}

extension CBOR: Hashable {
    package static func == (lhs: CBOR, rhs: CBOR) -> Bool {
        switch (lhs, rhs) {
        case let (.unsigned(a), .unsigned(b)), let (.negative(a), .negative(b)): a == b
        case let (.bytes(a), .bytes(b)): a == b
        // RFC 8949 §5.6.1: text strings are equal when their UTF-8 bytes are (no Unicode
        // normalisation); Swift's String == would also equate NFC and NFD spellings.
        case let (.text(a), .text(b)): a.utf8.elementsEqual(b.utf8)
        case let (.array(a), .array(b)): a == b
        case let (.map(a), .map(b)): samePairs(a, b)
        case let (.tagged(t, a), .tagged(u, b)): t == u && a == b
        case let (.simple(a), .simple(b)): a == b
        case let (.bool(a), .bool(b)): a == b
        case (.null, .null), (.undefined, .undefined): true
        case let (.float(a), .float(b)): a.isNaN ? b.isNaN : a == b
        default: false
        }
    }

    /// Whether two maps hold the same pairs in any order, counting repeats, in linear
    /// expected time (a pairwise search would be quadratic on hostile input).
    private static func samePairs(_ a: [Pair], _ b: [Pair]) -> Bool {
        guard a.count == b.count else { return false }
        if a.elementsEqual(b) { return true }
        var counts: [Pair: Int] = [:]
        for pair in a { counts[pair, default: 0] += 1 }
        for pair in b {
            guard let count = counts[pair], count > 0 else { return false }
            counts[pair] = count - 1
        }
        return true
    }

    package func hash(into hasher: inout Hasher) {
        switch self {
        case .unsigned(let n): hasher.combine(0); hasher.combine(n)
        case .negative(let n): hasher.combine(1); hasher.combine(n)
        case .bytes(let b): hasher.combine(2); hasher.combine(b)
        case .text(let s): hasher.combine(3); hasher.combine(s.utf8.count); s.utf8.forEach { hasher.combine($0) }
        case .array(let items): hasher.combine(4); hasher.combine(items)
        case .map(let pairs):
            // Order-independent, like Set's hash; a sum so that repeated pairs do not cancel.
            var sum = 0
            for pair in pairs {
                var pairHasher = Hasher()
                pairHasher.combine(pair)
                sum &+= pairHasher.finalize()
            }
            hasher.combine(5); hasher.combine(pairs.count); hasher.combine(sum)
        case .tagged(let tag, let item): hasher.combine(6); hasher.combine(tag); hasher.combine(item)
        case .simple(let v): hasher.combine(7); hasher.combine(v)
        case .bool(let b): hasher.combine(8); hasher.combine(b)
        case .null: hasher.combine(9)
        case .undefined: hasher.combine(10)
        // Matches ==: all NaNs alike, both zeros alike, otherwise the exact bits.
        case .float(let d): hasher.combine(11); hasher.combine(d.isNaN ? Double.nan.bitPattern : d == 0 ? 0 : d.bitPattern)
        }
    }
}
