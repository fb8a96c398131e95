import Foundation
import Testing
import ZhucanCBOR
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanQR
import ZhucanSigning
import ZhucanStatusList

/// The compact code format (Docs/format.md §15): what it writes, what it reads back with the
/// signer's trust-list entry, and how large it is.
@Suite("Compact codes (ZC2): layout, round trip, worked example, size")
struct CompactCodeTests {
    static let now: Int64 = 1_764_424_800
    static let typeCode = "11100000MB0000001T001"
    static let issuer = "11330482MB1234567N"
    static let base = "https://zhucan.example/v1/status-lists/"

    static func entry(_ key: PublicKey, licenseTypeCode: String? = typeCode, statusListBase: String? = base) -> TrustList.Entry {
        TrustList.Entry(
            key: key, issuerCode: issuer, issuerName: "平湖市残疾人联合会", validFrom: 0, validUntil: nil, state: .active,
            licenseTypeCode: licenseTypeCode, statusListBase: statusListBase
        )
    }

    static func licenseID(serial: String = "20251129000001", version: Int = 1) throws -> String {
        try ELicenseIdentifier(typeCode: typeCode, issuer: UnifiedSocialCreditCode(issuer), serial: serial, version: version).value
    }

    static func identityCode(
        name: String = "王*明", agent: CodeAgent? = nil, index: Int = 7, list: Int = 1, serial: String = "20251129000001", version: Int = 1,
        nonce: [UInt8] = Array(0..<8)
    ) throws -> IdentityCode {
        IdentityCode(
            certificateReference: try licenseID(serial: serial, version: version), maskedName: name, disclosed: (.physical, .three),
            status: try StatusReference(index: index, uri: base + String(list)), issuerCode: issuer,
            issuedAt: now, expiresAt: now + 300, nonce: nonce, agent: agent
        )
    }

