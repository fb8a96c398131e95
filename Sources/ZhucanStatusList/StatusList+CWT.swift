import ZhucanCBOR
import ZhucanEnvelope

extension StatusList {
    /// The CWT claims of a Status List Token carrying this list (draft-ietf-oauth-status-list
    /// §5.2): `2` sub, `6` iat, `4` exp, `65534` ttl, `65533` status_list.
    ///
    /// - Parameters:
    ///   - uri: the token's URI; Referenced Tokens name it in their `status_list` `uri`.
    ///   - issuedAt: `iat`, seconds since the epoch (REQUIRED).
    ///   - expiration: `exp` (RECOMMENDED).
    ///   - ttl: seconds a consumer may cache the token (RECOMMENDED).
    ///   - issuer: `iss`, which the draft allows as one of "other claims".
    /// - Precondition: `ttl` is not 0 (§5.2: "MUST be a positive number").
    package func claims(
        uri: String,
        issuedAt: Int64,
        expiration: Int64? = nil,
        ttl: UInt64? = nil,
        issuer: String? = nil
    ) -> CWTClaims {
        precondition(ttl != 0, "draft-ietf-oauth-status-list §5.2: ttl must be positive")
        var other = [CBOR.Pair]()
        if let ttl {
            other.append(CBOR.Pair(key: CBOR(StatusListClaimKey.timeToLive), value: .unsigned(ttl)))
        }
        other.append(CBOR.Pair(key: CBOR(StatusListClaimKey.statusList), value: cbor))
        return CWTClaims(
            issuer: issuer, subject: uri, expiration: expiration, issuedAt: issuedAt, otherClaims: other
        )
    }
}
