import Testing
import ZhucanCBOR
import ZhucanEnvelope
import ZhucanSigning
import ZhucanStatusList

@Suite("StatusListToken, StatusReference, CertificateStatusList")
struct StatusListTokenTests {
    static let uri = "https://zhucan.example/status/1"

    static func sampleList() throws -> CertificateStatusList {
        var list = try CertificateStatusList()
        try list.set(.invalid, at: 7)
        try list.set(.suspended, at: 130_000)
        return list
    }

    @Test("the claim keys are the draft's requested assignments (§14.3)")
    func claimKeys() {
        #expect(StatusListClaimKey.status == 65535)
        #expect(StatusListClaimKey.timeToLive == 65534)
        #expect(StatusListClaimKey.statusList == 65533)
        #expect(StatusListToken.mediaType == "application/statuslist+cwt")
    }

    @Test("claims(uri:issuedAt:expiration:ttl:) writes sub, iat, exp, ttl and status_list")
    func claimsLayout() throws {
        let list = try Self.sampleList().statusList
        let claims = list.claims(uri: Self.uri, issuedAt: 1_700_000_000, expiration: 1_700_086_400, ttl: 3_600)
        let map = claims.cbor
        #expect(map[int: 2] == .text(Self.uri))
        #expect(map[int: 6] == .unsigned(1_700_000_000))
        #expect(map[int: 4] == .unsigned(1_700_086_400))
        #expect(map[int: 65534] == .unsigned(3_600))
        #expect(map[int: 65533] == list.cbor)
        #expect(map[int: 1] == nil)
        let token = try StatusListToken(claims: claims)
        #expect(token.statusList == list)
        #expect(token.uri == Self.uri)
        #expect(token.timeToLive == 3_600)
        #expect(token.claims == claims)
    }

