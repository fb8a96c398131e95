import ZhucanSigning

/// Verifies envelopes against a set of trusted public keys and an explicit validation clock.
///
/// Order of checks (the first failure is the answer): the layers up to the COSE structure
/// (`EnvelopeLayers`), then `kid` → candidate keys, `alg` against each key's type, the
/// signature, then the payload's claims, and only then `nbf` / `iat` / `exp` — so a skewed
/// clock is reported as a time problem, and altered signed content as a bad signature.
package struct EnvelopeVerifier: Sendable {
    /// How to verify.
    package struct Configuration: Sendable, Hashable {
        /// The validation time, seconds since the epoch (the caller states which clock).
        package var validationTime: Int64
        /// Tolerated clock difference in seconds, in the holder's favour.
        package var skew: Int64
        /// Limits for reading untrusted input.
        package var limits: EnvelopeLayers.Limits

        /// The default skew: two minutes, small beside an identity code's few-minute lifetime.
        package static let defaultSkew: Int64 = 120

        /// Makes a configuration.
        package init(validationTime: Int64, skew: Int64 = defaultSkew, limits: EnvelopeLayers.Limits = .init()) {
            self.validationTime = validationTime
            self.skew = skew
            self.limits = limits
        }
    }

    /// The trusted keys.
    package let keys: [PublicKey]
    /// How to verify.
    package let configuration: Configuration

    /// Makes a verifier trusting `keys`.
    package init(keys: [PublicKey], configuration: Configuration) {
        self.keys = keys
        self.configuration = configuration
    }

    /// Reads and verifies `text`.
    package func verify(_ text: String) -> EnvelopeVerification {
        verify(EnvelopeLayers(reading: text, limits: configuration.limits))
    }

    /// Verifies an envelope already read: its signature, then its times.
    package func verify(_ layers: EnvelopeLayers) -> EnvelopeVerification {
        let signed = verifySignature(layers)
        guard signed.isValid, let claims = layers.claims else { return signed }
        if let failure = claims.timeFailure(at: configuration.validationTime, skew: configuration.skew) {
            return EnvelopeVerification(reason: failure.reason, detail: failure.detail, layers: layers, signer: signed.signer, configuration: configuration)
        }
        return signed
    }

    /// Verifies an envelope's signature under the keys and reads its claims, leaving its
    /// times (`iat`, `nbf`, `exp`) to the caller: a list whose expiry is judged at each use, an
    /// object audited at its own signing time.
    package func verifySignature(_ layers: EnvelopeLayers) -> EnvelopeVerification {
        func answer(_ reason: VerificationReason, _ detail: String, signer: PublicKey? = nil) -> EnvelopeVerification {
            EnvelopeVerification(reason: reason, detail: detail, layers: layers, signer: signer, configuration: configuration)
        }
        guard let cose = layers.cose else {
            return answer(layers.failure?.reason ?? .malformedCOSE, layers.failure?.detail ?? "the envelope was not read")
        }
        guard let keyID = cose.keyID else {
            return answer(.unknownKey, "the code has no kid header")
        }
        // A kid is a hint: 8 bytes can collide, so every key with this id is tried. A compact
        // code (ZC2) names its key by the first 4 bytes of the id.
        let isShortKeyID = layers.prefix?.isCompact == true && keyID.bytes.count == CoseSign1.compactKeyIDLength
        let candidates = keys.lazy.filter { $0.isNamed(by: keyID) || isShortKeyID && $0.keyID.bytes.starts(with: keyID.bytes) }
        guard let firstCandidate = candidates.first else {
            return answer(.unknownKey, "no trusted key has kid \(keyID.hex)")
        }
        guard let value = cose.algorithmValue, let algorithm = CoseAlgorithm(rawValue: value) else {
            return answer(.algorithmMismatch, "the protected header has no supported alg (\(cose.algorithmValue.map(String.init) ?? "none"))")
        }
        let matching = candidates.filter { $0.algorithm == algorithm.signatureAlgorithm }
        guard matching.first != nil else {
            return answer(.algorithmMismatch, "alg \(algorithm.name) does not match the \(firstCandidate.algorithm.rawValue) key \(keyID.hex)")
        }
        guard let signer = matching.first(where: { cose.isValidSignature(with: $0) }) else {
            return answer(.badSignature, "the \(algorithm.name) signature does not verify with key \(keyID.hex)")
        }
        // The payload's claims are judged only once its signature verified (hcert spec, "Input
        // Data Validation": the signature "SHALL also be verified before any processing of the
        // contents"): a payload altered in transit is a bad signature, never a damaged code.
        if let failure = layers.failure { return answer(failure.reason, failure.detail, signer: signer) }
        guard case .some = layers.claims else {
            return answer(.malformedCBOR, "the payload was not read", signer: signer)
        }
        return answer(.valid, "signed by key \(keyID.hex) (\(algorithm.name))", signer: signer)
    }
}
