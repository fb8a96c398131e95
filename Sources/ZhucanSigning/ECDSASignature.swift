/// Conversion between the raw r‖s form and the DER form of an ECDSA or SM2 signature.
///
/// ```
/// Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }   -- RFC 3279 §2.2.3
/// ```
///
/// Both directions are strict: DER must be the one canonical encoding (X.690 §10: definite
/// minimal lengths, minimal positive integers), because OpenSSL's own parser is lenient and a
/// second encoding of the same signature is a malleability hazard.
public enum ECDSASignature {
    /// The byte length of r and of s for the 256-bit curves Zhucan uses (P-256, SM2).
    public static let coordinateLength = 32

    /// Converts raw r‖s (exactly 64 bytes) to DER.
    /// - Throws: `SigningError.malformedSignature` if `raw` is not exactly 64 bytes.
    public static func der(fromRaw raw: [UInt8]) throws -> [UInt8] {
        guard raw.count == 2 * coordinateLength else {
            throw SigningError(.malformedSignature, "a raw signature must be exactly 64 bytes, not \(raw.count)")
        }
        let r = derInteger(raw[0..<coordinateLength])
        let s = derInteger(raw[coordinateLength...])
        let body = r + s
        // The body is at most 2 × 35 bytes, so the short length form always applies.
        return [0x30, UInt8(body.count)] + body
    }

    /// Converts a DER signature to raw r‖s (64 bytes).
    /// - Throws: `SigningError.malformedSignature` for anything but one canonical DER
    ///   `SEQUENCE { INTEGER, INTEGER }` with positive values of at most 32 bytes and nothing after it.
    public static func raw(fromDER der: [UInt8]) throws -> [UInt8] {
        try der.withUnsafeBytes { try raw(fromDER: $0) }
    }

    /// Converts the DER signature in `der` to raw r‖s (64 bytes), reading the DER in place:
    /// one allocation, the result's.
    /// - Throws: as `raw(fromDER:)` for an array.
    static func raw(fromDER der: UnsafeRawBufferPointer) throws -> [UInt8] {
        var reader = Reader(bytes: der)
        guard var sequence = reader.read(tag: 0x30), reader.isAtEnd else {
            throw SigningError(.malformedSignature, "not a DER SEQUENCE with nothing after it")
        }
        guard let r = sequence.readPositiveInteger(), let s = sequence.readPositiveInteger(), sequence.isAtEnd else {
            throw SigningError(.malformedSignature, "not two canonical positive DER INTEGERs of at most 32 bytes")
        }
        return [UInt8](unsafeUninitializedCapacity: 2 * coordinateLength) { raw, initializedCount in
            let output = UnsafeMutableRawBufferPointer(raw)
            write(r, leftPaddedInto: UnsafeMutableRawBufferPointer(rebasing: output[..<coordinateLength]))
            write(s, leftPaddedInto: UnsafeMutableRawBufferPointer(rebasing: output[coordinateLength...]))
            initializedCount = 2 * coordinateLength
        }
    }

    /// A minimal positive DER INTEGER for the unsigned big-endian `magnitude`.
    private static func derInteger(_ magnitude: ArraySlice<UInt8>) -> [UInt8] {
        var value = Array(magnitude.drop { $0 == 0 })
        if value.isEmpty { value = [0] }
        if value[0] & 0x80 != 0 { value.insert(0, at: 0) }
        return [0x02, UInt8(value.count)] + value
    }

    /// Writes `magnitude` (at most `output.count` bytes) right-aligned into `output`, zeros before it.
    private static func write(_ magnitude: UnsafeRawBufferPointer, leftPaddedInto output: UnsafeMutableRawBufferPointer) {
        let padding = output.count - magnitude.count
        UnsafeMutableRawBufferPointer(rebasing: output[..<padding]).initializeMemory(as: UInt8.self, repeating: 0)
        UnsafeMutableRawBufferPointer(rebasing: output[padding...]).copyMemory(from: magnitude)
    }

    /// A reader of the few DER shapes a signature uses (short definite lengths only: a
    /// 64-byte signature's DER never needs the long form), over borrowed bytes.
    private struct Reader {
        var bytes: UnsafeRawBufferPointer

        var isAtEnd: Bool { bytes.isEmpty }

        /// Reads one element with `tag` and a short-form length; returns its contents.
        mutating func read(tag: UInt8) -> Reader? {
            guard bytes.count >= 2, bytes[0] == tag else { return nil }
            let length = Int(bytes[1])
            guard length < 0x80, bytes.count - 2 >= length else { return nil }
            defer { bytes = UnsafeRawBufferPointer(rebasing: bytes[(2 + length)...]) }
            return Reader(bytes: UnsafeRawBufferPointer(rebasing: bytes[2..<(2 + length)]))
        }

        /// Reads a canonical positive INTEGER of at most 32 magnitude bytes; returns the magnitude.
        mutating func readPositiveInteger() -> UnsafeRawBufferPointer? {
            guard let integer = read(tag: 0x02)?.bytes, let first = integer.first else { return nil }
            // X.690 §8.3.2: no redundant leading 0x00 / 0xFF; a set top bit means negative.
            if first & 0x80 != 0 { return nil }
            var magnitude = integer
            if first == 0 {
                guard integer.count > 1, integer[1] & 0x80 != 0 else {
                    // A lone 0 is canonical but r = 0 or s = 0 is never a valid signature.
                    return nil
                }
                magnitude = UnsafeRawBufferPointer(rebasing: integer[1...])
            }
            guard magnitude.count <= ECDSASignature.coordinateLength else { return nil }
            return magnitude
        }
    }
}
