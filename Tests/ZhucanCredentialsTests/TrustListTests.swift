import Testing
import ZhucanCBOR
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanSigning

/// Reading a trust list's entries as another producer may write them.
@Suite("TrustList: entries as written")
struct TrustListTests {
    /// The claims of a list with one entry for `key`, its `alg` replaced by `algorithm`.
    static func claims(for key: PrivateKey, algorithm: Int64) -> CWTClaims {
        let entry = TrustList.Entry(key: key.publicKey, issuerCode: "11330482MB1234567N", issuerName: "x", validFrom: 0, validUntil: nil, state: .active)
        var claims = TrustList(sequence: 1, entries: [entry], issuerCode: "11330482MB1234567N", issuedAt: 0, expiresAt: 100).claims
        guard case .map(var content) = claims.otherClaims[0].value,
            let keys = content.firstIndex(where: { $0.key == .text("keys") }),
            case .array(let entries) = content[keys].value, case .map(var fields) = entries[0],
            let alg = fields.firstIndex(where: { $0.key == .text("alg") })
        else { return claims }
        fields[alg].value = CBOR(algorithm)
        content[keys].value = .array([.map(fields)])
        claims.otherClaims[0].value = .map(content)
        return claims
    }

    @Test("An entry's alg may be the polymorphic identifier or the fully specified one of RFC 9864; another key's is refused")
    func fullySpecifiedAlgorithms() throws {
        let es256 = try PrivateKey.generate(.es256), ed25519 = try PrivateKey.generate(.ed25519)
        for (key, algorithm) in [(es256, CoseAlgorithm.es256), (es256, .esp256), (ed25519, .edDSA), (ed25519, .ed25519)] {
            let list = try TrustList(claims: Self.claims(for: key, algorithm: algorithm.rawValue))
            #expect(list.entries.first?.key == key.publicKey, "\(algorithm)")
        }
        for (key, algorithm) in [(es256, CoseAlgorithm.ed25519), (ed25519, .esp256), (es256, .sm2sm3)] {
            #expect(throws: CredentialError.self, "\(algorithm)") { try TrustList(claims: Self.claims(for: key, algorithm: algorithm.rawValue)) }
        }
        #expect(throws: CredentialError.self) { try TrustList(claims: Self.claims(for: es256, algorithm: -3)) }
    }
}
