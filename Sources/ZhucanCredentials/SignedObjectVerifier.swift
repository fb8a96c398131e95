import ZhucanCBOR
import ZhucanEnvelope
import ZhucanSigning

/// The one way a Zhucan signed object is verified — a certificate or code, a trust list, a
/// status list token, a catalogue — by the CLI, the issuer's service, every node and the
/// auditor: read the envelope (RFC 9052 COSE_Sign1 carrying RFC 8392 CWT claims), check the
/// signature under the keys trusted for it, then apply the policies in order. The first
/// that fails is the answer, from the closed set of `VerificationReason`.
///
/// Policies compose as swift-certificates' `VerifierPolicy` does: each looks at the object
/// and its signer and passes or refuses with a reason. A type policy looks only at the
/// protected header and is applied before the signature (a mistyped object is refused
/// without the cost of a signature check); the rest need the verified claims.
package struct SignedObjectVerifier: Sendable {
    /// One check of a signed object.
    package enum Policy: Sendable, Hashable {
        /// The protected header's `typ` is one of these (RFC 9596) — else `malformed_cose`.
        case type(Set<ObjectType>)
        /// `iat`, `nbf` and `exp` hold at `time`, with `skew` seconds in the holder's favour —
        /// else `not_yet_valid` or `expired`.
        case validAt(Int64, skew: Int64)
        /// The object was not signed after `time` + `skew`: a list whose expiry is judged
        /// later — else `not_yet_valid`.
        case signedBy(Int64, skew: Int64)
        /// The signing key was allowed to sign at the object's own `iat` (at `fallback` when
        /// it has none) — else `key_not_valid_at_signing`.
        case keyMaySignAtIssuance(fallback: Int64)
        /// The signing key was allowed to sign at `time` (a log entry's time) — else
        /// `key_not_valid_at_signing`.
        case keyMaySign(at: Int64)
    }

    /// What a verification came to.
    package struct Result: Sendable {
        package let reason: VerificationReason
        package let detail: String
        /// The envelope as far as it was read.
        package let layers: EnvelopeLayers
        /// The trusted key that signed it, once the signature verified.
        package let signer: TrustList.Entry?

        package var isValid: Bool { reason == .valid }
        /// The verified claims; `nil` unless every check passed.
        package var claims: CWTClaims? { isValid ? layers.claims : nil }
        /// The signed `typ`, once the envelope is read.
        package var type: ObjectType? { layers.cose.flatMap(ObjectType.init(of:)) }
    }

    /// The keys trusted for these objects, with the times each may sign.
    package let keys: [TrustList.Entry]
    package let policies: [Policy]
    package let limits: EnvelopeLayers.Limits

    package init(keys: [TrustList.Entry], policies: [Policy], limits: EnvelopeLayers.Limits = .init()) {
        self.keys = keys
        self.policies = policies
        self.limits = limits
    }

    /// Keys that may sign at any time: trust anchors (root keys).
    package static func anchors(_ keys: [PublicKey]) -> [TrustList.Entry] {
        keys.map { TrustList.Entry(key: $0, issuerCode: "", issuerName: "trust anchor", validFrom: .min, validUntil: nil, state: .active) }
    }

    /// Verifies envelope text (`ZC1:`, `HC1:` …).
    package func verify(_ text: String) -> Result {
        verify(EnvelopeLayers(reading: text, limits: limits))
    }

    /// Verifies a binary COSE_Sign1 (a status list token).
    package func verify(cose bytes: [UInt8]) -> Result {
        verify(EnvelopeLayers(decodingCOSE: bytes, limits: limits))
    }

    /// Verifies an envelope already read.
    package func verify(_ layers: EnvelopeLayers) -> Result {
        func answer(_ reason: VerificationReason, _ detail: String, signer: TrustList.Entry? = nil) -> Result {
            Result(reason: reason, detail: detail, layers: layers, signer: signer)
        }
        if let cose = layers.cose {
            let type = ObjectType(of: cose)
            for case .type(let allowed) in policies {
                guard let type, allowed.contains(type) else {
                    let names = allowed.map(\.rawValue).sorted().joined(separator: " or ")
                    return answer(.malformedCOSE, "typ \(cose.typeDescription ?? "(none)") is not \(names)")
                }
            }
        }
        let envelope = EnvelopeVerifier(keys: keys.map(\.key), configuration: .init(validationTime: 0, limits: limits)).verifySignature(layers)
        guard envelope.isValid, let claims = layers.claims, let key = envelope.signer,
            let signer = keys.first(where: { $0.key == key })
        else {
            return answer(envelope.reason, envelope.detail)
        }
        for policy in policies {
            switch policy {
            case .type:
                continue
            case .validAt(let time, let skew):
                if let failure = claims.timeFailure(at: time, skew: skew) { return answer(failure.reason, failure.detail, signer: signer) }
            case .signedBy(let time, let skew):
                if let issuedAt = claims.issuedAt, issuedAt > time + skew {
                    return answer(.notYetValid, "signed at \(Timestamp.iso(issuedAt)), after \(Timestamp.iso(time))", signer: signer)
                }
            case .keyMaySignAtIssuance(let fallback):
                let signedAt = claims.issuedAt ?? fallback
                guard signer.maySign(at: signedAt) else { return keyRefusal(signer, at: signedAt, layers) }
            case .keyMaySign(let time):
                guard signer.maySign(at: time) else { return keyRefusal(signer, at: time, layers) }
            }
        }
        // The envelope's own answer ("signed by key … (alg)") says it already.
        return answer(.valid, envelope.detail, signer: signer)
    }

    private func keyRefusal(_ signer: TrustList.Entry, at time: Int64, _ layers: EnvelopeLayers) -> Result {
        Result(
            reason: .keyNotValidAtSigning,
            detail: signer.state == .revoked
                ? "key \(signer.key.keyID.hex) is revoked: nothing it signed is accepted"
                : "key \(signer.key.keyID.hex) was not allowed to sign at \(Timestamp.iso(time))",
            layers: layers, signer: signer
        )
    }
}
