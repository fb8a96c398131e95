import Testing
import ZhucanCBOR
import ZhucanEnvelope
import ZhucanSigning

/// Builds COSE_Sign1 structures by hand, so that tests control every received byte.
enum CoseFixture {
    /// The validation time of these tests: 2027-01-15T08:00:00Z.
    static let now: Int64 = 1_800_000_000

    static let claims = CWTClaims(
        issuer: "zc-test-issuer", expiration: now + 600, issuedAt: now - 60, cwtID: [0xC0, 0xFF, 0xEE],
        otherClaims: [CBOR.Pair(key: CBOR(-70_000), value: .text("助残"))]
    )

    static let type = "zc.test"

    static func verifier(_ keys: [PublicKey], skew: Int64 = 0) -> EnvelopeVerifier {
        EnvelopeVerifier(keys: keys, configuration: .init(validationTime: now, skew: skew))
    }

    static func header(_ label: Int64, _ value: CBOR) -> CBOR.Pair {
        CBOR.Pair(key: CBOR(label), value: value)
    }

    /// `alg` and `kid` of `key`, as `CoseSign1.sign` writes them.
    static func standardHeader(_ key: PrivateKey) -> [CBOR.Pair] {
        [
            header(CoseHeaderLabel.algorithm, CBOR(CoseAlgorithm(key.algorithm).rawValue)),
            header(CoseHeaderLabel.keyID, CBOR(key.publicKey.keyID.bytes)),
        ]
    }

    /// The COSE_Sign1 array with exactly these parts, wrapped in `tags` (outermost first).
    static func encode(
        protected: [UInt8], unprotected: [CBOR.Pair] = [], payload: [UInt8], signature: [UInt8], tags: [UInt64] = [18]
    ) -> [UInt8] {
        var item = CBOR.array([.bytes(protected), .map(unprotected), .bytes(payload), .bytes(signature)])
        for tag in tags.reversed() { item = .tagged(tag, item) }
        return item.encoded()
    }

    /// Signs exactly `protected` and `payload` (RFC 9052 §4.4) and encodes the result.
    static func signed(
        protected: [UInt8], unprotected: [CBOR.Pair] = [], payload: [UInt8] = claims.cbor.encoded(),
        key: PrivateKey, tags: [UInt64] = [18]
    ) throws -> [UInt8] {
        let toBeSigned = CoseSign1.signatureStructure(protected: protected, payload: payload)
        let signature = try key.signature(for: toBeSigned, format: .raw)
        return encode(protected: protected, unprotected: unprotected, payload: payload, signature: signature, tags: tags)
    }

    /// Any bytes as envelope text: zlib, base45, prefix (what `EnvelopeSealer` does to a COSE).
    static func seal(_ bytes: [UInt8], prefix: EnvelopePrefix = .zhucan) -> String {
        prefix.rawValue + Base45.encode(Zlib.compress(bytes))
    }
}

@Suite("COSE_Sign1")
struct CoseSign1Tests {
    typealias Fixture = CoseFixture

    @Test("seal, read and verify round trip", arguments: SignatureAlgorithm.signing)
    func roundTrip(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let text = try EnvelopeSealer.seal(Fixture.claims, type: Fixture.type, key: key)
        #expect(text.hasPrefix("ZC1:"))

        let layers = EnvelopeLayers(reading: text)
        #expect(layers.failure == nil, "\(String(describing: layers.failure))")
        let cose = try #require(layers.cose)
        #expect(cose.tags == [CoseSign1.tag])
        #expect(cose.algorithmValue == CoseAlgorithm(algorithm).rawValue)
        #expect(cose.keyID == key.publicKey.keyID)
        #expect(cose.type == Fixture.type)
        #expect(cose.unprotectedHeader.isEmpty)
        #expect(layers.claims == Fixture.claims)
        #expect(try CoseSign1(decoding: cose.encoded()) == cose)

        let result = Fixture.verifier([key.publicKey]).verify(text)
        #expect(result.reason == .valid, "\(result.detail)")
        #expect(result.isValid)
        #expect(result.signer == key.publicKey)
        #expect(cose.isValidSignature(with: key.publicKey))
    }

