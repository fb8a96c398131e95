import Testing
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanSigning

/// The one verifier of signed objects: the signature under the keys trusted for it, then each
/// policy in order, the first failure being the answer.
@Suite("SignedObjectVerifier: signature, then policies, one reason")
struct SignedObjectVerifierTests {
    static let now: Int64 = 1_800_000_000
    let key: PrivateKey
    let entry: TrustList.Entry

    init() throws {
        key = try PrivateKey.generate(.es256)
        entry = TrustList.Entry(key: key.publicKey, issuerCode: "x", issuerName: "x", validFrom: Self.now - 1_000, validUntil: nil, state: .active)
    }

    func object(_ type: ObjectType = .catalogue, issuedAt: Int64 = now, expiresAt: Int64 = now + 100, by signer: PrivateKey? = nil) throws -> String {
        try EnvelopeSealer.seal(CWTClaims(issuer: "x", expiration: expiresAt, issuedAt: issuedAt), type: type.rawValue, key: signer ?? key)
    }

    func reason(_ text: String, _ policies: [SignedObjectVerifier.Policy], keys: [TrustList.Entry]? = nil) -> VerificationReason {
        SignedObjectVerifier(keys: keys ?? [entry], policies: policies).verify(text).reason
    }

    @Test("A genuine object passes every policy and gives its claims and signer")
    func valid() throws {
        let result = SignedObjectVerifier(
            keys: [entry], policies: [.type([.catalogue]), .validAt(Self.now, skew: 0), .keyMaySignAtIssuance(fallback: 0)]
        ).verify(try object())
        #expect(result.isValid)
        #expect(result.claims?.issuedAt == Self.now)
        #expect(result.signer == entry)
        #expect(result.type == .catalogue)
    }

    @Test("The type is checked on the protected header, before the signature")
    func type() throws {
        #expect(reason(try object(.trustList), [.type([.catalogue])]) == .malformedCOSE)
        // Even under a stranger's key: the mistyped object is refused for its type.
        let stranger = try PrivateKey.generate(.ed25519)
        #expect(reason(try object(.trustList, by: stranger), [.type([.catalogue])]) == .malformedCOSE)
        #expect(reason(try object(.trustList, by: stranger), []) == .unknownKey)
    }

    @Test("Times: expired, not yet valid, signed in the future, with skew")
    func times() throws {
        let text = try object(issuedAt: Self.now, expiresAt: Self.now + 100)
        #expect(reason(text, [.validAt(Self.now + 100, skew: 0)]) == .expired)
        #expect(reason(text, [.validAt(Self.now - 200, skew: 0)]) == .notYetValid)
        #expect(reason(text, [.validAt(Self.now - 50, skew: 120)]) == .valid)
        #expect(reason(text, [.signedBy(Self.now - 10, skew: 0)]) == .notYetValid)
        #expect(reason(text, [.signedBy(Self.now - 10, skew: 10)]) == .valid)
        // Without a time policy, an expired object still verifies (a list judged at each use).
        #expect(reason(text, [.type([.catalogue])]) == .valid)
    }

    @Test("The signing key must have been allowed to sign: at the object's iat, or at a given time")
    func keyValidity() throws {
        var retired = entry
        retired.validUntil = Self.now - 10
        let text = try object()
        #expect(reason(text, [.keyMaySignAtIssuance(fallback: 0)], keys: [retired]) == .keyNotValidAtSigning)
        #expect(reason(text, [.keyMaySign(at: Self.now - 20)], keys: [retired]) == .valid)
        var revoked = entry
        revoked.state = .revoked
        #expect(reason(text, [.keyMaySign(at: Self.now)], keys: [revoked]) == .keyNotValidAtSigning)
        #expect(reason(text, [], keys: [revoked]) == .valid, "no key policy, no key check")
    }

    @Test("A flipped signature byte is bad_signature; binary COSE verifies as envelope text does")
    func signatureAndBinary() throws {
        let layers = EnvelopeLayers(reading: try object(.statusList))
        var bytes = try #require(layers.inflated)
        let verifier = SignedObjectVerifier(keys: [entry], policies: [.type([.statusList])])
        #expect(verifier.verify(cose: bytes).isValid)
        bytes[bytes.count - 1] ^= 1
        #expect(verifier.verify(cose: bytes).reason == .badSignature)
        #expect(verifier.verify(cose: [0xA0]).reason == .malformedCOSE)
    }
}
