import Foundation
import Testing
import ZhucanCBOR
import ZhucanEnvelope
import ZhucanSigning
import ZhucanTesting

/// One EU DCC test case of `vectors/dcc/common/*.json` (eu-digital-green-certificates/dgc-testdata
/// `common/2DCode/raw`), read in place.
///
/// Stages checked, each only when the file names it in `EXPECTEDRESULTS` (a missing key means
/// "not checked"): `EXPECTEDUNPREFIX`, `EXPECTEDB45DECODE`, `EXPECTEDCOMPRESSION`,
/// `EXPECTEDDECODE`, `EXPECTEDVERIFY`, `EXPECTEDEXPIRATIONCHECK`.
///
/// Not checked by design: `EXPECTEDKEYUSAGE` (the DSC's extended-key-usage OIDs against the
/// certificate type), `EXPECTEDSCHEMAVALIDATION` and `EXPECTEDVALIDJSON` (the DCC JSON schema of
/// the hcert content), `EXPECTEDPICTUREDECODE` (reading the QR image). These are DCC business
/// rules above the envelope; Zhucan has its own trust list and object schemas.
struct DCCVector: Sendable {
    /// The file name without `.json`, e.g. `CO20`.
    let name: String
    /// `TESTCTX.DESCRIPTION`.
    let summary: String
    /// `PREFIX`: the whole QR text.
    let text: String
    /// `COMPRESSED`: the zlib stream, the expected base45 decoding.
    let compressed: [UInt8]?
    /// `COSE`: the expected inflated bytes.
    let cose: [UInt8]?
    /// `CBOR`: the hcert content (claim -260, key 1) as the issuer encoded it.
    let hcert: [UInt8]?
    /// `TESTCTX.CERTIFICATE`: the signer's DER X.509 certificate.
    let certificate: [UInt8]
    /// `TESTCTX.VALIDATIONCLOCK`, seconds since the epoch.
    let clock: Int64
    /// `EXPECTEDRESULTS`, without the `EXPECTED` prefix: `VERIFY` → true, …
    let expected: [String: Bool]

    /// The stages this suite maps to envelope reasons.
    static let checkedStages: Set<String> = ["UNPREFIX", "B45DECODE", "COMPRESSION", "DECODE", "VERIFY", "EXPIRATIONCHECK"]
    /// DCC business rules, deliberately not checked (see the type's comment).
    static let uncheckedStages: Set<String> = ["KEYUSAGE", "SCHEMAVALIDATION", "VALIDJSON", "PICTUREDECODE"]

    static let folder = "dcc/common"

    /// The vector file names, sorted; empty when the vectors are missing (the `loads` test
    /// then fails under CI, and the suite is skipped otherwise).
    static let fileNames: [String] = (try? TestVectors.jsonFiles(in: folder).map(\.lastPathComponent)) ?? []

    struct LoadError: Error, CustomStringConvertible {
        let description: String
    }

    /// Reads one file.
    static func load(_ fileName: String) throws -> DCCVector {
        let data = try TestVectors.data("\(folder)/\(fileName)")
        guard let json = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let context = json["TESTCTX"] as? [String: Any],
            let results = json["EXPECTEDRESULTS"] as? [String: Any],
            let text = json["PREFIX"] as? String,
            let certificateBase64 = context["CERTIFICATE"] as? String,
            let certificate = Data(base64Encoded: certificateBase64),
            let clockText = context["VALIDATIONCLOCK"] as? String,
            let clock = Timestamp.parse(clockText)
        else { throw LoadError(description: "\(fileName): PREFIX, TESTCTX or EXPECTEDRESULTS missing or unreadable") }
        func hex(_ key: String) throws -> [UInt8]? {
            guard let value = json[key] as? String else { return nil }
            guard let bytes = Hex.decode(value) else { throw LoadError(description: "\(fileName): \(key) is not hex") }
            return bytes
        }
        var expected: [String: Bool] = [:]
        for (key, value) in results {
            guard key.hasPrefix("EXPECTED"), let flag = value as? Bool else {
                throw LoadError(description: "\(fileName): EXPECTEDRESULTS.\(key) is not a boolean")
            }
            expected[String(key.dropFirst("EXPECTED".count))] = flag
        }
        return DCCVector(
            name: String(fileName.dropLast(".json".count)),
            summary: context["DESCRIPTION"] as? String ?? "",
            text: text,
            compressed: try hex("COMPRESSED"),
            cose: try hex("COSE"),
            hcert: try hex("CBOR"),
            certificate: Array(certificate),
            clock: clock,
            expected: expected
        )
    }

