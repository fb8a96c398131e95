import ZhucanCBOR

// draft-ietf-oauth-status-list §4.3:
//
//   StatusList = {
//       bits: 1 / 2 / 4 / 8,     ; uint (major type 0)
//       lst: bstr,               ; the compressed byte array of §4.1
//       ? aggregation_uri: tstr  ; link to the Status List Aggregation (§9)
//   }

extension StatusList {
    /// The map keys of the CBOR `StatusList` structure (§4.3).
    package enum CBORKey {
        /// `bits`: uint, the bits per status.
        package static let bits = "bits"
        /// `lst`: bstr, the compressed byte array.
        package static let list = "lst"
        /// `aggregation_uri`: tstr, optional.
        package static let aggregationURI = "aggregation_uri"
    }

    /// The CBOR `StatusList` structure (§4.3), with `lst` compressed at level 9.
    package var cbor: CBOR {
        var pairs = [
            CBOR.Pair(key: .text(CBORKey.bits), value: .unsigned(UInt64(bits))),
            CBOR.Pair(key: .text(CBORKey.list), value: .bytes(compressed())),
        ]
        if let aggregationURI {
            pairs.append(CBOR.Pair(key: .text(CBORKey.aggregationURI), value: .text(aggregationURI)))
        }
        return .map(pairs)
    }

    /// Reads the CBOR `StatusList` structure (§4.3).
    ///
    /// Entries with other keys are ignored, so that a later revision of the draft adding
    /// members does not break readers (the JSON form of §4.2 is read the same way).
    /// - Parameters:
    ///   - cbor: the `StatusList` map.
    ///   - maxEntries: the most entries accepted; see ``init(bits:compressed:maxEntries:aggregationURI:)``.
    /// - Throws: ``StatusListError/Code/malformedStatusList`` for a wrong structure or types,
    ///   ``StatusListError/Code/invalidBits``, and the errors of inflating `lst`.
    package init(cbor: CBOR, maxEntries: Int = StatusList.defaultMaxEntries) throws(StatusListError) {
        guard cbor.pairs != nil else {
            throw StatusListError(.malformedStatusList, reason: "a StatusList is a CBOR map (§4.3)")
        }
        // §4.3: bits is "CBOR Unsigned integer (major type 0)".
        guard let bitsValue = cbor[text: CBORKey.bits] else {
            throw StatusListError(.malformedStatusList, reason: "the StatusList has no bits")
        }
        guard let bits = bitsValue.uint else {
            throw StatusListError(.malformedStatusList, reason: "bits must be an unsigned integer")
        }
        guard bits <= 8 else {
            throw StatusListError(.invalidBits, reason: "bits is \(bits); §4.1 allows only 1, 2, 4 or 8")
        }
        guard let lstValue = cbor[text: CBORKey.list] else {
            throw StatusListError(.malformedStatusList, reason: "the StatusList has no lst")
        }
        guard let lst = lstValue.bytes else {
            throw StatusListError(.malformedStatusList, reason: "lst must be a byte string")
        }
        var aggregationURI: String?
        if let value = cbor[text: CBORKey.aggregationURI] {
            guard let text = value.text else {
                throw StatusListError(.malformedStatusList, reason: "aggregation_uri must be a text string")
            }
            aggregationURI = text
        }
        try self.init(bits: Int(bits), compressed: lst, maxEntries: maxEntries, aggregationURI: aggregationURI)
    }

    /// Decodes an encoded CBOR `StatusList` structure (§4.3).
    /// - Parameters:
    ///   - bytes: exactly one CBOR data item.
    ///   - maxEntries: the most entries accepted.
    /// - Throws: ``StatusListError/Code/malformedStatusList`` if `bytes` is not well-formed
    ///   CBOR, and the errors of ``init(cbor:maxEntries:)``.
    package init(decoding bytes: [UInt8], maxEntries: Int = StatusList.defaultMaxEntries) throws(StatusListError) {
        let item: CBOR
        do {
            // A StatusList is a flat map: depth 1 is all it needs.
            item = try CBORDecoder.decode(bytes, limits: .init(maxDepth: 2, maxElements: 64, maxBytes: 16 << 20))
        } catch {
            throw StatusListError(.malformedStatusList, reason: "not one well-formed CBOR item: \(error.reason)")
        }
        try self.init(cbor: item, maxEntries: maxEntries)
    }
}
