import ZhucanSigning

/// The answer of an `EnvelopeVerifier`: a reason code (not an error), a human detail, what
/// was read, which key signed, and the clock used.
package struct EnvelopeVerification: Sendable {
    /// Why the envelope is or is not valid.
    package let reason: VerificationReason
    /// A human explanation.
    package var detail: String {
        if let failureDetail { return failureDetail }
        // Written only when asked for: a service answering thousands of valid codes a second
        // mostly is not.
        let keyID = layers.cose?.keyID?.hex ?? "?"
        let algorithm = layers.cose?.algorithmValue.flatMap(CoseAlgorithm.init(rawValue:))?.name ?? "?"
        return "signed by key \(keyID) (\(algorithm))"
    }
    /// The explanation of a failure; `nil` for a valid envelope.
    private let failureDetail: String?
    /// The layers as far as they were read.
    package let layers: EnvelopeLayers
    /// The key whose signature verified, if one did.
    package let signer: PublicKey?
    /// The validation clock and limits used.
    package let configuration: EnvelopeVerifier.Configuration

    /// An answer: `detail` is kept for every reason but `.valid`, whose detail is written
    /// from the layers when asked for.
    package init(reason: VerificationReason, detail: String, layers: EnvelopeLayers, signer: PublicKey?, configuration: EnvelopeVerifier.Configuration) {
        self.reason = reason
        self.failureDetail = reason == .valid ? nil : detail
        self.layers = layers
        self.signer = signer
        self.configuration = configuration
    }

    /// Whether every check passed.
    package var isValid: Bool { reason == .valid }
}