    /// DCC issuers encode the hcert content with indefinite-length maps (RFC 8949 §3.2.2; the
    /// hcert specification does not ask for deterministic CBOR), so reading DCC needs them
    /// allowed. Zhucan's own objects keep the strict defaults.
    static let limits = EnvelopeLayers.Limits(cbor: CBORDecoder.Limits(allowIndefinite: true))

    /// Our whole pipeline: the file's certificate as the only trusted key, its clock, no skew.
    func verify() throws -> EnvelopeVerification {
        let key = try PublicKey(contentsOf: certificate)
        let configuration = EnvelopeVerifier.Configuration(validationTime: clock, skew: 0, limits: Self.limits)
        return EnvelopeVerifier(keys: [key], configuration: configuration).verify(text)
    }

    /// The hcert content as we read it: claim -260 (hcert), key 1 (the EU DCC v1).
    static func hcertContent(_ claims: CWTClaims) -> CBOR? {
        claims[claim: -260]?[int: 1]
    }
}

/// A verification that got past the signature: valid, or stopped only by a time claim.
private let passedSignature: Set<VerificationReason> = [.valid, .notYetValid, .expired]
/// Reasons for a code that failed its time check only.
private let timeReasons: Set<VerificationReason> = [.notYetValid, .expired]

@Suite("EU DCC test vectors", .enabled(if: TestVectors.shouldRun))
struct DCCTests {
    @Test("the vector files load and name only known stages")
    func loads() throws {
        #expect(DCCVector.fileNames.count >= 38, "found \(DCCVector.fileNames.count) files in \(DCCVector.folder)")
        for file in DCCVector.fileNames {
            let vector = try DCCVector.load(file)
            let unknown = Set(vector.expected.keys).subtracting(DCCVector.checkedStages).subtracting(DCCVector.uncheckedStages)
            #expect(unknown.isEmpty, "\(file): unknown stages \(unknown.sorted())")
        }
    }

    /// Files whose named expectation our pipeline deliberately does not meet; each has its own
    /// test below that asserts what is true instead.
    static let divergent: [String: String] = [
        "CO20": "VERIFY",
    ]

    @Test("every stage a file names has the expected outcome", arguments: DCCVector.fileNames)
    func stages(file: String) throws {
        let vector = try DCCVector.load(file)
        let result = try vector.verify()
        let layers = result.layers
        let failure = layers.failure?.reason
        let seen = "\(vector.name) (\(vector.summary)): reason \(result.reason.rawValue), \(result.detail)"

        for (stage, expected) in vector.expected.sorted(by: { $0.key < $1.key }) where DCCVector.checkedStages.contains(stage) {
            if Self.divergent[vector.name] == stage { continue }
            switch (stage, expected) {
            case ("UNPREFIX", true): #expect(layers.prefix != nil, "\(seen)")
            case ("UNPREFIX", false): #expect(failure == .malformedPrefix, "\(seen)")
            case ("B45DECODE", true): #expect(layers.compressed != nil, "\(seen)")
            case ("B45DECODE", false): #expect(failure == .malformedBase45, "\(seen)")
            case ("COMPRESSION", true): #expect(layers.inflated != nil, "\(seen)")
            case ("COMPRESSION", false): #expect(failure == .malformedCompression, "\(seen)")
            case ("DECODE", true):
                let claims = try #require(layers.claims, "\(seen)")
                #expect(DCCVector.hcertContent(claims)?.pairs != nil, "\(seen): hcert claim -260/1 is not a map")
            case ("DECODE", false):
                // dgc-testdata's DECODE covers the hcert content too: claim -260 must hold a
                // map whose key 1 is the DCC map (hcert spec §3 "CWT Structure Overview").
                // The envelope reads any CWT, so that one structural check is made here.
                if let claims = layers.claims {
                    #expect(DCCVector.hcertContent(claims)?.pairs == nil, "\(seen): the hcert content decodes")
                } else {
                    #expect(failure == .malformedCBOR || failure == .malformedCOSE, "\(seen)")
                }
            case ("VERIFY", true): #expect(passedSignature.contains(result.reason), "\(seen)")
            case ("VERIFY", false): #expect(!passedSignature.contains(result.reason), "\(seen)")
            case ("EXPIRATIONCHECK", true): #expect(result.reason == .valid, "\(seen)")
            case ("EXPIRATIONCHECK", false): #expect(timeReasons.contains(result.reason), "\(seen)")
            default: Issue.record("\(vector.name): unhandled stage \(stage)")
            }
        }
    }

