import ZhucanCBOR

/// The claims of a CBOR Web Token (RFC 8392 §3): the registered claims, and every other claim
/// (Zhucan's private claims, or the EU DCC `hcert` -260) kept as CBOR.
///
/// ```
/// Claims = { ? 1 => tstr,        ; iss
///            ? 2 => tstr,        ; sub
///            ? 3 => tstr,        ; aud
///            ? 4 => NumericDate, ; exp
///            ? 5 => NumericDate, ; nbf
///            ? 6 => NumericDate, ; iat
///            ? 7 => bstr,        ; cti
///            * label => any }    ; other claims
/// NumericDate = int / float      ; seconds since 1970-01-01T00:00:00Z (RFC 8392 §2)
/// ```
package struct CWTClaims: Sendable, Hashable {
    /// RFC 8392 §4 claim keys.
    package enum Key {
        package static let issuer: Int64 = 1
        package static let subject: Int64 = 2
        package static let audience: Int64 = 3
        package static let expiration: Int64 = 4
        package static let notBefore: Int64 = 5
        package static let issuedAt: Int64 = 6
        package static let cwtID: Int64 = 7
    }

    /// `iss`: the issuer.
    package var issuer: String?
    /// `sub`: the subject.
    package var subject: String?
    /// `aud`: the audience.
    package var audience: String?
    /// `exp`: not valid on or after this time (seconds since the epoch).
    package var expiration: Int64?
    /// `nbf`: not valid before this time.
    package var notBefore: Int64?
    /// `iat`: when the token was issued.
    package var issuedAt: Int64?
    /// `cti`: the token's unique id, by which it is revoked, redeemed and logged (never by a
    /// hash of its signature, which ECDSA malleability would let anyone change).
    package var cwtID: [UInt8]?
    /// Every other claim, in key order.
    package var otherClaims: [CBOR.Pair]

    /// Makes a claims set.
    package init(
        issuer: String? = nil, subject: String? = nil, audience: String? = nil,
        expiration: Int64? = nil, notBefore: Int64? = nil, issuedAt: Int64? = nil,
        cwtID: [UInt8]? = nil, otherClaims: [CBOR.Pair] = []
    ) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.expiration = expiration
        self.notBefore = notBefore
        self.issuedAt = issuedAt
        self.cwtID = cwtID
        self.otherClaims = otherClaims
    }

    /// The claim with integer key `key` among `otherClaims`.
    package subscript(claim key: Int64) -> CBOR? {
        otherClaims.first { $0.key == CBOR(key) }?.value
    }

    /// Reads the claims from a CWT payload.
    /// - Throws: `EnvelopeError.malformedClaims` if the payload is not a map, or a registered
    ///   claim has the wrong type.
    package init(_ payload: CBOR) throws(EnvelopeError) {
        guard let pairs = payload.pairs else {
            throw EnvelopeError(.malformedClaims, reason: "the CWT payload is not a CBOR map")
        }
        self.init()
        otherClaims.reserveCapacity(pairs.count)
        for pair in pairs {
            guard let key = pair.key.int, (Key.issuer...Key.cwtID).contains(key) else {
                otherClaims.append(pair)
                continue
            }
            switch key {
            case Key.issuer: issuer = try Self.text(pair, "iss")
            case Key.subject: subject = try Self.text(pair, "sub")
            case Key.audience: audience = try Self.text(pair, "aud")
            case Key.expiration: expiration = try Self.numericDate(pair, "exp")
            // Up, as exp goes down: each bound on the strict side. RFC 8392 §3.1.5 takes nbf
            // from RFC 7519 §4.1.5 (a JWT "MUST NOT be accepted for processing" before it), and
            // a fraction dropped would accept it up to a second early; iat, up, is never taken
            // for earlier than it says (not issued in the future, Docs/format.md §11).
            case Key.notBefore: notBefore = try Self.numericDate(pair, "nbf", rounding: .up)
            case Key.issuedAt: issuedAt = try Self.numericDate(pair, "iat", rounding: .up)
            default:
                guard let bytes = pair.value.bytes else {
                    throw EnvelopeError(.malformedClaims, reason: "cti must be a byte string")
                }
                cwtID = bytes
            }
        }
    }

    /// The claims as a CBOR map (deterministic order is applied when encoded).
    package var cbor: CBOR {
        var pairs: [CBOR.Pair] = []
        func add(_ key: Int64, _ value: CBOR?) {
            if let value { pairs.append(CBOR.Pair(key: CBOR(key), value: value)) }
        }
        add(Key.issuer, issuer.map(CBOR.init))
        add(Key.subject, subject.map(CBOR.init))
        add(Key.audience, audience.map(CBOR.init))
        add(Key.expiration, expiration.map(CBOR.init))
        add(Key.notBefore, notBefore.map(CBOR.init))
        add(Key.issuedAt, issuedAt.map(CBOR.init))
        add(Key.cwtID, cwtID.map(CBOR.init))
        return .map(pairs + otherClaims)
    }

    /// Checks `nbf`, `iat` and `exp` against an explicit validation time.
    ///
    /// - Parameters:
    ///   - time: the validation time, seconds since the epoch; the caller says which clock.
    ///   - skew: tolerated clock difference in seconds, applied in the holder's favour.
    /// - Returns: `nil` when the time is within the validity, else the reason and a detail.
    package func timeFailure(at time: Int64, skew: Int64) -> (reason: VerificationReason, detail: String)? {
        if let notBefore, notBefore > time &+ skew {
            return (.notYetValid, "not valid before \(Timestamp.iso(notBefore)) (nbf); validation time \(Timestamp.iso(time))")
        }
        if let issuedAt, issuedAt > time &+ skew {
            return (.notYetValid, "issued in the future at \(Timestamp.iso(issuedAt)) (iat); validation time \(Timestamp.iso(time))")
        }
        // RFC 8392 §3.1.4: exp is the time "on or after which the CWT MUST NOT be accepted".
        if let expiration, time &- skew >= expiration {
            return (.expired, "expired at \(Timestamp.iso(expiration)) (exp); validation time \(Timestamp.iso(time))")
        }
        return nil
    }

    private static func text(_ pair: CBOR.Pair, _ name: String) throws(EnvelopeError) -> String {
        guard let text = pair.value.text else { throw EnvelopeError(.malformedClaims, reason: "\(name) must be text") }
        return text
    }

    /// RFC 8392 §2 NumericDate: an integer, or a float rounded to whole seconds (down unless
    /// told otherwise).
    private static func numericDate(
        _ pair: CBOR.Pair, _ name: String, rounding: FloatingPointRoundingRule = .down
    ) throws(EnvelopeError) -> Int64 {
        if let int = pair.value.int { return int }
        if let double = pair.value.double, double.isFinite, abs(double) < 9.2e18 { return Int64(double.rounded(rounding)) }
        throw EnvelopeError(.malformedClaims, reason: "\(name) must be a NumericDate (seconds since 1970)")
    }
}