    /// Seals compactly and reads back through the signature check, as a verifier does.
    static func roundTrip(_ text: String, key: PublicKey, entry: TrustList.Entry? = nil) throws -> (EnvelopeVerification, CWTClaims) {
        let verification = EnvelopeVerifier(keys: [key], configuration: .init(validationTime: now)).verify(text)
        return (verification, try #require(verification.layers.claims))
    }

    @Test("The worked example of Docs/format.md §15 is what Zhucan writes, and reads back", arguments: [false, true])
    func workedExample(fromDocument: Bool) throws {
        let key = try PrivateKey(contentsOf: Array(try Data(contentsOf: Self.repository.appendingPathComponent("keys/demo-ed25519.key.pem"))))
        let expected = "ZC2:TWGERKOE6XV8EBT7P4%C33OT*6B3XKBF3PJ5QVHBF3OJ5D6CR49X507H0QS05-0100000V%KQJG**0RI3D49.N9I8BQKT46D-0I2J5*CJ%M0NS027BF$87AL322 +O/WDWLAP6R0Z7WOG$YI1SEDZ5998SP65+2*O75PLIONZOUYAIRQ39R1R0KW*H15G8/UI S*4TSUA7VOAVKH.G"
        let code = try Self.identityCode()
        let text = fromDocument ? expected : try EnvelopeSealer.sealCompact(try #require(code.compactClaims), contentFormat: 65_001, key: key)
        #expect(text == expected)
        let (verification, claims) = try Self.roundTrip(text, key: key.publicKey)
        #expect(verification.reason == .valid)
        #expect(verification.layers.cose?.algorithmValue == -19)
        #expect(verification.layers.cose?.keyID?.hex == "dce76224")
        let read = try IdentityCode(compact: claims, signer: Self.entry(key.publicKey))
        #expect(read.certificateReference == "1.2.156.3005.2.11100000MB0000001T001.11330482MB1234567N.20251129000001.001.\(try ELicenseIdentifier(read.certificateReference).checkCharacter)")
        #expect(read.status.uri == "https://zhucan.example/v1/status-lists/1")
        #expect(read.status.index == 7)
        #expect(read.maskedName == "王*明")
        #expect(read.issuerCode == Self.issuer)
        #expect(read == code)
    }

    @Test("Identity and service codes round-trip under every signing algorithm", arguments: SignatureAlgorithm.signing)
    func roundTrip(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let agent = CodeAgent(maskedName: "张*", relation: .caseworker)
        let identity = try Self.identityCode(agent: agent)
        let identityText = try EnvelopeSealer.sealCompact(try #require(identity.compactClaims), contentFormat: 65_001, key: key)
        let (checked, claims) = try Self.roundTrip(identityText, key: key.publicKey)
        #expect(checked.reason == .valid)
        #expect(checked.layers.cose?.algorithmValue == CoseAlgorithm.fullySpecified(algorithm).rawValue)
        #expect(try IdentityCode(compact: claims, signer: Self.entry(key.publicKey)) == identity)

        let facts: [String: CBOR] = ["holder.birthDate": .text("1970-11-21"), "holder.sex": .text("M"), "household.lowIncome": .bool(true)]
        let service = ServiceCode(
            certificateReference: try Self.licenseID(), services: ["bus-pass"], catalogueVersion: "pinghu-2026.4", isOneTime: true,
            facts: facts, status: try StatusReference(index: 131_071, uri: Self.base + "2"), issuerCode: Self.issuer,
            issuedAt: Self.now, expiresAt: Self.now + 600, nonce: Array(8..<16), agent: agent
        )
        let serviceText = try EnvelopeSealer.sealCompact(try #require(service.compactClaims), contentFormat: 65_002, key: key)
        let (serviceChecked, serviceClaims) = try Self.roundTrip(serviceText, key: key.publicKey)
        #expect(serviceChecked.reason == .valid)
        let read = try ServiceCode(compact: serviceClaims, signer: Self.entry(key.publicKey))
        #expect(read.services == ["bus-pass"] && read.catalogueVersion == "pinghu-2026.4" && read.isOneTime)
        #expect(read.facts == facts && read.agent == agent && read.nonce == Array(8..<16))
        #expect(read.status.uri == Self.base + "2" && read.status.index == 131_071)
        #expect(read.certificateReference == service.certificateReference)
    }

    @Test("A trust-list entry without ltc or slb cannot expand a compact code: unusable list, not malformed")
    func entryWithoutExpansion() throws {
        let key = try PrivateKey.generate(.es256)
        let text = try EnvelopeSealer.sealCompact(try #require(try Self.identityCode().compactClaims), contentFormat: 65_001, key: key)
        let (_, claims) = try Self.roundTrip(text, key: key.publicKey)
        for entry in [Self.entry(key.publicKey, licenseTypeCode: nil), Self.entry(key.publicKey, statusListBase: nil)] {
            #expect(throws: CredentialError(.unusableList, "")) { try IdentityCode(compact: claims, signer: entry) }
        }
    }

    @Test("Codes that cannot be compact say so: a status URI without a list number, a serial that is not 14 digits")
    func notCompactable() throws {
        var code = try Self.identityCode()
        code.status = try StatusReference(index: 1, uri: "https://zhucan.example/status")
        #expect(code.compactClaims == nil)
        #expect(try Self.identityCode(serial: "ABC123").compactClaims == nil)
        #expect(TrustList.Entry.statusListBase(of: "https://zhucan.example/v1/status-lists/12") == "https://zhucan.example/v1/status-lists/")
        #expect(TrustList.Entry.statusListBase(of: "https://zhucan.example/v1/status-lists/01") == nil)
    }

    @Test("Malformed compact content is refused with the key it concerns")
    func malformedContent() throws {
        let key = try PrivateKey.generate(.ed25519)
        let entry = Self.entry(key.publicKey)
        func read(_ mutate: (inout [CBOR.Pair]) -> Void) throws -> CredentialError? {
            var claims = try #require(try Self.identityCode().compactClaims)
            var content = try #require(claims[claim: -65_537]?.pairs)
            mutate(&content)
            claims.otherClaims = [CBOR.Pair(key: CBOR(Int64(-65_537)), value: .map(content))]
            do {
                _ = try IdentityCode(compact: claims, signer: entry)
                return nil
            } catch {
                return error
            }
        }
        func replacing(_ key: Int64, _ value: CBOR?) -> (inout [CBOR.Pair]) -> Void {
            { pairs in
                pairs.removeAll { $0.key == CBOR(key) }
                if let value { pairs.append(CBOR.Pair(key: CBOR(key), value: value)) }
            }
        }
        #expect(try read(replacing(1, .array([.unsigned(1)])))?.reason.contains("key 1") == true)
        #expect(try read(replacing(1, .array([CBOR(Int64(-1)), .unsigned(1)])))?.reason.contains("key 1") == true)
        #expect(try read(replacing(2, .unsigned(123)))?.reason.contains("key 2") == true)
        #expect(try read(replacing(2, nil))?.reason.contains("key 2") == true)
        #expect(try read(replacing(3, nil))?.reason.contains("key 3") == true)
        #expect(try read(replacing(4, .unsigned(9)))?.code == .invalidValue)
        #expect(try read(replacing(6, .array([.text("张*"), .unsigned(4)])))?.reason.contains("key 6") == true)
        #expect(try read { _ in } == nil)
    }

    @Test("A 4-byte kid names a key only in a compact code")
    func shortKeyIDOnlyWhenCompact() throws {
        let key = try PrivateKey.generate(.es256)
        let cose = try CoseSign1.signCompact(payload: try #require(try Self.identityCode().compactClaims).cbor.encoded(), contentFormat: 65_001, key: key)
        let verifier = EnvelopeVerifier(keys: [key.publicKey], configuration: .init(validationTime: Self.now))
        #expect(verifier.verify(EnvelopePrefix.compact.rawValue + Base45.encode(cose.encoded(tagged: false))).reason == .valid)
        #expect(verifier.verify(EnvelopePrefix.compactDeflated.rawValue + Base45.encode(Zlib.compress(cose.encoded()))).reason == .valid)
        #expect(verifier.verify(EnvelopeSealer.seal(cose)).reason == .unknownKey)
    }

    /// Docs/format.md §15.6: an identity code fits QR version 11 at level Q (259 alphanumeric
    /// characters) with the longest values a code can carry: both masked names at their 11
    /// bytes, an agent, category and level, list 255, index 2³² − 1, the largest serial and
    /// version. Sizes depend only on lengths, so 1,000 codes per algorithm (random nonces and
    /// signatures) give one size each — the ECDSA signature is always 64 bytes.
    @Test("1,000 longest identity codes per algorithm: at most 259 characters, QR version 11 at level Q",
          arguments: SignatureAlgorithm.signing)
    func size(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        let longest = try PersonName("\u{20000}" + String(repeating: "王", count: 62) + "\u{2A6D6}").masked
        #expect(longest.utf8.count == 11)
        let agent = CodeAgent(maskedName: try PersonName("\u{2A6D6}" + String(repeating: "李", count: 62) + "\u{20000}").masked, relation: .caseworker)
        var generator = SystemRandomNumberGenerator()
        var lengths: Set<Int> = [], versions: Set<Int> = []
        for _ in 0..<1_000 {
            let code = try Self.identityCode(
                name: longest, agent: agent, index: Int(UInt32.max), list: 255, serial: "99991231999999", version: 999,
                nonce: (0..<8).map { _ in UInt8.random(in: 0...255, using: &generator) }
            )
            let text = try EnvelopeSealer.sealCompact(try #require(code.compactClaims), contentFormat: 65_001, key: key)
            lengths.insert(text.count)
            versions.insert(try QRCode(text: text, errorCorrection: .quartile).version)
        }
        #expect(lengths.max()! <= 259, "\(algorithm): \(lengths.sorted()) characters")
        #expect(versions.max()! <= 11, "\(algorithm): versions \(versions.sorted())")
        // The same holder's everyday code (a three-character name, no agent, a small index).
        let everyday = try EnvelopeSealer.sealCompact(try #require(try Self.identityCode().compactClaims), contentFormat: 65_001, key: key)
        #expect(everyday.count <= 220, "\(algorithm): \(everyday.count) characters")
        #expect(try QRCode(text: everyday, errorCorrection: .quartile).version <= 10)
    }

    static func certificate(name: String = "王小明", card: String? = "A12345678") throws -> DisabilityCertificate {
        DisabilityCertificate(
            number: try DisabilityCertificateNumber("36012119701121001343"), licenseID: try ELicenseIdentifier(try licenseID()),
            holderName: try PersonName(name), region: try RegionCode("330482"), socialSecurityCard: try card.map { try SocialSecurityCardNumber($0) },
            validFrom: try CivilDate("2025-11-29"), validUntil: try CivilDate("2035-11-29"), issuerName: "平湖市残疾人联合会",
            issuerCode: try UnifiedSocialCreditCode(issuer), status: try StatusReference(index: 7, uri: base + "1"), issuedAt: now,
            tokenID: Array(0..<8)
        )
    }

    @Test("A certificate round-trips compact under every algorithm: dates from nbf and exp, issuer and its name from the trust list",
          arguments: SignatureAlgorithm.signing)
    func certificateRoundTrip(algorithm: SignatureAlgorithm) throws {
        let key = try PrivateKey.generate(algorithm)
        for certificate in [try Self.certificate(), try Self.certificate(name: "Anna Maria Schmidt", card: nil)] {
            let text = try EnvelopeSealer.sealCompact(try #require(certificate.compactClaims), contentFormat: 65_000, key: key)
            let (checked, claims) = try Self.roundTrip(text, key: key.publicKey)
            #expect(checked.reason == .valid)
            let read = try DisabilityCertificate(compact: claims, signer: Self.entry(key.publicKey))
            #expect(read == certificate)
            #expect(read.validFrom.description == "2025-11-29" && read.validUntil.description == "2035-11-29")
            // Sizes (§15.6): an everyday certificate is QR version 12 at most, against 19–20 in version 1.
            let standard = try EnvelopeSealer.seal(certificate.claims, type: ObjectType.certificate.rawValue, key: key)
            #expect(text.count * 2 < standard.count, "\(text.count) against \(standard.count) characters")
            #expect(try QRCode(text: text, errorCorrection: .quartile).version <= 12)
        }
    }

    @Test("A compact certificate's nbf and exp must be whole China days, its region six digits")
    func certificateDates() throws {
        let key = try PrivateKey.generate(.ed25519)
        let entry = Self.entry(key.publicKey)
        var claims = try #require(try Self.certificate().compactClaims)
        claims.notBefore = (claims.notBefore ?? 0) + 60
        #expect(throws: CredentialError(.invalidValue, "")) { try DisabilityCertificate(compact: claims, signer: entry) }
        claims.notBefore = nil
        #expect(throws: CredentialError(.malformedContent, "")) { try DisabilityCertificate(compact: claims, signer: entry) }
        // An agent (key 6) belongs to codes only (§15.5).
        var withAgent = try #require(try Self.certificate().compactClaims)
        var pairs = try #require(withAgent[claim: -65_537]?.pairs)
        pairs.append(CBOR.Pair(key: CBOR(Int64(6)), value: .array([.text("张*丰"), .unsigned(1)])))
        withAgent.otherClaims = [CBOR.Pair(key: CBOR(Int64(-65_537)), value: .map(pairs))]
        #expect(throws: CredentialError(.malformedContent, "")) { try DisabilityCertificate(compact: withAgent, signer: entry) }
        // Any integer is a time the signer may write: the extremes are refused, never a trap.
        for expiration in [Int64.max, .max - 28_801, .min] {
            var extreme = try #require(try Self.certificate().compactClaims)
            extreme.expiration = expiration
            #expect(throws: CredentialError(.invalidValue, "")) { try DisabilityCertificate(compact: extreme, signer: entry) }
        }
        var region = try #require(try Self.certificate().compactClaims)
        var content = try #require(region[claim: -65_537]?.pairs)
        content = content.map { $0.key == CBOR(Int64(5)) ? CBOR.Pair(key: $0.key, value: .unsigned(1_330_482)) : $0 }
        region.otherClaims = [CBOR.Pair(key: CBOR(Int64(-65_537)), value: .map(content))]
        #expect(throws: CredentialError(.invalidValue, "")) { try DisabilityCertificate(compact: region, signer: entry) }
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}