    @Test("intermediate bytes equal the file's COMPRESSED, COSE and CBOR", arguments: DCCVector.fileNames)
    func intermediates(file: String) throws {
        let vector = try DCCVector.load(file)
        let layers = EnvelopeLayers(reading: vector.text, limits: DCCVector.limits)
        let seen = "\(vector.name): \(layers.failure.map { "\($0.reason.rawValue) \($0.detail)" } ?? "read")"

        if let compressed = vector.compressed, vector.expected["B45DECODE"] != false {
            #expect(layers.compressed == compressed, "\(seen): base45 decoding differs from COMPRESSED")
        }
        if let cose = vector.cose, vector.expected["COMPRESSION"] != false {
            #expect(layers.inflated == cose, "\(seen): inflated bytes differ from COSE")
        }
        if let hcert = vector.hcert, let claims = layers.claims {
            let content = try #require(DCCVector.hcertContent(claims), "\(seen): no hcert claim -260/1")
            if let bytes = content.bytes {
                // CBO1: the "wrong CBOR structure" is a byte string where the DCC map belongs.
                #expect(bytes == hcert, "\(seen): hcert byte string differs from CBOR")
            } else {
                let decoded = try CBORDecoder.decode(hcert, limits: DCCVector.limits.cbor)
                #expect(content == decoded, "\(seen): hcert content differs from CBOR")
            }
        }
    }

    @Test("CO16 and CO17: the clock does contradict iat and exp, so the expectations hold")
    func clockCases() throws {
        // vectors/README.md calls CO16/CO17 a known upstream fault ("the clock does not
        // contradict iat/exp"). In the files stored here it does, by two years:
        //   CO16: iat 1683136800 = 2023-05-03T18:00:00Z, exp 1683309600 = 2023-05-05T18:00:00Z,
        //         clock 2021-05-03T18:00:00Z = 1620064800 < iat → issued in the future;
        //   CO17: iat 1525370400 = 2018-05-03T18:00:00Z, exp 1525543200 = 2018-05-05T18:00:00Z,
        //         clock 1620064800 ≥ exp → expired.
        // Both signatures verify, so the answer is the time reason, as EXPIRATIONCHECK false says.
        let co16 = try DCCVector.load("CO16.json").verify()
        let claims16 = try #require(co16.layers.claims)
        #expect(claims16.issuedAt == 1_683_136_800)
        #expect(claims16.expiration == 1_683_309_600)
        #expect(co16.configuration.validationTime == 1_620_064_800)
        #expect(co16.reason == .notYetValid, "\(co16.detail)")
        #expect(co16.detail.contains("(iat)"), "\(co16.detail)")
        #expect(co16.signer != nil)

        let co17 = try DCCVector.load("CO17.json").verify()
        let claims17 = try #require(co17.layers.claims)
        #expect(claims17.issuedAt == 1_525_370_400)
        #expect(claims17.expiration == 1_525_543_200)
        #expect(co17.configuration.validationTime == 1_620_064_800)
        #expect(co17.reason == .expired, "\(co17.detail)")
        #expect(co17.signer != nil)
    }

