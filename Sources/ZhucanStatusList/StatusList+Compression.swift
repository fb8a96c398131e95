import ZhucanEnvelope

extension StatusList {
    /// The `lst` value: the byte array compressed with DEFLATE in the zlib format (§4.1 step 4,
    /// RFC 1950 around RFC 1951), at level 9 as the draft recommends ("the highest compression
    /// level available").
    package func compressed() -> [UInt8] {
        Zlib.compress(bytes, level: 9)
    }

    /// Reads a list from its `bits` and compressed `lst`, inflating no more than `maxEntries`
    /// entries' worth of bytes.
    ///
    /// The entry count is implied by the inflated length (§4.1): `bytes * 8 / bits`.
    /// - Parameters:
    ///   - bits: 1, 2, 4 or 8.
    ///   - lst: one zlib stream (RFC 1950), nothing before or after it.
    ///   - maxEntries: the most entries accepted (rounded up to whole bytes); the inflater
    ///     stops as soon as the output passes that size, so a zip bomb costs nothing.
    /// - Throws: ``StatusListError/Code/invalidBits``,
    ///   ``StatusListError/Code/decompressionLimitExceeded``, or
    ///   ``StatusListError/Code/malformedCompression`` for a corrupt, truncated or trailing-byte
    ///   stream.
    package init(
        bits: Int,
        compressed lst: [UInt8],
        maxEntries: Int = StatusList.defaultMaxEntries,
        aggregationURI: String? = nil
    ) throws(StatusListError) {
        try Self.check(bits: bits)
        let maxBytes = try Self.byteCount(entries: maxEntries, bits: bits)
        let inflated: [UInt8]
        do {
            inflated = try Zlib.decompress(lst, maxOutput: maxBytes)
        } catch where error.code == .decompressionLimitExceeded {
            throw StatusListError(
                .decompressionLimitExceeded,
                reason: "lst inflates past \(maxBytes) bytes (\(maxEntries) entries of \(bits) bits)"
            )
        } catch {
            throw StatusListError(.malformedCompression, reason: "lst is not a valid zlib stream: \(error.reason)")
        }
        try self.init(bits: bits, bytes: inflated, aggregationURI: aggregationURI)
    }
}
