/// Base45 encoding (RFC 9285), the QR-alphanumeric text form of the compressed envelope.
///
/// Both directions work on raw UTF-8 bytes with lookup tables; no `String.Index` walking.
package enum Base45 {
    /// RFC 9285 §4: the 45 characters, in value order 0…44. All are in the QR alphanumeric set
    /// (ISO/IEC 18004 §7.4.4), which is why the envelope uses base45 at all.
    private static let alphabet: [UInt8] = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".utf8)

    /// Maps a UTF-8 byte to its base45 value, or `invalid` for every byte outside the alphabet
    /// (including lower-case letters: RFC 9285 §4 has no case folding).
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: invalid, count: 256)
        for (value, character) in alphabet.enumerated() {
            table[Int(character)] = UInt8(value)
        }
        return table
    }()

    private static let invalid: UInt8 = 0xFF

    /// Encodes bytes as base45 text.
    ///
    /// RFC 9285 §4: each pair of bytes `[a, b]` becomes `n = a·256 + b` written as three
    /// characters `c d e` with `n = c + d·45 + e·45²`; a final odd byte becomes two characters.
    /// - Parameter bytes: the bytes to encode.
    /// - Returns: the base45 text, `3·⌊n/2⌋ + 2·(n mod 2)` characters long.
    package static func encode(_ bytes: some Collection<UInt8>) -> String {
        if let encoded = bytes.withContiguousStorageIfAvailable({ encode(buffer: $0) }) {
            return encoded
        }
        return Array(bytes).withUnsafeBufferPointer { encode(buffer: $0) }
    }

    /// The length of the base45 text of `byteCount` bytes: `3·⌊n/2⌋ + 2·(n mod 2)`.
    package static func encodedLength(_ byteCount: Int) -> Int {
        byteCount / 2 * 3 + byteCount % 2 * 2
    }

    private static func encode(buffer input: UnsafeBufferPointer<UInt8>) -> String {
        let outputCount = encodedLength(input.count)
        return alphabet.withUnsafeBufferPointer { alphabet in
            String(unsafeUninitializedCapacity: outputCount) { output in
                var read = 0
                var written = 0
                while read + 1 < input.count {
                    var n = Int(input[read]) << 8 | Int(input[read + 1])
                    output[written] = alphabet[n % 45]
                    n /= 45
                    output[written + 1] = alphabet[n % 45]
                    output[written + 2] = alphabet[n / 45]
                    read += 2
                    written += 3
                }
                if read < input.count {
                    let n = Int(input[read])
                    output[written] = alphabet[n % 45]
                    output[written + 1] = alphabet[n / 45]
                    written += 2
                }
                return written
            }
        }
    }

    /// Decodes base45 text to bytes.
    ///
    /// - Parameter string: base45 text; only the 45 alphabet characters are accepted (no
    ///   lower case, no whitespace trimming).
    /// - Returns: the decoded bytes.
    /// - Throws: ``EnvelopeError/Code/malformedBase45`` for a character outside the alphabet,
    ///   a dangling single character, or a group whose value overflows (RFC 9285 §4: a
    ///   triplet above 65535 or a pair above 255). The reason names the offset.
    package static func decode(_ string: String) throws(EnvelopeError) -> [UInt8] {
        var string = string
        // Native Swift strings are contiguous UTF-8; bridged ones are made so once, here.
        // `withUTF8` rethrows untyped errors, so the typed result is carried out in a `Result`.
        let result = string.withUTF8 { input in
            Result { () throws(EnvelopeError) in try decode(buffer: input) }
        }
        return try result.get()
    }

    private static func decode(buffer input: UnsafeBufferPointer<UInt8>) throws(EnvelopeError) -> [UInt8] {
        // RFC 9285 §4: input length mod 3 is 0 or 2; a remainder of 1 cannot come from any bytes.
        if input.count % 3 == 1 {
            throw EnvelopeError(
                .malformedBase45,
                reason: "dangling single character at offset \(input.count - 1): base45 length \(input.count) leaves a remainder of 1 mod 3"
            )
        }
        let outputCount = input.count / 3 * 2 + (input.count % 3 == 2 ? 1 : 0)
        return try values.withUnsafeBufferPointer { values throws(EnvelopeError) in
            // `Array(unsafeUninitializedCapacity:)` cannot throw a typed error, so the first
            // failure is kept and thrown after the buffer is closed.
            var failure: EnvelopeError?
            let output = [UInt8](unsafeUninitializedCapacity: outputCount) { output, initializedCount in
                func value(at offset: Int) -> Int? {
                    let v = values[Int(input[offset])]
                    guard v != invalid else {
                        failure = EnvelopeError(
                            .malformedBase45,
                            reason: "byte 0x\(String(input[offset], radix: 16)) at offset \(offset) is outside the base45 alphabet"
                        )
                        return nil
                    }
                    return Int(v)
                }
                var read = 0
                var written = 0
                defer { initializedCount = written }
                while read + 2 < input.count {
                    guard let c = value(at: read), let d = value(at: read + 1), let e = value(at: read + 2) else {
                        return
                    }
                    let n = c + d * 45 + e * 2025
                    guard n <= 0xFFFF else {
                        failure = EnvelopeError(
                            .malformedBase45,
                            reason: "triplet at offset \(read) has value \(n), above 65535"
                        )
                        return
                    }
                    output[written] = UInt8(truncatingIfNeeded: n >> 8)
                    output[written + 1] = UInt8(truncatingIfNeeded: n)
                    read += 3
                    written += 2
                }
                if read < input.count {
                    guard let c = value(at: read), let d = value(at: read + 1) else { return }
                    let n = c + d * 45
                    guard n <= 0xFF else {
                        failure = EnvelopeError(
                            .malformedBase45,
                            reason: "final pair at offset \(read) has value \(n), above 255"
                        )
                        return
                    }
                    output[written] = UInt8(truncatingIfNeeded: n)
                    written += 1
                }
            }
            if let failure { throw failure }
            return output
        }
    }
}
