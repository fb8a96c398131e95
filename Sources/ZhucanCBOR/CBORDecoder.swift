// RFC 8949 §3 and Appendix C, what this decoder accepts (one well-formed data item, no more):
//
//   item        = head(0 or 1, argument) / head(2, n) n*BYTE / head(3, n) n*UTF8-BYTE
//               / head(4, n) n*item / head(5, n) n*(item item) / head(6, tag) item
//               / 0xE0..0xF3 / 0xF4..0xF7 / 0xF8 BYTE(32..255) / 0xF9 2BYTE / 0xFA 4BYTE / 0xFB 8BYTE
//   indefinite  = 0x5F *definite-bytes 0xFF / 0x7F *definite-text 0xFF       (§3.2.3)
//               / 0x9F *item 0xFF / 0xBF *(item item) 0xFF                    (§3.2.2)
//
// Only when Limits.allowIndefinite is set; never under Limits.requireDeterministic.
// Always rejected: additional information 28–30, 31 on major types 0, 1 and 6, a "break"
// outside an indefinite item, simple values below 32 in two bytes (§3.3), invalid UTF-8,
// duplicate map keys (§5.6), and anything after the single top-level item.

/// Decodes exactly one CBOR data item (RFC 8949) under hard limits.
///
/// The decoder never traps, never recurses deeper than ``Limits/maxDepth``, and checks every
/// length and count against the bytes that remain before allocating anything for it.
package struct CBORDecoder {
    /// Bounds and strictness switches for one decode.
    package struct Limits: Sendable, Hashable {
        /// The highest `maxDepth` honoured, so recursion stays well inside any thread's stack.
        package static let depthCeiling = 256

        /// How deeply arrays, maps and tags may nest: 0 allows only a scalar, 1 a container of
        /// scalars. Values above ``depthCeiling`` act as ``depthCeiling``.
        package var maxDepth: Int
        /// The most data items in the input, counting keys, values and string chunks.
        package var maxElements: Int
        /// The longest input accepted, in bytes.
        package var maxBytes: Int
        /// Accept indefinite-length strings, arrays and maps (RFC 8949 §3.2). Ignored, and
        /// indefinite lengths rejected, when ``requireDeterministic`` is set.
        package var allowIndefinite: Bool
        /// Reject anything but the deterministic encoding of RFC 8949 §4.2.1: non-shortest
        /// arguments and floats, NaN other than 0xf97e00, indefinite lengths, unsorted map keys.
        package var requireDeterministic: Bool

        /// Makes limits; the defaults suit one signed credential.
        package init(
            maxDepth: Int = 32,
            maxElements: Int = 100_000,
            maxBytes: Int = 1 << 20,
            allowIndefinite: Bool = false,
            requireDeterministic: Bool = false
        ) {
            self.maxDepth = maxDepth
            self.maxElements = maxElements
            self.maxBytes = maxBytes
            self.allowIndefinite = allowIndefinite
            self.requireDeterministic = requireDeterministic
        }
    }

    private let input: [UInt8]
    private let limits: Limits
    private var offset = 0
    private var elements = 0

    private init(input: [UInt8], limits: Limits) {
        self.input = input
        self.limits = limits
    }

    /// Decodes `bytes` as exactly one CBOR data item.
    ///
    /// - Parameters:
    ///   - bytes: the whole encoding; nothing may follow the item.
    ///   - limits: bounds and strictness; the defaults accept any well-formed definite-length
    ///     item, deterministic or not.
    /// - Throws: ``CBORError`` whose reason names the byte offset where decoding failed.
    package static func decode(_ bytes: some Collection<UInt8>, limits: Limits = .init()) throws(CBORError) -> CBOR {
        guard bytes.count <= limits.maxBytes else {
            throw CBORError(.sizeLimitExceeded, "input is \(bytes.count) bytes, the limit is \(limits.maxBytes)")
        }
        var decoder = CBORDecoder(input: Array(bytes), limits: limits)
        let value = try decoder.item(depth: 0)
        guard decoder.offset == decoder.input.count else {
            throw decoder.failure(.trailingBytes, "\(decoder.input.count - decoder.offset) bytes follow the data item", at: decoder.offset)
        }
        return value
    }

    // MARK: - Data items

    private mutating func item(depth: Int) throws(CBORError) -> CBOR {
        let start = offset
        try countElement(at: start)
        let initial = try readByte()
        let major = initial >> 5
        let info = initial & 0x1F
        if major == 7 {
            return try simpleOrFloat(info, start: start)
        }
        if info == 31 {
            return try indefinite(major: major, depth: depth, start: start)
        }
        let argument = try readArgument(info, start: start)
        switch major {
        case 0:
            return .unsigned(argument)
        case 1:
            return .negative(argument)
        case 2:
            return .bytes(try readBytes(argument, start: start))
        case 3:
            return .text(try readText(argument, start: start))
        case 4:
            let count = try checkCount(argument, itemsEach: 1, start: start)
            try enter(depth, start: start)
            return .array(try readItems(count: count, depth: depth + 1))
        case 5:
            let count = try checkCount(argument, itemsEach: 2, start: start)
            try enter(depth, start: start)
            return .map(try readPairs(count: count, depth: depth + 1))
        default:
            try enter(depth, start: start)
            return .tagged(argument, try item(depth: depth + 1))
        }
    }

    /// Major type 7 (RFC 8949 §3.3): simple values, floats and the "break" stop code.
    private mutating func simpleOrFloat(_ info: UInt8, start: Int) throws(CBORError) -> CBOR {
        switch info {
        case 20: return .bool(false)
        case 21: return .bool(true)
        case 22: return .null
        case 23: return .undefined
        case 0..<20: return .simple(info)
        case 24:
            let value = try readByte()
            // RFC 8949 §3.3: 0–31 must use the one-byte form (24–31 are reserved).
            guard value >= 32 else {
                throw failure(.invalidSimpleValue, "simple value \(value) encoded in two bytes", at: start)
            }
            return .simple(value)
        case 25, 26, 27:
            let bits = try readUInt(byteCount: 1 << (info - 24), start: start)
            let value: Double = switch info {
            case 25: CBOR.double(fromHalf: UInt16(truncatingIfNeeded: bits))
            case 26: CBOR.double(fromSingle: UInt32(truncatingIfNeeded: bits))
            default: Double(bitPattern: bits)
            }
            if limits.requireDeterministic {
                var preferred: [UInt8] = []
                CBOR.appendFloat(value, to: &preferred)
                guard preferred.elementsEqual(input[start..<offset]) else {
                    throw failure(.nonDeterministic, "float \(value) is not in its shortest form", at: start)
                }
            }
            return .float(value)
        case 31:
            throw failure(.unexpectedBreak, "break outside an indefinite-length item", at: start)
        default:
            throw failure(.invalidAdditionalInfo, "reserved additional information \(info)", at: start)
        }
    }

    /// Additional information 31: indefinite-length strings, arrays and maps (RFC 8949 §3.2).
    private mutating func indefinite(major: UInt8, depth: Int, start: Int) throws(CBORError) -> CBOR {
        guard major >= 2, major <= 5 else {
            throw failure(.invalidAdditionalInfo, "additional information 31 with major type \(major)", at: start)
        }
        guard limits.allowIndefinite, !limits.requireDeterministic else {
            throw failure(.indefiniteLengthNotAllowed, "indefinite length for major type \(major)", at: start)
        }
        switch major {
        case 2, 3:
            // §3.2.3: definite-length chunks of the same major type; each text chunk is valid
            // UTF-8 on its own, so their concatenation is too.
            var content: [UInt8] = []
            while try !readBreak() {
                let chunkStart = offset
                try countElement(at: chunkStart)
                let initial = try readByte()
                guard initial >> 5 == major, initial & 0x1F != 31 else {
                    throw failure(.invalidChunk, "chunk of major type \(initial >> 5) inside an indefinite string of major type \(major)", at: chunkStart)
                }
                let length = try readArgument(initial & 0x1F, start: chunkStart)
                if major == 3 {
                    content += Array(try readText(length, start: chunkStart).utf8)
                } else {
                    content += try readBytes(length, start: chunkStart)
                }
            }
            return major == 2 ? .bytes(content) : .text(String(decoding: content, as: UTF8.self))
        case 4:
            try enter(depth, start: start)
            return .array(try readItems(count: nil, depth: depth + 1))
        default:
            try enter(depth, start: start)
            return .map(try readPairs(count: nil, depth: depth + 1))
        }
    }

    /// Reads `count` items, or items up to a "break" when `count` is `nil`.
    private mutating func readItems(count: Int?, depth: Int) throws(CBORError) -> [CBOR] {
        var items: [CBOR] = []
        items.reserveCapacity(count ?? 0)
        while try !atEnd(count: count, done: items.count) {
            items.append(try item(depth: depth))
        }
        return items
    }

    /// Reads `count` pairs, or pairs up to a "break" when `count` is `nil`, rejecting duplicate
    /// keys (§5.6) and, when deterministic encoding is required, unsorted keys (§4.2.1).
    private mutating func readPairs(count: Int?, depth: Int) throws(CBORError) -> [CBOR.Pair] {
        var pairs: [CBOR.Pair] = []
        pairs.reserveCapacity(count ?? 0)
        // Duplicate keys: a linear scan for the small maps of our own objects (hashing a CBOR
        // tree per key cost more than the scan); a set once a map grows past a few keys.
        var keys: Set<CBOR>?
        var previousKey: Range<Int>?
        while try !atEnd(count: count, done: pairs.count) {
            let keyStart = offset
            let key = try item(depth: depth)
            let isDuplicate: Bool
            // Every NaN key is one key: the encoder writes every NaN as f97e00, and two NaN keys
            // that RFC 8949 §5.6.1 tells apart by payload would be written as one key twice.
            if var seen = keys {
                keys = nil
                isDuplicate = !seen.insert(key).inserted
                keys = seen
            } else if pairs.count < 16 {
                isDuplicate = pairs.contains { $0.key == key }
            } else {
                var seen = Set(pairs.map(\.key))
                isDuplicate = !seen.insert(key).inserted
                keys = seen
            }
            guard !isDuplicate else {
                throw failure(.duplicateMapKey, "duplicate map key \(key.diagnostic)", at: keyStart)
            }
            // Under requireDeterministic every key was checked to be in deterministic form,
            // so its input bytes are its deterministic encoding and can be compared directly.
            if limits.requireDeterministic, let previous = previousKey,
               !input[previous].lexicographicallyPrecedes(input[keyStart..<offset]) {
                throw failure(.nonDeterministic, "map key \(key.diagnostic) sorts before the previous key", at: keyStart)
            }
            previousKey = keyStart..<offset
            pairs.append(CBOR.Pair(key: key, value: try item(depth: depth)))
        }
        return pairs
    }

    /// Whether a container is complete: `count` entries read, or, for an indefinite
    /// container (`count` is `nil`), a "break" consumed.
    private mutating func atEnd(count: Int?, done: Int) throws(CBORError) -> Bool {
        if let count { return done == count }
        return try readBreak()
    }

    // MARK: - Limits

    private mutating func countElement(at position: Int) throws(CBORError) {
        elements += 1
        guard elements <= limits.maxElements else {
            throw failure(.elementLimitExceeded, "more than \(limits.maxElements) data items", at: position)
        }
    }

    /// Checks that a container's contents at `depth + 1` stay within the depth limit.
    private func enter(_ depth: Int, start: Int) throws(CBORError) {
        guard depth < min(limits.maxDepth, Limits.depthCeiling) else {
            throw failure(.depthLimitExceeded, "nesting deeper than \(min(limits.maxDepth, Limits.depthCeiling))", at: start)
        }
    }

    /// Converts an array or map count, first checking that the items could fit in the input
    /// (each takes at least one byte) and in the element budget, so a forged count cannot
    /// make us allocate.
    private func checkCount(_ count: UInt64, itemsEach: Int, start: Int) throws(CBORError) -> Int {
        let remaining = input.count - offset
        guard count <= UInt64(remaining / itemsEach) else {
            throw failure(.truncated, "count \(count) needs more than the \(remaining) bytes left", at: start)
        }
        let items = Int(count) * itemsEach
        guard items <= limits.maxElements - elements else {
            throw failure(.elementLimitExceeded, "count \(count) exceeds the limit of \(limits.maxElements) data items", at: start)
        }
        return Int(count)
    }

    // MARK: - Bytes

    private mutating func readByte() throws(CBORError) -> UInt8 {
        guard offset < input.count else {
            throw failure(.truncated, "input ends inside a data item", at: offset)
        }
        defer { offset += 1 }
        return input[offset]
    }

    /// Consumes a "break" (0xFF) if one is next.
    private mutating func readBreak() throws(CBORError) -> Bool {
        guard offset < input.count else {
            throw failure(.truncated, "input ends inside an indefinite-length item", at: offset)
        }
        guard input[offset] == 0xFF else { return false }
        offset += 1
        return true
    }

    private mutating func readUInt(byteCount: Int, start: Int) throws(CBORError) -> UInt64 {
        guard input.count - offset >= byteCount else {
            throw failure(.truncated, "input ends inside a \(byteCount)-byte argument", at: start)
        }
        var value: UInt64 = 0
        for byte in input[offset..<offset + byteCount] {
            value = value << 8 | UInt64(byte)
        }
        offset += byteCount
        return value
    }

    /// Reads the argument of a head whose additional information is `info` (0–30).
    private mutating func readArgument(_ info: UInt8, start: Int) throws(CBORError) -> UInt64 {
        switch info {
        case 0..<24:
            return UInt64(info)
        case 24...27:
            let byteCount = 1 << (info - 24)
            let value = try readUInt(byteCount: byteCount, start: start)
            // RFC 8949 §4.2.1: the shortest head, so each width has a smallest legal value.
            let smallest: UInt64 = switch byteCount {
            case 1: 24
            case 2: 0x100
            case 4: 0x1_0000
            default: 0x1_0000_0000
            }
            if limits.requireDeterministic, value < smallest {
                throw failure(.nonDeterministic, "argument \(value) not in its shortest form", at: start)
            }
            return value
        default:
            throw failure(.invalidAdditionalInfo, "reserved additional information \(info)", at: start)
        }
    }

    /// The next `length` bytes of the input, checking the length against it before anything
    /// is allocated.
    private mutating func take(_ length: UInt64, start: Int) throws(CBORError) -> ArraySlice<UInt8> {
        let remaining = input.count - offset
        guard length <= UInt64(remaining) else {
            throw failure(.truncated, "length \(length) exceeds the \(remaining) bytes left", at: start)
        }
        defer { offset += Int(length) }
        return input[offset..<offset + Int(length)]
    }

    private mutating func readBytes(_ length: UInt64, start: Int) throws(CBORError) -> [UInt8] {
        Array(try take(length, start: start))
    }

    /// Reads a text string straight from the input: no intermediate byte array.
    private mutating func readText(_ length: UInt64, start: Int) throws(CBORError) -> String {
        let bytes = try take(length, start: start)
        // Decoding repairs invalid sequences with U+FFFD, so the bytes survive unchanged
        // exactly when they were valid UTF-8. (String(validating:) needs macOS 15.)
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.utf8.elementsEqual(bytes) else {
            throw failure(.invalidUTF8, "text string is not valid UTF-8", at: start)
        }
        return text
    }

    private func failure(_ code: CBORError.Code, _ what: String, at position: Int, file: String = #fileID, line: UInt = #line) -> CBORError {
        CBORError(code, "at byte offset \(position): \(what)", file: file, line: line)
    }
}
