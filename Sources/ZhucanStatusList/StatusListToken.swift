import ZhucanCBOR
import ZhucanEnvelope
import ZhucanSigning

/// A Status List Token in CWT form (draft-ietf-oauth-status-list §5.2): a signed CWT whose
/// claims name the list's URI, when it was issued, how long it is good for, and the list.
///
/// ```
/// COSE_Sign1_Tagged (18), never inside the CWT tag 61; protected 16 (typ) = "application/statuslist+cwt"
/// claims = { 2: tstr,             ; sub: the URI of this token (REQUIRED)
///            6: NumericDate,      ; iat (REQUIRED)
///            ? 4: NumericDate,    ; exp (RECOMMENDED)
///            ? 65534: uint,       ; ttl, seconds, positive (RECOMMENDED)
///            65533: StatusList,   ; status_list, §4.3 (REQUIRED)
///            * label => any }     ; other claims allowed
/// ```
///
/// On the wire it is the binary COSE message (§8.2), not Zhucan's `ZC1:` text envelope.
package struct StatusListToken: Sendable, Hashable {
    /// The COSE `typ` (RFC 9596) and HTTP media type of a CWT Status List Token (§5.2, §8.1).
    package static let mediaType = "application/statuslist+cwt"

    /// `sub` (2): the URI of this Status List Token.
    package var uri: String
    /// `iat` (6): when the token was issued, seconds since the epoch.
    package var issuedAt: Int64
    /// `exp` (4): not to be used on or after this time.
    package var expiration: Int64?
    /// `ttl` (65534): the most seconds a consumer may cache the token; positive.
    package private(set) var timeToLive: UInt64?
    /// `iss` (1), if present.
    package var issuer: String?
    /// `status_list` (65533).
    package var statusList: StatusList

    /// Makes a token's content.
    /// - Throws: ``StatusListError/Code/invalidTimeToLive`` when `timeToLive` is 0.
    package init(
        statusList: StatusList,
        uri: String,
        issuedAt: Int64,
        expiration: Int64? = nil,
        timeToLive: UInt64? = nil,
        issuer: String? = nil
    ) throws(StatusListError) {
        guard timeToLive != 0 else {
            throw StatusListError(.invalidTimeToLive, reason: "ttl must be a positive number of seconds (§5.2)")
        }
        self.statusList = statusList
        self.uri = uri
        self.issuedAt = issuedAt
        self.expiration = expiration
        self.timeToLive = timeToLive
        self.issuer = issuer
    }

    /// The CWT claims (§5.2); see ``StatusList/claims(uri:issuedAt:expiration:ttl:issuer:)``.
    package var claims: CWTClaims {
        statusList.claims(uri: uri, issuedAt: issuedAt, expiration: expiration, ttl: timeToLive, issuer: issuer)
    }

    /// Reads a token's claims (§5.2).
    /// - Parameters:
    ///   - claims: the CWT claims set.
    ///   - maxEntries: the most list entries accepted (bounds the inflated `lst`).
    /// - Throws: ``StatusListError/Code/malformedToken`` when `sub`, `iat` or `status_list` is
    ///   missing or `ttl` is not an unsigned integer, ``StatusListError/Code/invalidTimeToLive``
    ///   for a `ttl` of 0, and the errors of ``StatusList/init(cbor:maxEntries:)``.
    package init(claims: CWTClaims, maxEntries: Int = StatusList.defaultMaxEntries) throws(StatusListError) {
        guard let uri = claims.subject else {
            throw StatusListError(.malformedToken, reason: "a Status List Token needs sub (2), its URI (§5.2)")
        }
        guard let issuedAt = claims.issuedAt else {
            throw StatusListError(.malformedToken, reason: "a Status List Token needs iat (6) (§5.2)")
        }
        var timeToLive: UInt64?
        if let value = claims[claim: StatusListClaimKey.timeToLive] {
            // §5.2: "Unsigned integer (major type 0)" and "MUST be a positive number".
            guard let seconds = value.uint else {
                throw StatusListError(.malformedToken, reason: "ttl (65534) must be an unsigned integer")
            }
            timeToLive = seconds
        }
        guard let list = claims[claim: StatusListClaimKey.statusList] else {
            throw StatusListError(.malformedToken, reason: "a Status List Token needs status_list (65533) (§5.2)")
        }
        try self.init(
            statusList: StatusList(cbor: list, maxEntries: maxEntries),
            uri: uri,
            issuedAt: issuedAt,
            expiration: claims.expiration,
            timeToLive: timeToLive,
            issuer: claims.issuer
        )
    }

    /// Reads a token from a COSE_Sign1 without checking its signature: only for a message whose
    /// signature the caller has already verified, or for inspection.
    ///
    /// §5.2: the message must be COSE_Sign1_Tagged (18) and not inside the CWT tag (61), and its
    /// protected `typ` (16) must be `application/statuslist+cwt`.
    /// - Throws: ``StatusListError/Code/malformedToken`` and the errors of
    ///   ``init(claims:maxEntries:)``.
    package init(unverified cose: CoseSign1, maxEntries: Int = StatusList.defaultMaxEntries) throws(StatusListError) {
        guard cose.tags == [CoseSign1.tag] else {
            throw StatusListError(
                .malformedToken,
                reason: "a Status List Token must be COSE_Sign1_Tagged (18) without the CWT tag; tags are \(cose.tags)"
            )
        }
        // The registered CoAP Content-Format number is also allowed, but not yet assigned (§14.8).
        guard cose.type == Self.mediaType else {
            throw StatusListError(
                .malformedToken,
                reason: "the protected typ is \(cose.type.map { "\"\($0)\"" } ?? "missing"), not \"\(Self.mediaType)\""
            )
        }
        let payload: CBOR
        do {
            // A claims map holding a flat StatusList map: little nesting, few items.
            payload = try CBORDecoder.decode(cose.payload, limits: .init(maxDepth: 8, maxElements: 4096, maxBytes: 16 << 20))
        } catch {
            throw StatusListError(.malformedToken, reason: "the payload is not one CBOR item: \(error.reason)")
        }
        let claims: CWTClaims
        do {
            claims = try CWTClaims(payload)
        } catch {
            throw StatusListError(.malformedToken, reason: error.reason)
        }
        try self.init(claims: claims, maxEntries: maxEntries)
    }

    /// Verifies a token's signature with `key` (§8.3 step 3a), then reads it as
    /// ``init(unverified:maxEntries:)`` does. Expiry is the caller's check: ``isExpired(at:)``.
    /// - Throws: ``StatusListError/Code/badSignature`` first, then the reading errors.
    package init(verifying cose: CoseSign1, key: PublicKey, maxEntries: Int = StatusList.defaultMaxEntries) throws(StatusListError) {
        guard cose.isValidSignature(with: key) else {
            throw StatusListError(.badSignature, reason: "the Status List Token's signature does not verify with key \(key.keyID)")
        }
        try self.init(unverified: cose, maxEntries: maxEntries)
    }

    /// Signs the claims with `key`: COSE_Sign1 tagged 18, protected `alg`, `kid` and `typ`
    /// `application/statuslist+cwt`. Send `encoded(tagged: true)` of the result.
    /// - Throws: ``StatusListError/Code/signingFailed`` if the signing layer fails.
    package func signed(with key: PrivateKey) throws(StatusListError) -> CoseSign1 {
        do {
            return try CoseSign1.sign(payload: claims.cbor.encoded(), type: Self.mediaType, key: key)
        } catch {
            throw StatusListError(.signingFailed, reason: "\(error.reason)")
        }
    }

    /// Whether the token has expired at `time` (RFC 8392 §3.1.4: on or after `exp`).
    package func isExpired(at time: Int64) -> Bool {
        expiration.map { time >= $0 } ?? false
    }

    /// The status of a Referenced Token (§8.3 steps 4a and 6).
    /// - Throws: ``StatusListError/Code/uriMismatch`` when the reference names another list,
    ///   ``StatusListError/Code/indexOutOfRange`` when its index is beyond this one.
    package func status(of reference: StatusReference) throws(StatusListError) -> UInt8 {
        guard reference.uri.utf8.elementsEqual(uri.utf8) else {
            throw StatusListError(.uriMismatch, reason: "the reference names \(reference.uri), this token is \(uri)")
        }
        return try statusList[reference.index]
    }
}