    @Test("White_Space around a code is ignored, ASCII or not; any other character is part of the code")
    func surroundingWhitespace() throws {
        let key = try PrivateKey.generate(.es256)
        let text = try EnvelopeSealer.seal(Fixture.claims, type: Fixture.type, key: key)
        for (before, after) in [("", "\n"), (" \t", "\r\n"), ("\u{3000}", "\u{85}"), ("\u{A0}\u{2028}", "\u{0B}\u{0C}")] {
            let layers = EnvelopeLayers(reading: before + text + after)
            #expect(layers.text == text, "\(Array(before.unicodeScalars)) … \(Array(after.unicodeScalars))")
            #expect(Fixture.verifier([key.publicKey]).verify(before + text + after).isValid)
        }
        // U+200B ZERO WIDTH SPACE and U+001F are not White_Space: they stay, and the code fails.
        #expect(EnvelopeLayers(reading: "\u{200B}" + text).failure?.reason == .malformedPrefix)
        #expect(EnvelopeLayers(reading: text + "\u{1F}").failure?.reason == .malformedBase45)
    }

    @Test("a sealed code never verifies under another key of the same algorithm", arguments: SignatureAlgorithm.signing)
    func otherKey(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let other = try PrivateKey.generate(algorithm)
        let text = try EnvelopeSealer.seal(Fixture.claims, type: Fixture.type, key: key)
        #expect(Fixture.verifier([other.publicKey]).verify(text).reason == .unknownKey)
        let cose = try #require(EnvelopeLayers(reading: text).cose)
        #expect(!cose.isValidSignature(with: other.publicKey))
    }

    @Test("a changed protected alg never verifies: algorithmMismatch, or badSignature if alg still fits",
          arguments: SignatureAlgorithm.signing)
    func algorithmConfusion(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let original = try CoseSign1.sign(payload: Fixture.claims.cbor.encoded(), type: Fixture.type, key: key)
        let own = CoseAlgorithm(algorithm).rawValue
        let verifier = Fixture.verifier([key.publicKey])

        // The signature is kept; only the protected bytes change.
        func rebuilt(_ header: [CBOR.Pair]) -> String {
            Fixture.seal(Fixture.encode(protected: CBOR.map(header).encoded(), payload: original.payload, signature: original.signature))
        }
        func replacingAlgorithm(_ value: CBOR) -> [CBOR.Pair] {
            original.protectedHeader.map { $0.key == CBOR(CoseHeaderLabel.algorithm) ? Fixture.header(CoseHeaderLabel.algorithm, value) : $0 }
        }

        // Another name for the key's own algorithm (RFC 9864's ESP256 for ES256, Ed25519 for
        // EdDSA) fits the key, but the protected bytes it changed are signed.
        let siblings = CoseAlgorithm.allCases.filter { $0.signatureAlgorithm == algorithm }.map(\.rawValue).filter { $0 != own }
        for value in siblings {
            #expect(verifier.verify(rebuilt(replacingAlgorithm(CBOR(value)))).reason == .badSignature, "alg \(value)")
        }
        let others = CoseAlgorithm.allCases.filter { $0.signatureAlgorithm != algorithm }.map(\.rawValue)
            + [-6, -35, -36, -257, -65_536, -65_538, 0, 1, Int64.min]
        for value in others {
            let text = rebuilt(replacingAlgorithm(CBOR(value)))
            let result = verifier.verify(text)
            #expect(result.reason == .algorithmMismatch, "alg \(value): \(result.reason) \(result.detail)")
            let cose = try #require(result.layers.cose)
            #expect(!cose.isValidSignature(with: key.publicKey), "alg \(value)")
        }
        // alg as text or missing: no supported alg.
        for header in [replacingAlgorithm(.text("ES256")), original.protectedHeader.filter { $0.key != CBOR(CoseHeaderLabel.algorithm) }] {
            #expect(verifier.verify(rebuilt(header)).reason == .algorithmMismatch)
        }
        // alg still the key's own, but the protected bytes differ (typ changed): the signature
        // no longer covers them.
        let retyped = original.protectedHeader.map { $0.key == CBOR(CoseHeaderLabel.type) ? Fixture.header(CoseHeaderLabel.type, .text("zc.other")) : $0 }
        #expect(verifier.verify(rebuilt(retyped)).reason == .badSignature)
        // Unchanged, the rebuilt code still verifies (the test's own construction is sound).
        #expect(verifier.verify(rebuilt(original.protectedHeader)).reason == .valid)
    }

