import Testing
import ZhucanCBOR
import ZhucanEnvelope
import ZhucanSigning

@Suite("CWT claims")
struct CWTClaimsTests {
    typealias Fixture = CoseFixture

    static let t: Int64 = 1_800_000_000

    @Test("exp: valid one second before, expired exactly at exp (RFC 8392 §3.1.4)")
    func expirationBoundary() {
        let claims = CWTClaims(expiration: Self.t)
        #expect(claims.timeFailure(at: Self.t - 1, skew: 0) == nil)
        #expect(claims.timeFailure(at: Self.t, skew: 0)?.reason == .expired)
        #expect(claims.timeFailure(at: Self.t + 1, skew: 0)?.reason == .expired)
    }

    @Test("nbf and iat: valid exactly at the time, notYetValid one second before")
    func startBoundaries() {
        for claims in [CWTClaims(notBefore: Self.t), CWTClaims(issuedAt: Self.t)] {
            #expect(claims.timeFailure(at: Self.t, skew: 0) == nil)
            #expect(claims.timeFailure(at: Self.t + 1, skew: 0) == nil)
            #expect(claims.timeFailure(at: Self.t - 1, skew: 0)?.reason == .notYetValid)
        }
    }

    @Test("skew is in the holder's favour on both sides", arguments: [Int64(1), 120, 3600])
    func skew(skew: Int64) {
        let claims = CWTClaims(expiration: Self.t + 1000, notBefore: Self.t, issuedAt: Self.t)
        // Early clock: up to `skew` seconds before nbf/iat is still valid.
        #expect(claims.timeFailure(at: Self.t - skew, skew: skew) == nil)
        #expect(claims.timeFailure(at: Self.t - skew - 1, skew: skew)?.reason == .notYetValid)
        // Late clock: up to `skew` seconds past exp (exclusive) is still valid.
        #expect(claims.timeFailure(at: Self.t + 1000 + skew - 1, skew: skew) == nil)
        #expect(claims.timeFailure(at: Self.t + 1000 + skew, skew: skew)?.reason == .expired)
        // Without skew the same clocks fail.
        #expect(claims.timeFailure(at: Self.t - 1, skew: 0)?.reason == .notYetValid)
        #expect(claims.timeFailure(at: Self.t + 1000, skew: 0)?.reason == .expired)
    }

    @Test("nbf and iat in the future give distinct details")
    func distinctDetails() throws {
        let notBefore = try #require(CWTClaims(notBefore: Self.t).timeFailure(at: Self.t - 10, skew: 0))
        let issuedAt = try #require(CWTClaims(issuedAt: Self.t).timeFailure(at: Self.t - 10, skew: 0))
        #expect(notBefore.reason == .notYetValid)
        #expect(issuedAt.reason == .notYetValid)
        #expect(notBefore.detail != issuedAt.detail)
        #expect(notBefore.detail.contains("(nbf)"))
        #expect(issuedAt.detail.contains("(iat)"))
        // The detail says which clock was used.
        #expect(notBefore.detail.contains(Timestamp.iso(Self.t - 10)))
        let expired = try #require(CWTClaims(expiration: Self.t).timeFailure(at: Self.t, skew: 0))
        #expect(expired.detail.contains("(exp)"))
    }

    @Test("no time claims never fail on time")
    func noTimes() {
        for time in [Int64.min, -1, 0, Self.t, Int64.max] {
            #expect(CWTClaims().timeFailure(at: time, skew: 0) == nil)
        }
    }

    @Test("extreme times and skews do not trap")
    func extremes() {
        let claims = CWTClaims(expiration: Int64.max, notBefore: Int64.min, issuedAt: Int64.min)
        for time in [Int64.min, 0, Int64.max] {
            for skew in [Int64(0), Int64.max, Int64.min] {
                _ = claims.timeFailure(at: time, skew: skew)
            }
        }
        #expect(claims.timeFailure(at: 0, skew: 0) == nil)
    }

