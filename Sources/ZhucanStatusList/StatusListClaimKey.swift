/// The CWT claim keys of draft-ietf-oauth-status-list (requested assignments, §14.3 "CBOR Web
/// Token Claims Registration"; IANA has not yet assigned them, so they may still change).
package enum StatusListClaimKey {
    /// `status` (65535): in a Referenced Token, the `Status` map holding `status_list`
    /// (§6.3 "Referenced Token in COSE").
    package static let status: Int64 = 65535

    /// `ttl` (65534): in a Status List Token, the most seconds a consumer may cache it
    /// (§5.2 "Status List Token in CWT Format"); a positive unsigned integer.
    package static let timeToLive: Int64 = 65534

    /// `status_list` (65533): in a Status List Token, the `StatusList` structure of §4.3
    /// (§5.2).
    package static let statusList: Int64 = 65533
}