    @Test("alg only in the unprotected header is algorithmMismatch, even correctly signed", arguments: SignatureAlgorithm.signing)
    func unprotectedAlgorithm(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let protected = CBOR.map([Fixture.header(CoseHeaderLabel.keyID, CBOR(key.publicKey.keyID.bytes))]).encoded()
        let unprotected = [Fixture.header(CoseHeaderLabel.algorithm, CBOR(CoseAlgorithm(algorithm).rawValue))]
        let text = Fixture.seal(try Fixture.signed(protected: protected, unprotected: unprotected, key: key))
        let result = Fixture.verifier([key.publicKey]).verify(text)
        #expect(result.layers.failure == nil)
        #expect(result.reason == .algorithmMismatch, "\(result.detail)")

        // The same label in both buckets is malformed (RFC 9052 §3).
        let both = CBOR.map(Fixture.standardHeader(key)).encoded()
        let doubled = Fixture.seal(try Fixture.signed(protected: both, unprotected: unprotected, key: key))
        #expect(EnvelopeLayers(reading: doubled).failure?.reason == .malformedCOSE)
        // Also behind a shared kid, which alone is allowed: kid (4) and alg (1) both doubled.
        let behindKeyID = [Fixture.header(CoseHeaderLabel.keyID, CBOR(key.publicKey.keyID.bytes))] + unprotected
        let hidden = Fixture.seal(try Fixture.signed(protected: both, unprotected: behindKeyID, key: key))
        #expect(EnvelopeLayers(reading: hidden).failure?.reason == .malformedCOSE)
    }

    @Test("kid only in the unprotected header verifies", arguments: SignatureAlgorithm.signing)
    func unprotectedKeyID(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let protected = CBOR.map([Fixture.header(CoseHeaderLabel.algorithm, CBOR(CoseAlgorithm(algorithm).rawValue))]).encoded()
        let unprotected = [Fixture.header(CoseHeaderLabel.keyID, CBOR(key.publicKey.keyID.bytes))]
        let text = Fixture.seal(try Fixture.signed(protected: protected, unprotected: unprotected, key: key))
        let result = Fixture.verifier([key.publicKey]).verify(text)
        #expect(result.layers.cose?.keyID == key.publicKey.keyID)
        #expect(result.reason == .valid, "\(result.detail)")
    }

    @Test("a kid no trusted key has, or none, is unknownKey", arguments: SignatureAlgorithm.signing)
    func wrongKeyID(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let alg = Fixture.header(CoseHeaderLabel.algorithm, CBOR(CoseAlgorithm(algorithm).rawValue))
        var wrong = key.publicKey.keyID.bytes
        wrong[7] ^= 0x01
        let cases: [(String, [CBOR.Pair])] = [
            ("kid with its last bit flipped", [alg, Fixture.header(CoseHeaderLabel.keyID, CBOR(wrong))]),
            ("kid one byte short", [alg, Fixture.header(CoseHeaderLabel.keyID, CBOR(Array(key.publicKey.keyID.bytes.dropLast())))]),
            ("kid as text", [alg, Fixture.header(CoseHeaderLabel.keyID, .text(key.publicKey.keyID.hex))]),
            ("no kid", [alg]),
        ]
        for (name, header) in cases {
            let text = Fixture.seal(try Fixture.signed(protected: CBOR.map(header).encoded(), key: key))
            let result = Fixture.verifier([key.publicKey]).verify(text)
            #expect(result.reason == .unknownKey, "\(name): \(result.reason) \(result.detail)")
        }
    }

