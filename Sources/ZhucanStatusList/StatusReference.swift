import ZhucanCBOR
import ZhucanEnvelope

// draft-ietf-oauth-status-list §6.3, in a Referenced Token's CWT claims:
//
//   65535 => Status            ; the status claim
//   Status = { "status_list" => StatusListInfo, * tstr => any }   ; other mechanisms may appear
//   StatusListInfo = { "idx" => uint, "uri" => tstr, * tstr => any }

/// Where a Referenced Token's status lives: an index into the Status List Token at a URI
/// (draft-ietf-oauth-status-list §6.3, the `status_list` entry of the `status` claim).
package struct StatusReference: Sendable, Hashable {
    /// The map keys of the `Status` and `StatusListInfo` structures (§6.3).
    package enum CBORKey {
        /// `status_list`: the entry of the `Status` map for this mechanism.
        package static let statusList = "status_list"
        /// `idx`: uint, the index in the list.
        package static let index = "idx"
        /// `uri`: tstr, the Status List Token's URI.
        package static let uri = "uri"
    }

    /// `idx`: the token's index in the list; never negative.
    package let index: Int
    /// `uri`: the URI of the Status List Token (its `sub`).
    package var uri: String

    /// Makes a reference.
    /// - Throws: ``StatusListError/Code/indexOutOfRange`` for a negative index.
    package init(index: Int, uri: String) throws(StatusListError) {
        guard index >= 0 else {
            throw StatusListError(.indexOutOfRange, reason: "a status list index cannot be negative (\(index))")
        }
        self.index = index
        self.uri = uri
    }

    /// The `Status` map (§6.3): `{ "status_list": { "idx": uint, "uri": tstr } }`.
    package var cbor: CBOR {
        .map([
            CBOR.Pair(key: .text(CBORKey.statusList), value: .map([
                CBOR.Pair(key: .text(CBORKey.index), value: .unsigned(UInt64(index))),
                CBOR.Pair(key: .text(CBORKey.uri), value: .text(uri)),
            ])),
        ])
    }

    /// The `status` claim (65535) to add to a Referenced Token's `otherClaims`.
    package var claim: CBOR.Pair {
        CBOR.Pair(key: CBOR(StatusListClaimKey.status), value: cbor)
    }

    /// Reads the `Status` map (§6.3); other status mechanisms and unknown members are ignored.
    /// - Throws: ``StatusListError/Code/malformedReference`` when `status_list` is missing or
    ///   `idx` is not an unsigned integer (or too large for this platform) or `uri` not text.
    package init(cbor: CBOR) throws(StatusListError) {
        guard cbor.pairs != nil else {
            throw StatusListError(.malformedReference, reason: "the status claim must be a map (§6.3)")
        }
        guard let info = cbor[text: CBORKey.statusList], info.pairs != nil else {
            throw StatusListError(.malformedReference, reason: "the status claim has no status_list map (§6.3)")
        }
        // §6.3: idx is "Unsigned integer (major type 0)".
        guard let rawIndex = info[text: CBORKey.index]?.uint else {
            throw StatusListError(.malformedReference, reason: "status_list.idx must be an unsigned integer")
        }
        guard let index = Int(exactly: rawIndex) else {
            throw StatusListError(.malformedReference, reason: "status_list.idx \(rawIndex) is too large")
        }
        guard let uri = info[text: CBORKey.uri]?.text else {
            throw StatusListError(.malformedReference, reason: "status_list.uri must be a text string")
        }
        self.index = index
        self.uri = uri
    }

    /// Reads the `status` claim (65535) of a Referenced Token's claims (§6.3).
    /// - Throws: ``StatusListError/Code/malformedReference`` when the claim is missing or wrong.
    package init(claims: CWTClaims) throws(StatusListError) {
        guard let status = claims[claim: StatusListClaimKey.status] else {
            throw StatusListError(.malformedReference, reason: "the token has no status claim (65535)")
        }
        try self.init(cbor: status)
    }
}
