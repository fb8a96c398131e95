import Foundation
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanRegistry
import ZhucanSigning

extension Workspace {
    /// One object whose signature did not re-verify.
    package struct AuditFailure: Sendable, Hashable {
        /// What it is: `certificate 3601…1343`, `trust list 2`, `status list 5`.
        package let object: String
        /// The reason code.
        package let reason: String
        /// A human explanation.
        package let detail: String
    }

    /// The result of re-verifying every stored signature.
    package struct SignatureAudit: Sendable {
        /// Objects checked.
        package var checked = 0
        /// Those that failed.
        package var failures: [AuditFailure] = []
    }

    /// Re-verifies the signature of every stored certificate, trust list and status list, each
    /// at its own signing time: trust lists under the root key, the rest under the issuer key
    /// that was allowed to sign at that time.
    ///
    /// A revoked key counts here as retired: what the registry holds, this issuer signed
    /// (a copy's signatures are not in it), and the question is whether it was changed since.
    /// Verifiers refuse it all the same; `zhucan reissue` signs it again.
    package func auditSignatures() throws -> SignatureAudit {
        var audit = SignatureAudit()
        let anchor = try trustAnchor()
        let issuerKeys = try issuerKeysAsSigned()
        func check(_ object: String, layers: EnvelopeLayers, signedAt: Int64, keys: [TrustList.Entry], type: ObjectType) {
            audit.checked += 1
            if let failure = Self.auditFailure(object, layers: layers, signedAt: signedAt, keys: keys, type: type) {
                audit.failures.append(failure)
            }
        }
        let anchorEntries = SignedObjectVerifier.anchors([anchor])
        for publication in try Self.wrap({ try registry.publications(.trustList) }) {
            check("trust list \(publication.sequence)", layers: EnvelopeLayers(reading: publication.text), signedAt: publication.issuedAt,
                  keys: anchorEntries, type: .trustList)
        }
        for publication in try Self.wrap({ try registry.publications(.statusList) }) {
            guard let bytes = Data(base64Encoded: publication.text) else {
                audit.checked += 1
                audit.failures.append(AuditFailure(object: "status list \(publication.sequence)", reason: "malformed_cose", detail: "stored text is not base64"))
                continue
            }
            check("status list \(publication.sequence)", layers: EnvelopeLayers(decodingCOSE: Array(bytes)), signedAt: publication.issuedAt,
                  keys: issuerKeys, type: .statusList)
        }
        // Certificates a block at a time, each block's signatures on every core, failures in
        // issuance order.
        var block: [StoredCertificate] = []
        block.reserveCapacity(Self.auditBlockSize)
        func checkBlock() {
            let failures = SignedObjectVerifier.onEveryCore(block) { (certificate: StoredCertificate) -> AuditFailure? in
                let layers = EnvelopeLayers(reading: certificate.code)
                // Genuine, and the row that codes are made from says what it says. (The name is
                // made only for a failure.)
                return Self.auditFailure(Self.auditName(certificate), layers: layers, signedAt: certificate.issuedAt, keys: issuerKeys, type: .certificate)
                    ?? Self.rowFailure(Self.auditName(certificate), certificate, layers: layers, keys: issuerKeys)
            }
            audit.checked += block.count
            audit.failures += failures.compactMap { $0 }
            block.removeAll(keepingCapacity: true)
        }
        try Self.wrap {
            try registry.forEachCertificate { certificate in
                block.append(certificate)
                if block.count == Self.auditBlockSize { checkBlock() }
            }
        }
        checkBlock()
        return audit
    }

    /// How a failure names a certificate: its number masked, and its e-licence id.
    private static func auditName(_ certificate: StoredCertificate) -> String {
        "certificate \(maskedNumber(certificate.number)) (\(certificate.licenseID))"
    }

    /// Why the row `stored` does not say what its certificate (`layers`, verified) says, or
    /// `nil` when it does (`rowDifferences`): `row_mismatch`, a row edited behind the
    /// application, from which no code is signed.
    private static func rowFailure(
        _ object: @autoclosure () -> String, _ stored: StoredCertificate, layers: EnvelopeLayers, keys: [TrustList.Entry]
    ) -> AuditFailure? {
        guard let differing = rowDifferences(stored, layers: layers, keys: keys) else {
            return AuditFailure(object: object(), reason: "malformed_content", detail: "the certificate does not decode")
        }
        guard !differing.isEmpty else { return nil }
        return AuditFailure(
            object: object(), reason: "row_mismatch",
            detail: "the registry's row does not say what its certificate says (\(differing.joined(separator: ", "))): edited behind the application; no code is signed from it"
        )
    }

    /// Every issuer key of the registry as a trust-list entry of this issuer, a revoked one as
    /// retired: what the registry holds, this issuer signed, each key while it was allowed to.
    /// A compact certificate is read with its signer's entry.
    func issuerKeysAsSigned() throws -> [TrustList.Entry] {
        try Self.wrap { try registry.keys(role: .issuer) }.map { stored in
            TrustList.Entry(
                key: try Self.wrap { try PublicKey(subjectPublicKeyInfo: stored.subjectPublicKeyInfo) },
                issuerCode: configuration.issuerCode, issuerName: configuration.issuerName,
                validFrom: stored.validFrom, validUntil: stored.validUntil,
                state: stored.state == "revoked" ? .retired : TrustList.Entry.State(rawValue: stored.state) ?? .revoked,
                licenseTypeCode: configuration.licenseTypeCode,
                statusListBase: TrustList.Entry.statusListBase(of: configuration.statusListURI)
            )
        }
    }

    /// Certificates read before their signatures are checked on every core: enough to keep
    /// the cores busy, few enough to hold (some 4 MB).
    static let auditBlockSize = 4_096

    /// Why `layers` does not re-verify as an object of `type` signed at `signedAt` by one of
    /// `keys`, or `nil` when it does. `object` names it, and is made only for a failure:
    /// masking a certificate's number for every valid one had been 3% of an ES256 audit.
    private static func auditFailure(
        _ object: @autoclosure () -> String, layers: EnvelopeLayers, signedAt: Int64, keys: [TrustList.Entry], type: ObjectType
    ) -> AuditFailure? {
        // A certificate may take effect after it was signed (`--valid-from`): it must only have
        // been signed by then. A list is in force from when it is signed.
        let time: SignedObjectVerifier.Policy = type == .certificate ? .signedBy(signedAt, skew: 0) : .validAt(signedAt, skew: 0)
        let result = SignedObjectVerifier(keys: keys, policies: [.type([type]), time, .keyMaySign(at: signedAt)])
            .verify(layers)
        return result.isValid ? nil : AuditFailure(object: object(), reason: result.reason.rawValue, detail: result.detail)
    }
}