    @Test("with several trusted keys the signer is found by kid and algorithm")
    func severalKeys() throws {
        let keys = try (SignatureAlgorithm.signing + SignatureAlgorithm.signing).map { try PrivateKey.generate($0) }
        let trusted = keys.map(\.publicKey)
        for key in keys {
            let text = try EnvelopeSealer.seal(Fixture.claims, type: Fixture.type, key: key)
            for order in [trusted, trusted.reversed()] {
                let result = Fixture.verifier(order).verify(text)
                #expect(result.reason == .valid, "\(key.algorithm): \(result.detail)")
                #expect(result.signer == key.publicKey, "\(key.algorithm)")
            }
            let others = trusted.filter { $0 != key.publicKey }
            #expect(Fixture.verifier(others).verify(text).reason == .unknownKey)
        }
    }

    @Test("untagged, tag 18 and tag 61(18) decode and verify", arguments: [[UInt64](), [18], [61, 18]])
    func acceptedTags(tags: [UInt64]) throws {
        let key = try PrivateKey.generate(.es256)
        let bytes = try Fixture.signed(protected: CBOR.map(Fixture.standardHeader(key)).encoded(), key: key, tags: tags)
        let cose = try CoseSign1(decoding: bytes)
        #expect(cose.tags == tags)
        let result = Fixture.verifier([key.publicKey]).verify(Fixture.seal(bytes))
        #expect(result.reason == .valid, "\(result.detail)")
    }

    @Test("other tags are malformedCOSE", arguments: [[UInt64(61)], [17], [98], [24], [18, 18], [18, 61], [61, 61, 18], [55799, 18]])
    func rejectedTags(tags: [UInt64]) throws {
        let key = try PrivateKey.generate(.es256)
        let bytes = try Fixture.signed(protected: CBOR.map(Fixture.standardHeader(key)).encoded(), key: key, tags: tags)
        #expect(throws: EnvelopeError(.malformedCOSE, reason: "")) { try CoseSign1(decoding: bytes) }
        #expect(EnvelopeLayers(reading: Fixture.seal(bytes)).failure?.reason == .malformedCOSE)
    }

    @Test("bytes after the COSE item are malformedCBOR")
    func trailingBytes() throws {
        let key = try PrivateKey.generate(.es256)
        let bytes = try Fixture.signed(protected: CBOR.map(Fixture.standardHeader(key)).encoded(), key: key)
        #expect(Fixture.verifier([key.publicKey]).verify(Fixture.seal(bytes)).reason == .valid)
        for trailer: [UInt8] in [[0x00], [0xA0], bytes] {
            #expect(throws: EnvelopeError(.malformedCBOR, reason: "")) { try CoseSign1(decoding: bytes + trailer) }
            let result = Fixture.verifier([key.publicKey]).verify(Fixture.seal(bytes + trailer))
            #expect(result.reason == .malformedCBOR, "trailer \(trailer.prefix(4)): \(result.detail)")
        }
    }

    @Test("a COSE_Sign1 of the wrong shape is malformedCOSE")
    func wrongShape() throws {
        let key = try PrivateKey.generate(.es256)
        let protected = CBOR.map(Fixture.standardHeader(key)).encoded()
        let payload = Fixture.claims.cbor.encoded()
        let signature = [UInt8](repeating: 1, count: 64)
        let shapes: [(String, CBOR)] = [
            ("3 elements", .array([.bytes(protected), .map([]), .bytes(payload)])),
            ("5 elements", .array([.bytes(protected), .map([]), .bytes(payload), .bytes(signature), .null])),
            ("a map", .map([CBOR.Pair(key: CBOR(1), value: .bytes(payload))])),
            ("protected header as a map", .array([.map(Fixture.standardHeader(key)), .map([]), .bytes(payload), .bytes(signature)])),
            ("unprotected header as bytes", .array([.bytes(protected), .bytes([]), .bytes(payload), .bytes(signature)])),
            ("detached payload (nil)", .array([.bytes(protected), .map([]), .null, .bytes(signature)])),
            ("payload as text", .array([.bytes(protected), .map([]), .text("claims"), .bytes(signature)])),
            ("signature as text", .array([.bytes(protected), .map([]), .bytes(payload), .text("sig")])),
        ]
        for (name, item) in shapes {
            let bytes = CBOR.tagged(18, item).encoded()
            #expect(throws: EnvelopeError(.malformedCOSE, reason: ""), "\(name)") { try CoseSign1(decoding: bytes) }
            #expect(EnvelopeLayers(reading: Fixture.seal(bytes)).failure?.reason == .malformedCOSE, "\(name)")
        }
    }

