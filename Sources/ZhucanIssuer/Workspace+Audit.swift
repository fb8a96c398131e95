import Foundation
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanSigning

extension Workspace {
    /// One object whose signature did not re-verify.
    public struct AuditFailure: Sendable, Hashable {
        /// What it is: `certificate 3601…1343`, `trust list 2`, `status list 5`.
        public let object: String
        /// The reason code.
        public let reason: String
        /// A human explanation.
        public let detail: String
    }

    /// The result of re-verifying every stored signature.
    public struct SignatureAudit: Sendable {
        /// Objects checked.
        public var checked = 0
        /// Those that failed.
        public var failures: [AuditFailure] = []
    }

    /// Re-verifies the signature of every stored certificate, trust list and status list, each
    /// at its own signing time: trust lists under the root key, the rest under the issuer key
    /// that was allowed to sign at that time.
    public func auditSignatures() throws -> SignatureAudit {
        var audit = SignatureAudit()
        let anchor = try trustAnchor()
        let issuerKeys = try Self.wrap { try registry.keys(role: .issuer) }.map { stored in
            TrustList.Entry(
                key: try Self.wrap { try PublicKey(subjectPublicKeyInfo: stored.subjectPublicKeyInfo) },
                issuerCode: configuration.issuerCode, issuerName: configuration.issuerName,
                validFrom: stored.validFrom, validUntil: stored.validUntil,
                state: TrustList.Entry.State(rawValue: stored.state) ?? .revoked
            )
        }
        func check(_ object: String, text: String, signedAt: Int64, keys: [TrustList.Entry], type: ObjectType) {
            audit.checked += 1
            let configuration = EnvelopeVerifier.Configuration(validationTime: signedAt, skew: 0)
            let result = EnvelopeVerifier(keys: keys.map(\.key), configuration: configuration).verify(text)
            if !result.isValid {
                audit.failures.append(AuditFailure(object: object, reason: result.reason.rawValue, detail: result.detail))
            } else if result.layers.cose?.type != type.rawValue {
                audit.failures.append(AuditFailure(object: object, reason: "wrong_type", detail: "typ is \(result.layers.cose?.type ?? "none")"))
            } else if let signer = result.signer, let entry = keys.first(where: { $0.key == signer }), !entry.maySign(at: signedAt) {
                audit.failures.append(AuditFailure(object: object, reason: VerificationReason.keyNotValidAtSigning.rawValue,
                                                   detail: "key \(signer.keyID.hex) was not allowed to sign at \(Timestamp.iso(signedAt))"))
            }
        }
        let anchorEntry = TrustList.Entry(key: anchor, issuerCode: configuration.issuerCode, issuerName: "root",
                                          validFrom: .min, validUntil: nil, state: .active)
        for publication in try Self.wrap({ try registry.publications(.trustList) }) {
            check("trust list \(publication.sequence)", text: publication.text, signedAt: publication.issuedAt, keys: [anchorEntry], type: .trustList)
        }
        for publication in try Self.wrap({ try registry.publications(.statusList) }) {
            // A status list is binary COSE; wrap it as an envelope text to reuse the verifier.
            guard let bytes = Data(base64Encoded: publication.text), let cose = try? CoseSign1(decoding: Array(bytes)) else {
                audit.checked += 1
                audit.failures.append(AuditFailure(object: "status list \(publication.sequence)", reason: "malformed_cose", detail: "stored bytes do not decode"))
                continue
            }
            check("status list \(publication.sequence)", text: EnvelopeSealer.seal(cose), signedAt: publication.issuedAt, keys: issuerKeys, type: .statusList)
        }
        for certificate in try Self.wrap({ try registry.allCertificates() }) {
            check("certificate \(Self.maskedNumber(certificate.number)) (\(certificate.licenseID))",
                  text: certificate.code, signedAt: certificate.issuedAt, keys: issuerKeys, type: .certificate)
        }
        return audit
    }
}
