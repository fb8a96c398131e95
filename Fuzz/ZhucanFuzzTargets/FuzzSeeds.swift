import Foundation
import ZhucanCBOR
import ZhucanCertLogic
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanSigning
import ZhucanSpreadsheet
import ZhucanStatusList
import ZhucanTransparency

/// Valid objects for every target, made the way the issuer makes them (`zhucan-fuzz seed DIR`):
/// the fuzzer starts from inputs that reach deep into each decoder, not only from noise.
package enum FuzzSeeds {
    /// The trust-list entry the `envelope` target expands compact codes with: what matters is
    /// its issuer, `ltc` and `slb`, not its key.
    static let compactSigner = TrustList.Entry(
        key: try! PrivateKey.generate(.ed25519).publicKey, issuerCode: "11330482MB1234567N", issuerName: "平湖市残疾人联合会",
        validFrom: 0, validUntil: nil, state: .active, licenseTypeCode: "11100000MB0000001T001",
        statusListBase: "https://zhucan.example/v1/status-lists/"
    )

    /// Seeds by target name.
    package static func make() throws -> [String: [[UInt8]]] {
        var seeds: [String: [[UInt8]]] = [:]
        let now: Int64 = 1_798_732_800
        for algorithm in [SignatureAlgorithm.sm2, .es256, .ed25519] {
            let key = try PrivateKey.generate(algorithm)
            var claims = CWTClaims(issuer: "11330482MB1234567N", expiration: now + 300, issuedAt: now)
            claims.cwtID = Array(repeating: 7, count: 16)
            claims.otherClaims = [CBOR.Pair(key: CBOR(-65_537), value: .map([CBOR.Pair(key: CBOR("n"), value: CBOR("王*明"))]))]
            let code = try EnvelopeSealer.seal(claims, type: "application/zhucan-identity+cwt", key: key)
            seeds["envelope", default: []].append(Array(code.utf8))
            let base45 = String(code.drop { $0 != ":" }.dropFirst())
            seeds["base45", default: []].append(Array(base45.utf8))
            let deflated = try Base45.decode(base45)
            seeds["inflate", default: []].append(deflated)
            let cose = try Zlib.decompress(deflated, maxOutput: 1 << 16)
            seeds["cose-sign1", default: []].append(cose)
            seeds["cbor", default: []].append(cose)
            seeds["cwt-claims", default: []].append(claims.cbor.encoded())

            let entry = TrustList.Entry(key: key.publicKey, issuerCode: "11330482MB1234567N", issuerName: "平湖市残疾人联合会", validFrom: now,
                                        validUntil: nil, state: .active, licenseTypeCode: compactSigner.licenseTypeCode,
                                        statusListBase: compactSigner.statusListBase)

            // Compact codes (Docs/format.md §15), as the issuer mints them.
            let status = try StatusReference(index: 5, uri: "https://zhucan.example/v1/status-lists/1")
            let reference = "1.2.156.3005.2.11100000MB0000001T001.11330482MB1234567N.20261203000001.001.X"
            let agent = CodeAgent(maskedName: "张*", relation: .guardian)
            let identity = IdentityCode(
                certificateReference: reference, maskedName: "王*明", disclosed: (.physical, .three), status: status,
                issuerCode: "11330482MB1234567N", issuedAt: now, expiresAt: now + 300, nonce: Array(repeating: 7, count: 8), agent: agent
            )
            let service = ServiceCode(
                certificateReference: reference, services: ["free-bus"], catalogueVersion: "pinghu-2026.4", isOneTime: true,
                facts: ["holder.birthDate": .text("1970-11-21"), "household.lowIncome": .bool(true)], status: status,
                issuerCode: "11330482MB1234567N", issuedAt: now, expiresAt: now + 600, nonce: Array(repeating: 9, count: 8)
            )
            for (claims, type) in [(identity.compactClaims, ObjectType.identityCode), (service.compactClaims, .serviceCode)] {
                guard let claims, let format = type.contentFormat else { continue }
                seeds["envelope", default: []].append(Array(try EnvelopeSealer.sealCompact(claims, contentFormat: format, key: key).utf8))
            }
            let list = TrustList(sequence: 1, entries: [entry], issuerCode: "11330482MB1234567N", issuedAt: now, expiresAt: now + 86_400)
            seeds["trust-list", default: []].append(list.claims.cbor.encoded())

            var statuses = try StatusList(bits: 2, count: 1_024)
            try statuses.set(2, at: 5)
            let token = try StatusListToken(statusList: statuses, uri: "https://zhucan.example/v1/status-lists/1", issuedAt: now,
                                            expiration: now + 86_400, timeToLive: 3_600, issuer: "11330482MB1234567N")
            seeds["status-list", default: []].append(try token.signed(with: key).encoded(tagged: true))
            seeds["key-file", default: []].append(try key.pemRepresentation())
            seeds["key-file", default: []].append(Array(key.publicKey.pemRepresentation.utf8))
        }
        let logKey = try PrivateKey.generate(.ed25519)
        let checkpoint = try Checkpoint(origin: "zhucan.example/330482/log", size: 9, rootHash: Array(repeating: 0xAB, count: 32))
        seeds["checkpoint"] = [Array(checkpoint.text.utf8)]
        let note = try SignedNote(text: checkpoint.text, signers: [NoteSigner(keyName: "zhucan.example/330482/log", privateKey: logKey)])
        seeds["signed-note"] = [note.encoded]
        seeds["log-record"] = [
            LogRecord(event: .issued, at: now, licenseID: "1.2.156.3005.2.x", otherLicenseID: "1.2.156.3005.2.y", object: "ZC1:…", reason: "batch").encoded,
            LogRecord(event: .statusListPublished, at: now, object: "AAEC", sequence: 7).encoded,
        ]
        seeds["batch-file"] = [
            Array("name,id_number,category,level,region,ssc_card_number,valid_from\n王小明,360121197011210013,4,3,330482,A12345678,2026-01-01\n".utf8),
            Array("\u{FEFF}姓名,身份证号,残疾类别,残疾等级,户籍地\r\n=1+1,36012119701121001X,肢体,三级,330482\r\n\"李,四\",360426199101010071,9,1,33048\r\n".utf8),
        ]
        seeds["worksheet"] = [
            Array(#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>身份证号</t></is></c><c r="C1" s="1"/></row><row r="2" hidden="0"><c r="A2" t="s"><v>1</v></c><c r="B2" t="str"><v>360121197011210013</v></c><c r="C2" t="e"><f>A1</f><v>#N/A</v></c><c r="E2" t="b"><v>1</v></c></row><row r="4"><c t="s"><v>2</v></c><c><v>3.30482199001011E+17</v></c></row></sheetData></worksheet>"#.utf8),
        ]
        let rule = #"{"and":[{"in":[{"var":"holder.category"},[1,2,3,4,5,6,7]]},{"<=":[{"var":"holder.level"},2]},{"var":"household.dibaoEdge"}]}"#
        let data = #"{"holder":{"category":4,"level":1,"age":40},"household":{"dibaoEdge":true}}"#
        seeds["certlogic"] = [Array(rule.utf8) + [0] + Array(data.utf8)]
        seeds["json-body"] = [Array(#"{"code": "ZC1:6BFOXN*TS0BI$ZD4N9:9S6RCVN5+O30K3/XIV0W23NTDEXWK G2EP4J0B3KL6QM5/OVGA/MAT%ZSGO0H*4GR21%05ZOU1NH$QX%3OAG", "service": "free-bus"}"#.utf8)]
        return seeds
    }
}
