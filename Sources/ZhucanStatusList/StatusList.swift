// draft-ietf-oauth-status-list §4.1 (Compressed Byte Array): each Referenced Token has an
// index; its status takes `bits` bits, and the blocks are packed into bytes from the least
// significant bit to the most significant one; bytes follow their natural order. With
// bits = 2:
//
//   byte 0 = s3 s2 s1 s0   (s0 in bits 1–0)      byte 1 = s7 s6 s5 s4   ...
//
// §11.1: bits are indexed LSB-first, bytes in increasing order; endianness does not apply,
// because a status never spans two bytes.

/// A Token Status List (draft-ietf-oauth-status-list §4): one status of `bits` bits for each
/// index, held as the uncompressed byte array.
///
/// The number of entries is implied by the byte array: `bytes.count * 8 / bits` (§4.1 step 2
/// allows the array to be longer than the number of tokens, and the CBOR and JSON forms carry
/// no count). Entries nobody set are 0, VALID (§13.3).
package struct StatusList: Sendable, Hashable {
    /// The bits per status: 1, 2, 4 or 8 (§4.1 step 1).
    package let bits: Int

    /// The uncompressed byte array of §4.1, LSB-first within each byte.
    package private(set) var bytes: [UInt8]

    /// §4.3 `aggregation_uri`: where to find the Status List Aggregation (§9), if any.
    package var aggregationURI: String?

    /// The bit widths §4.1 step 1 allows.
    package static let allowedBits: Set<Int> = [1, 2, 4, 8]

    /// The most entries a decoder accepts by default: 2^24, that is 16 MiB inflated at 8 bits
    /// and 2 MiB at 1 bit (the draft's own examples hold 2^20).
    package static let defaultMaxEntries = 1 << 24

    /// The number of statuses: `bytes.count * 8 / bits`.
    package var count: Int { bytes.count * (8 / bits) }

    /// The largest status value a list of `bits` bits can hold: 2^bits − 1.
    package var maxValue: UInt8 { UInt8(truncatingIfNeeded: (1 << bits) - 1) }

    /// Makes a list of `count` statuses, all 0 (VALID).
    ///
    /// The byte array is rounded up to whole bytes, so ``count`` may come out a little larger
    /// than asked (§13.4 recommends sizes whose bit length is a multiple of 8).
    /// - Throws: ``StatusListError/Code/invalidBits``, or ``StatusListError/Code/invalidCount``
    ///   for a negative count or one whose byte size overflows.
    package init(bits: Int, count: Int, aggregationURI: String? = nil) throws(StatusListError) {
        try Self.check(bits: bits)
        guard count >= 0 else {
            throw StatusListError(.invalidCount, reason: "a status list cannot have \(count) entries")
        }
        let byteCount = try Self.byteCount(entries: count, bits: bits)
        self.bits = bits
        self.bytes = [UInt8](repeating: 0, count: byteCount)
        self.aggregationURI = aggregationURI
    }

    /// Makes a list from an uncompressed byte array (§4.1 step 3 output).
    /// - Throws: ``StatusListError/Code/invalidBits``.
    package init(bits: Int, bytes: [UInt8], aggregationURI: String? = nil) throws(StatusListError) {
        try Self.check(bits: bits)
        self.bits = bits
        self.bytes = bytes
        self.aggregationURI = aggregationURI
    }

    /// The status at `index`.
    /// - Throws: ``StatusListError/Code/indexOutOfRange`` when `index` is negative or not below
    ///   ``count`` (§8.3 step 6: the Referenced Token must then be rejected).
    package subscript(index: Int) -> UInt8 {
        get throws(StatusListError) {
            let (byte, shift) = try position(of: index)
            return (bytes[byte] >> shift) & maxValue
        }
    }

    /// Sets the status at `index` to `value`.
    /// - Throws: ``StatusListError/Code/indexOutOfRange``, or
    ///   ``StatusListError/Code/valueTooLarge`` when `value` does not fit in ``bits`` bits.
    package mutating func set(_ value: UInt8, at index: Int) throws(StatusListError) {
        guard value <= maxValue else {
            throw StatusListError(.valueTooLarge, reason: "status \(value) does not fit in \(bits) bit(s); the largest is \(maxValue)")
        }
        let (byte, shift) = try position(of: index)
        bytes[byte] = bytes[byte] & ~(maxValue << shift) | value << shift
    }

    /// The byte holding `index` and the shift of its lowest bit there (§4.1 step 3).
    private func position(of index: Int) throws(StatusListError) -> (byte: Int, shift: Int) {
        guard index >= 0, index < count else {
            throw StatusListError(.indexOutOfRange, reason: "index \(index) is outside the list of \(count) entries")
        }
        let perByte = 8 / bits
        return (index / perByte, (index % perByte) * bits)
    }

    static func check(bits: Int) throws(StatusListError) {
        guard allowedBits.contains(bits) else {
            throw StatusListError(.invalidBits, reason: "bits is \(bits); §4.1 allows only 1, 2, 4 or 8")
        }
    }

    /// The bytes that hold `entries` statuses of `bits` bits, rounded up, without overflow.
    static func byteCount(entries: Int, bits: Int) throws(StatusListError) -> Int {
        let (totalBits, overflow) = max(0, entries).multipliedReportingOverflow(by: bits)
        guard !overflow else {
            throw StatusListError(.invalidCount, reason: "\(entries) entries of \(bits) bits do not fit in memory")
        }
        return totalBits / 8 + (totalBits % 8 == 0 ? 0 : 1)
    }
}