    @Test("a signed token verifies, round trips through its bytes and answers statuses", arguments: [SignatureAlgorithm.es256, .sm2, .ed25519])
    func signAndVerify(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let list = try Self.sampleList()
        let token = try StatusListToken(
            statusList: list.statusList, uri: Self.uri, issuedAt: 1_700_000_000,
            expiration: 1_700_086_400, timeToLive: 43_200, issuer: "https://zhucan.example"
        )
        let bytes = try token.signed(with: key).encoded(tagged: true)
        print("\(algorithm) Status List Token for \(list.count) certificates: \(bytes.count) bytes")
        let cose = try CoseSign1(decoding: bytes)
        #expect(cose.tags == [CoseSign1.tag])
        #expect(cose.type == StatusListToken.mediaType)
        let read = try StatusListToken(verifying: cose, key: key.publicKey)
        #expect(read == token)
        let certificates = try CertificateStatusList(read.statusList)
        #expect(try certificates[7] == .invalid)
        #expect(try certificates[130_000] == .suspended)
        #expect(try certificates[8] == .valid)
        #expect(try read.status(of: StatusReference(index: 7, uri: Self.uri)) == 1)

        // Another key, or a changed signature, does not verify.
        let other = try PrivateKey.generate(algorithm)
        #expect(throws: StatusListError(.badSignature, reason: "")) { try StatusListToken(verifying: cose, key: other.publicKey) }
        var tampered = bytes
        tampered[tampered.count - 1] ^= 1
        #expect(throws: StatusListError(.badSignature, reason: "")) {
            try StatusListToken(verifying: CoseSign1(decoding: tampered), key: key.publicKey)
        }
    }

    @Test("§5.2 envelope rules: tag 18 only, typ application/statuslist+cwt")
    func envelopeRules() throws {
        let key = try PrivateKey.generate(.es256)
        let claims = try Self.sampleList().statusList.claims(uri: Self.uri, issuedAt: 1_700_000_000)
        let cose = try StatusListToken(claims: claims).signed(with: key)
        #expect(try StatusListToken(verifying: cose, key: key.publicKey).uri == Self.uri)

        let untagged = try CoseSign1(decoding: cose.encoded(tagged: false))
        #expect(throws: StatusListError(.malformedToken, reason: "")) { try StatusListToken(unverified: untagged) }
        let cwtTagged = try CoseSign1(decoding: CBOR.tagged(CoseSign1.cwtTag, CBORDecoder.decode(cose.encoded())).encoded())
        #expect(throws: StatusListError(.malformedToken, reason: "")) { try StatusListToken(unverified: cwtTagged) }
        let otherType = try CoseSign1.sign(payload: claims.cbor.encoded(), type: "application/cwt", key: key)
        #expect(throws: StatusListError(.malformedToken, reason: "")) { try StatusListToken(unverified: otherType) }
        let noType = try CoseSign1.sign(payload: claims.cbor.encoded(), key: key)
        #expect(throws: StatusListError(.malformedToken, reason: "")) { try StatusListToken(unverified: noType) }
        let notClaims = try CoseSign1.sign(payload: [0x82, 0x01], type: StatusListToken.mediaType, key: key)
        #expect(throws: StatusListError(.malformedToken, reason: "")) { try StatusListToken(unverified: notClaims) }
        let notAMap = try CoseSign1.sign(payload: [0x01], type: StatusListToken.mediaType, key: key)
        #expect(throws: StatusListError(.malformedToken, reason: "")) { try StatusListToken(unverified: notAMap) }
    }

    @Test("missing or mistyped token claims are refused")
    func malformedClaims() throws {
        let list = try StatusList(bits: 1, count: 8)
        let good = list.claims(uri: Self.uri, issuedAt: 1, ttl: 60)
        #expect(try StatusListToken(claims: good).uri == Self.uri)

        var noSubject = good
        noSubject.subject = nil
        var noIssuedAt = good
        noIssuedAt.issuedAt = nil
        var noList = good
        noList.otherClaims.removeAll { $0.key == CBOR(StatusListClaimKey.statusList) }
        var textTTL = good
        textTTL.otherClaims = textTTL.otherClaims.map {
            $0.key == CBOR(StatusListClaimKey.timeToLive) ? CBOR.Pair(key: $0.key, value: .text("60")) : $0
        }
        var zeroTTL = good
        zeroTTL.otherClaims = zeroTTL.otherClaims.map {
            $0.key == CBOR(StatusListClaimKey.timeToLive) ? CBOR.Pair(key: $0.key, value: .unsigned(0)) : $0
        }
        var badList = good
        badList.otherClaims = badList.otherClaims.map {
            $0.key == CBOR(StatusListClaimKey.statusList) ? CBOR.Pair(key: $0.key, value: .bytes([1])) : $0
        }
        let cases: [(String, CWTClaims, StatusListError.Code)] = [
            ("no sub", noSubject, .malformedToken),
            ("no iat", noIssuedAt, .malformedToken),
            ("no status_list", noList, .malformedToken),
            ("ttl as text", textTTL, .malformedToken),
            ("ttl 0", zeroTTL, .invalidTimeToLive),
            ("status_list not a map", badList, .malformedStatusList),
        ]
        for (name, claims, code) in cases {
            #expect(throws: StatusListError(code, reason: ""), "\(name)") { try StatusListToken(claims: claims) }
        }
        #expect(throws: StatusListError(.invalidTimeToLive, reason: "")) {
            try StatusListToken(statusList: list, uri: Self.uri, issuedAt: 1, timeToLive: 0)
        }
    }

    @Test("a status reference round trips through the status claim (§6.3)")
    func referenceRoundTrip() throws {
        let reference = try StatusReference(index: 131_071, uri: Self.uri)
        var claims = CWTClaims(issuer: "https://zhucan.example", issuedAt: 1_700_000_000)
        claims.otherClaims.append(reference.claim)
        let decoded = try CWTClaims(CBORDecoder.decode(claims.cbor.encoded()))
        #expect(try StatusReference(claims: decoded) == reference)
        #expect(reference.cbor[text: "status_list"]?[text: "idx"] == .unsigned(131_071))
        #expect(reference.cbor[text: "status_list"]?[text: "uri"] == .text(Self.uri))
    }

    @Test("malformed status claims are refused")
    func malformedReference() throws {
        func status(_ info: [(String, CBOR)]) -> CBOR {
            .map([CBOR.Pair(key: .text("status_list"), value: .map(info.map { CBOR.Pair(key: .text($0.0), value: $0.1) }))])
        }
        let cases: [(String, CBOR)] = [
            ("not a map", .array([])),
            ("no status_list", .map([CBOR.Pair(key: .text("other_mechanism"), value: .map([]))])),
            ("status_list not a map", .map([CBOR.Pair(key: .text("status_list"), value: .unsigned(0))])),
            ("no idx", status([("uri", .text(Self.uri))])),
            ("negative idx", status([("idx", .negative(0)), ("uri", .text(Self.uri))])),
            ("idx as text", status([("idx", .text("0")), ("uri", .text(Self.uri))])),
            ("idx beyond Int", status([("idx", .unsigned(.max)), ("uri", .text(Self.uri))])),
            ("no uri", status([("idx", .unsigned(0))])),
            ("uri as bytes", status([("idx", .unsigned(0)), ("uri", .bytes([0x68]))])),
        ]
        for (name, cbor) in cases {
            #expect(throws: StatusListError(.malformedReference, reason: ""), "\(name)") { try StatusReference(cbor: cbor) }
        }
        #expect(throws: StatusListError(.malformedReference, reason: "")) { try StatusReference(claims: CWTClaims()) }
        #expect(throws: StatusListError(.indexOutOfRange, reason: "")) { try StatusReference(index: -1, uri: Self.uri) }
        // Other mechanisms and members beside status_list are ignored.
        let extended = CBOR.map([
            CBOR.Pair(key: .text("other_mechanism"), value: .map([])),
            CBOR.Pair(key: .text("status_list"), value: .map([
                CBOR.Pair(key: .text("idx"), value: .unsigned(5)),
                CBOR.Pair(key: .text("uri"), value: .text(Self.uri)),
                CBOR.Pair(key: .text("extra"), value: .null),
            ])),
        ])
        #expect(try StatusReference(cbor: extended).index == 5)
    }

    @Test("§8.3: a reference to another list, or past its end, gets no status")
    func referenceChecks() throws {
        let token = try StatusListToken(statusList: Self.sampleList().statusList, uri: Self.uri, issuedAt: 1)
        #expect(throws: StatusListError(.uriMismatch, reason: "")) {
            try token.status(of: StatusReference(index: 7, uri: "https://zhucan.example/status/2"))
        }
        #expect(throws: StatusListError(.indexOutOfRange, reason: "")) {
            try token.status(of: StatusReference(index: 131_072, uri: Self.uri))
        }
    }

    @Test("certificate statuses map to verification reasons; 3 is unknown and never written")
    func certificateStatus() throws {
        #expect(CertificateStatus.valid.verificationReason == .valid)
        #expect(CertificateStatus.invalid.verificationReason == .revoked)
        #expect(CertificateStatus.suspended.verificationReason == .suspended)
        #expect(CertificateStatus.applicationSpecific.verificationReason == .statusUnknown)
        #expect(CertificateStatus.allCases.map(\.rawValue) == [0, 1, 2, 3])

        var list = try CertificateStatusList()
        #expect(throws: StatusListError(.reservedStatus, reason: "")) { try list.set(.applicationSpecific, at: 0) }
        // A list written by someone else may hold 3; it reads as application-specific.
        var raw = list.statusList
        try raw.set(3, at: 9)
        list = try CertificateStatusList(raw)
        #expect(try list[9] == .applicationSpecific)
        // A suspension can be lifted.
        try list.set(.suspended, at: 10)
        try list.set(.valid, at: 10)
        #expect(try list[10] == .valid)
    }

    @Test("certificate lists are 2-bit with at least 131,072 entries")
    func certificateListPolicy() throws {
        #expect(CertificateStatusList.minimumEntries == 131_072)
        #expect(try CertificateStatusList(count: 200_001).count == 200_004)
        #expect(throws: StatusListError(.notCertificateList, reason: "")) { try CertificateStatusList(count: 131_071) }
        #expect(throws: StatusListError(.notCertificateList, reason: "")) {
            try CertificateStatusList(StatusList(bits: 1, count: 1 << 20))
        }
        #expect(throws: StatusListError(.notCertificateList, reason: "")) {
            try CertificateStatusList(StatusList(bits: 2, count: 131_068))
        }
    }
}