    @Test("a protected header that is not an encoded map is malformedCOSE")
    func protectedNotMap() throws {
        let key = try PrivateKey.generate(.ed25519)
        let encodings: [(String, [UInt8])] = [
            ("an array", CBOR.array([CBOR(CoseHeaderLabel.algorithm), CBOR(CoseAlgorithm.edDSA.rawValue)]).encoded()),
            ("an integer", CBOR(1).encoded()),
            ("text", CBOR.text("alg").encoded()),
            ("a truncated map", Array(CBOR.map(Fixture.standardHeader(key)).encoded().dropLast())),
            ("a map and trailing bytes", CBOR.map(Fixture.standardHeader(key)).encoded() + [0x00]),
            ("not CBOR", [0xFF]),
        ]
        for (name, protected) in encodings {
            let text = Fixture.seal(try Fixture.signed(protected: protected, key: key))
            let result = Fixture.verifier([key.publicKey]).verify(text)
            #expect(result.reason == .malformedCOSE, "\(name): \(result.reason) \(result.detail)")
        }
    }

    @Test("a crit header is malformedCOSE, even correctly signed")
    func critical() throws {
        let key = try PrivateKey.generate(.sm2)
        let header = Fixture.standardHeader(key) + [Fixture.header(CoseHeaderLabel.critical, .array([CBOR(CoseHeaderLabel.type)]))]
        let text = Fixture.seal(try Fixture.signed(protected: CBOR.map(header).encoded(), key: key))
        let result = Fixture.verifier([key.publicKey]).verify(text)
        #expect(result.reason == .malformedCOSE, "\(result.detail)")
        #expect(result.detail.contains("critical"))
    }

    @Test("an unprotected crit header is malformedCOSE, even correctly signed (RFC 9052 §3.1: it must be protected)")
    func unprotectedCritical() throws {
        let key = try PrivateKey.generate(.es256)
        let unprotected = [Fixture.header(CoseHeaderLabel.critical, .array([CBOR(99)])), Fixture.header(99, CBOR(1))]
        let text = Fixture.seal(try Fixture.signed(protected: CBOR.map(Fixture.standardHeader(key)).encoded(), unprotected: unprotected, key: key))
        let result = Fixture.verifier([key.publicKey]).verify(text)
        #expect(result.reason == .malformedCOSE, "\(result.detail)")
        #expect(result.detail.contains("crit header parameter is unprotected"))
    }

    @Test("a payload that is not a claims map is malformedCBOR if correctly signed, else badSignature")
    func payloadNotMap() throws {
        let key = try PrivateKey.generate(.es256)
        let protected = CBOR.map(Fixture.standardHeader(key)).encoded()
        let foreign = try CoseSign1.sign(payload: Fixture.claims.cbor.encoded(), key: key).signature
        let payloads: [(String, [UInt8])] = [
            ("an array", CBOR.array([CBOR(1), CBOR(2)]).encoded()),
            ("an integer", CBOR(42).encoded()),
            ("text", CBOR.text("claims").encoded()),
            ("empty", []),
            ("not CBOR", [0xFF, 0x00]),
            ("a map and trailing bytes", Fixture.claims.cbor.encoded() + [0x01]),
        ]
        for (name, payload) in payloads {
            let text = Fixture.seal(try Fixture.signed(protected: protected, payload: payload, key: key))
            #expect(EnvelopeLayers(reading: text).failure?.reason == .malformedCBOR, "\(name)")
            let result = Fixture.verifier([key.publicKey]).verify(text)
            #expect(result.reason == .malformedCBOR, "\(name): \(result.reason) \(result.detail)")
            #expect(result.signer == key.publicKey, "\(name)")

            // Not signed by the key: the signature is checked before the payload is judged, so
            // this is a bad signature (altered content), and an unknown kid stays unknownKey.
            let altered = Fixture.seal(Fixture.encode(protected: protected, payload: payload, signature: foreign))
            #expect(EnvelopeLayers(reading: altered).failure?.reason == .malformedCBOR, "\(name)")
            #expect(Fixture.verifier([key.publicKey]).verify(altered).reason == .badSignature, "\(name)")
            #expect(Fixture.verifier([]).verify(altered).reason == .unknownKey, "\(name)")
        }
    }