    @Test("CO20: alg only in the unprotected header is refused, though the signature is good")
    func unprotectedAlgorithm() throws {
        // CO20 says "KID in protected header correct, KID in unprotected header correct" and
        // expects VERIFY true, but its protected header is the empty string and both alg (-7)
        // and kid are unprotected. The hcert specification puts alg in the protected header
        // ("CWT Structure Overview": Protected Header: alg, kid) and lets only kid move to the
        // unprotected one ("Key Identifier": "it MAY also be placed in an unprotected header").
        // An unprotected alg can be changed without breaking the signature (RFC 9052 §3.1), so
        // Zhucan refuses it: algorithmMismatch. The vector's expectation is judged wrong.
        let vector = try DCCVector.load("CO20.json")
        let result = try vector.verify()
        let cose = try #require(result.layers.cose)
        #expect(cose.protectedBytes.isEmpty)
        #expect(cose.unprotectedHeader.contains { $0.key == CBOR(CoseHeaderLabel.algorithm) && $0.value == CBOR(CoseAlgorithm.es256.rawValue) })
        #expect(result.reason == .algorithmMismatch, "\(result.detail)")

        // Evidence that only the policy stops it: the ES256 signature over the received bytes
        // is valid under the certificate's key.
        let key = try PublicKey(contentsOf: vector.certificate)
        let toBeSigned = CoseSign1.signatureStructure(protected: cose.protectedBytes, payload: cose.payload)
        #expect(key.isValidSignature(cose.signature, for: toBeSigned, format: .raw))
    }

    @Test("CO19 and CO21: kid only unprotected, or a wrong unprotected kid beside the right protected one")
    func keyIDPlacement() throws {
        let co19 = try DCCVector.load("CO19.json").verify()
        #expect(co19.layers.cose?.protectedHeader.contains { $0.key == CBOR(CoseHeaderLabel.keyID) } == false)
        #expect(co19.reason == .valid, "\(co19.detail)")
        let co21 = try DCCVector.load("CO21.json").verify()
        #expect(co21.layers.cose?.unprotectedHeader.first { $0.key == CBOR(CoseHeaderLabel.keyID) }?.value == .bytes(Array("foo".utf8)))
        #expect(co21.reason == .valid, "\(co21.detail)")
    }

    @Test("CO28: CWT tag 61 around COSE tag 18 reads and verifies")
    func cwtTag() throws {
        let result = try DCCVector.load("CO28.json").verify()
        #expect(result.layers.cose?.tags == [CoseSign1.cwtTag, CoseSign1.tag])
        #expect(result.reason == .valid, "\(result.detail)")
    }

    @Test("CO1 and CO2: PS256 with RSA 2048 and 3072 verify")
    func ps256() throws {
        for file in ["CO1.json", "CO2.json"] {
            let result = try DCCVector.load(file).verify()
            #expect(result.layers.cose?.algorithmValue == CoseAlgorithm.ps256.rawValue, "\(file)")
            #expect(result.reason == .valid, "\(file): \(result.detail)")
        }
    }

    @Test("CO5: a 3-byte ES256 signature is a bad signature")
    func shortSignature() throws {
        let result = try DCCVector.load("CO5.json").verify()
        #expect(result.layers.cose?.signature.count == 3)
        #expect(result.reason == .badSignature, "\(result.detail)")
    }

    @Test("CBO1: the CWT is sound; only its hcert content is not a map")
    func hcertNotMap() throws {
        // DECODE false in dgc-testdata is about the hcert content (a byte string holding
        // reversed CBOR where a map belongs). The envelope below it is a well-formed, correctly
        // signed CWT, so the envelope's own answer is valid.
        let result = try DCCVector.load("CBO1.json").verify()
        let claims = try #require(result.layers.claims)
        #expect(DCCVector.hcertContent(claims)?.bytes != nil)
        #expect(result.reason == .valid, "\(result.detail)")
    }
}