    @Test("the verifier applies the same boundaries after the signature", arguments: SignatureAlgorithm.signing)
    func throughVerifier(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let claims = CWTClaims(expiration: Self.t + 600, notBefore: Self.t, issuedAt: Self.t)
        let text = try EnvelopeSealer.seal(claims, type: Fixture.type, key: key)
        func reason(at time: Int64, skew: Int64 = 0) -> VerificationReason {
            EnvelopeVerifier(keys: [key.publicKey], configuration: .init(validationTime: time, skew: skew)).verify(text).reason
        }
        #expect(reason(at: Self.t - 1) == .notYetValid)
        #expect(reason(at: Self.t) == .valid)
        #expect(reason(at: Self.t + 599) == .valid)
        #expect(reason(at: Self.t + 600) == .expired)
        #expect(reason(at: Self.t - 120, skew: 120) == .valid)
        #expect(reason(at: Self.t + 719, skew: 120) == .valid)
        #expect(reason(at: Self.t + 720, skew: 120) == .expired)
        // A bad signature is reported as such whatever the clock: time comes after it.
        let other = try PrivateKey.generate(algorithm)
        let forged = EnvelopeVerifier(keys: [other.publicKey], configuration: .init(validationTime: Self.t - 10_000))
        #expect(forged.verify(text).reason == .unknownKey)
    }

    /// A correctly signed envelope whose payload is `payload`.
    static func envelope(payload: CBOR) throws -> (text: String, key: PublicKey) {
        let key = try PrivateKey.generate(.es256)
        let cose = try CoseSign1.sign(payload: payload.encoded(), type: Fixture.type, key: key)
        return (EnvelopeSealer.seal(cose), key.publicKey)
    }

    static func pair(_ key: Int64, _ value: CBOR) -> CBOR.Pair { CBOR.Pair(key: CBOR(key), value: value) }

    @Test("a float NumericDate is read to whole seconds on the strict side: nbf and iat up, exp down (RFC 8392 §2, §3.1.4, §3.1.5)")
    func floatNumericDate() throws {
        let payload = CBOR.map([
            Self.pair(CWTClaims.Key.expiration, .float(Double(Self.t) + 600.75)),
            Self.pair(CWTClaims.Key.notBefore, .float(-1.5)),
            Self.pair(CWTClaims.Key.issuedAt, .float(1.5)),
        ])
        let (text, key) = try Self.envelope(payload: payload)
        let layers = EnvelopeLayers(reading: text)
        let claims = try #require(layers.claims, "\(String(describing: layers.failure))")
        #expect(claims.expiration == Self.t + 600)
        #expect(claims.notBefore == -1)
        #expect(claims.issuedAt == 2)
        // exp rounds down, so it expires at the whole second before the fraction: never later
        // than the issuer said.
        let verifier = { (time: Int64) in
            EnvelopeVerifier(keys: [key], configuration: .init(validationTime: time, skew: 0)).verify(text).reason
        }
        #expect(verifier(Self.t + 599) == .valid)
        #expect(verifier(Self.t + 600) == .expired)
    }

    @Test("a float nbf or iat is not accepted in the second before it: rounded up, not down", arguments: [CWTClaims.Key.notBefore, CWTClaims.Key.issuedAt])
    func floatNotBefore(key claim: Int64) throws {
        let payload = CBOR.map([Self.pair(claim, .float(Double(Self.t) + 0.5))])
        let (text, key) = try Self.envelope(payload: payload)
        let verifier = { (time: Int64) in
            EnvelopeVerifier(keys: [key], configuration: .init(validationTime: time, skew: 0)).verify(text).reason
        }
        #expect(verifier(Self.t) == .notYetValid)
        #expect(verifier(Self.t + 1) == .valid)
    }