    @Test("a signature of the wrong length or encoding is badSignature", arguments: SignatureAlgorithm.signing)
    func signatureLength(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let protected = CBOR.map(Fixture.standardHeader(key)).encoded()
        let payload = Fixture.claims.cbor.encoded()
        let toBeSigned = CoseSign1.signatureStructure(protected: protected, payload: payload)
        let raw = try key.signature(for: toBeSigned, format: .raw)
        #expect(raw.count == 64)
        var variants: [(String, [UInt8])] = [
            ("empty", []),
            ("63 bytes", Array(raw.dropLast())),
            ("65 bytes", raw + [0x00]),
            ("65 bytes, zero first", [0x00] + raw),
            ("128 bytes", raw + raw),
        ]
        if algorithm != .ed25519 {
            // COSE wants r‖s (RFC 9053 §2.1); a DER signature that OpenSSL would accept is refused.
            variants.append(("DER", try key.signature(for: toBeSigned, format: .der)))
        }
        for (name, signature) in variants {
            let text = Fixture.seal(Fixture.encode(protected: protected, payload: payload, signature: signature))
            let result = Fixture.verifier([key.publicKey]).verify(text)
            #expect(result.reason == .badSignature, "\(name): \(result.reason) \(result.detail)")
        }
        let good = Fixture.seal(Fixture.encode(protected: protected, payload: payload, signature: raw))
        #expect(Fixture.verifier([key.publicKey]).verify(good).reason == .valid)
    }

    @Test("the received protected bytes are verified, not a re-encoding", arguments: SignatureAlgorithm.signing)
    func receivedBytes(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let alg = CBOR(CoseAlgorithm(algorithm).rawValue).encoded()
        let kid = CBOR(key.publicKey.keyID.bytes).encoded()
        // RFC 8949 §4.2.1 would write label 1 as 0x01; here it is 0x18 0x01 (same value, a
        // longer head), and the kid comes before alg (not the sorted order).
        let protected: [UInt8] = [0xA2, 0x04] + kid + [0x18, 0x01] + alg
        let canonical = CBOR.map(Fixture.standardHeader(key)).encoded()
        #expect(protected != canonical)

        let bytes = try Fixture.signed(protected: protected, key: key)
        let cose = try CoseSign1(decoding: bytes)
        #expect(cose.protectedBytes == protected)
        #expect(CBOR.map(cose.protectedHeader) == CBOR.map(Fixture.standardHeader(key)))
        let result = Fixture.verifier([key.publicKey]).verify(Fixture.seal(bytes))
        #expect(result.reason == .valid, "\(result.detail)")

        // The same header re-encoded deterministically, with the same signature: the signed
        // bytes changed, so the signature no longer verifies.
        let reencoded = Fixture.encode(protected: canonical, payload: cose.payload, signature: cose.signature)
        #expect(Fixture.verifier([key.publicKey]).verify(Fixture.seal(reencoded)).reason == .badSignature)
    }

    /// `CoseSign1(decoding:)` reads the plain shape without a CBOR tree; on every input it
    /// must answer what the general decoder answers (`CoseSign1.PlainReader`).
    @Test("the plain reader and the general decoder agree on codes and on every truncation and byte change of them")
    func plainReaderAgreesWithTheDecoder() throws {
        let key = try PrivateKey.generate(.es256)
        let protected = CBOR.map(CoseFixture.standardHeader(key)).encoded()
        var inputs: [[UInt8]] = []
        for tags in [[], [18], [61, 18]] as [[UInt64]] {
            inputs.append(try CoseFixture.signed(protected: protected, key: key, tags: tags))
        }
        // Lengths in every head form: 0, 23, 24, 255, 256 and 65,535 bytes of payload.
        for count in [0, 23, 24, 255, 256, 65_535] {
            inputs.append(CoseFixture.encode(protected: protected, payload: [UInt8](repeating: 0x41, count: count), signature: [1, 2]))
        }
        // Shapes the plain reader leaves to the decoder: a kid in the unprotected header,
        // an empty protected header, another tag.
        inputs.append(CoseFixture.encode(
            protected: [], unprotected: [CoseFixture.header(CoseHeaderLabel.keyID, .bytes([1]))], payload: [1], signature: [2]))
        inputs.append(CoseFixture.encode(protected: protected, payload: [1], signature: [2], tags: [61]))
        func general(_ bytes: [UInt8]) -> CoseSign1? { (try? CBORDecoder.decode(bytes)).flatMap { try? CoseSign1($0) } }
        var compared = 0
        for input in inputs {
            #expect((try? CoseSign1(decoding: input)) == general(input))
            guard input.count < 1_000 else { continue }
            for end in 0..<input.count {
                let cut = Array(input[..<end])
                #expect((try? CoseSign1(decoding: cut)) == general(cut), "cut at \(end)")
            }
            for index in input.indices {
                for byte in [0x00, 0x18, 0x19, 0x40, 0x58, 0x5F, 0x84, 0x9F, 0xA0, 0xA1, 0xD2, 0xF6, 0xFF] as [UInt8] {
                    var changed = input
                    changed[index] = byte
                    #expect((try? CoseSign1(decoding: changed)) == general(changed), "byte \(index) as \(byte)")
                    compared += 1
                }
            }
            #expect((try? CoseSign1(decoding: input + [0])) == nil, "a byte after the item")
        }
        #expect(compared > 1_000)
        // A payload length in two bytes where one would do (not the shortest form), which the
        // plain reader leaves to the decoder; the decoder accepts it outside deterministic limits.
        let short = CoseFixture.encode(protected: protected, payload: [1], signature: [2])
        let long = Array(short.dropLast(4)) + [0x58, 0x01, 0x01, 0x41, 0x02]
        #expect(short.suffix(4) == [0x41, 0x01, 0x41, 0x02])
        #expect((try? CoseSign1(decoding: long)) == general(long))
        #expect(general(long) != nil)
        // Deterministic limits accept the plain shape, and the limits still bound it.
        let plain = inputs[1]
        #expect((try? CoseSign1(decoding: plain, limits: .init(requireDeterministic: true))) == general(plain))
        #expect((try? CoseSign1(decoding: plain, limits: .init(maxBytes: plain.count - 1))) == nil)
    }

    @Test("the Sig_structure is RFC 9052 §4.4's Signature1 array")
    func signatureStructure() {
        let structure = CoseSign1.signatureStructure(protected: [0xA1, 0x01, 0x26], payload: [0x01])
        // ["Signature1", h'A10126', h'', h'01']
        let expected: [UInt8] = [0x84, 0x6A] + Array("Signature1".utf8) + [0x43, 0xA1, 0x01, 0x26, 0x40, 0x41, 0x01]
        #expect(structure == expected)
        #expect(CoseSign1.signatureStructure(protected: [], externalAAD: [0x02], payload: []) == [0x84, 0x6A] + Array("Signature1".utf8) + [0x40, 0x41, 0x02, 0x40])
        // Every length form of a byte string head (RFC 8949 §3.1), as the CBOR encoder writes it.
        for count in [0, 23, 24, 255, 256, 65_535, 65_536] {
            let field = [UInt8](repeating: 0x5A, count: count)
            let tree = CBOR.array([.text("Signature1"), .bytes(field), .bytes([0x01]), .bytes(field)]).encoded()
            #expect(CoseSign1.signatureStructure(protected: field, externalAAD: [0x01], payload: field) == tree, "\(count) bytes")
        }
    }
}