    @Test("claims of the wrong type are malformedCBOR through the reader")
    func wrongTypes() throws {
        let cases: [(String, CBOR.Pair)] = [
            ("exp as text", Self.pair(CWTClaims.Key.expiration, .text("1800000000"))),
            ("exp as bytes", Self.pair(CWTClaims.Key.expiration, .bytes([0x6B, 0x49, 0xD2, 0x00]))),
            ("exp as bool", Self.pair(CWTClaims.Key.expiration, .bool(true))),
            ("exp as null", Self.pair(CWTClaims.Key.expiration, .null)),
            ("exp tagged as epoch time", Self.pair(CWTClaims.Key.expiration, .tagged(1, CBOR(Self.t)))),
            ("exp beyond Int64", Self.pair(CWTClaims.Key.expiration, .unsigned(UInt64.max))),
            ("exp infinite", Self.pair(CWTClaims.Key.expiration, .float(.infinity))),
            ("exp NaN", Self.pair(CWTClaims.Key.expiration, .float(.nan))),
            ("exp 1e19", Self.pair(CWTClaims.Key.expiration, .float(1e19))),
            ("nbf as array", Self.pair(CWTClaims.Key.notBefore, .array([CBOR(Self.t)]))),
            ("iat as text", Self.pair(CWTClaims.Key.issuedAt, .text("now"))),
            ("iss as integer", Self.pair(CWTClaims.Key.issuer, CBOR(1))),
            ("sub as bytes", Self.pair(CWTClaims.Key.subject, .bytes([1]))),
            ("aud as array", Self.pair(CWTClaims.Key.audience, .array([.text("a")]))),
            ("cti as text", Self.pair(CWTClaims.Key.cwtID, .text("id"))),
        ]
        for (name, pair) in cases {
            let (text, key) = try Self.envelope(payload: .map([pair]))
            let layers = EnvelopeLayers(reading: text)
            #expect(layers.cose != nil, "\(name)")
            #expect(layers.claims == nil, "\(name)")
            #expect(layers.failure?.reason == .malformedCBOR, "\(name): \(String(describing: layers.failure))")
            let result = EnvelopeVerifier(keys: [key], configuration: .init(validationTime: Self.t)).verify(text)
            #expect(result.reason == .malformedCBOR, "\(name): \(result.reason) \(result.detail)")
        }
    }

    @Test("a claims map with a duplicate key is malformedCBOR (RFC 8949 §5.6)")
    func duplicateClaim() throws {
        let payload = CBOR.map([Self.pair(CWTClaims.Key.expiration, CBOR(Self.t)), Self.pair(CWTClaims.Key.expiration, CBOR(Self.t + 9_999_999))])
        let (text, _) = try Self.envelope(payload: payload)
        #expect(EnvelopeLayers(reading: text).failure?.reason == .malformedCBOR)
    }

    @Test("unregistered claims are kept, registered ones read, and the map round trips")
    func otherClaims() throws {
        let claims = CWTClaims(
            issuer: "iss", subject: "sub", audience: "aud", expiration: 3, notBefore: 1, issuedAt: 2, cwtID: [7],
            otherClaims: [Self.pair(-260, .map([Self.pair(1, .text("x"))])), Self.pair(8, .text("cnf-like")), CBOR.Pair(key: .text("name"), value: .text("v"))]
        )
        let decoded = try CWTClaims(try CBORDecoder.decode(claims.cbor.encoded()))
        #expect(decoded.issuer == "iss")
        #expect(decoded.subject == "sub")
        #expect(decoded.audience == "aud")
        #expect(decoded.expiration == 3)
        #expect(decoded.notBefore == 1)
        #expect(decoded.issuedAt == 2)
        #expect(decoded.cwtID == [7])
        #expect(decoded[claim: -260] == .map([Self.pair(1, .text("x"))]))
        #expect(decoded[claim: 8] == .text("cnf-like"))
        #expect(CBOR.map(decoded.otherClaims) == CBOR.map(claims.otherClaims))
    }
}
