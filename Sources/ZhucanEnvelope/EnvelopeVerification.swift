import ZhucanSigning

/// The answer of an `EnvelopeVerifier`: a reason code (not an error), a human detail, what
/// was read, which key signed, and the clock used.
package struct EnvelopeVerification: Sendable {
    /// Why the envelope is or is not valid.
    package let reason: VerificationReason
    /// A human explanation.
    package let detail: String
    /// The layers as far as they were read.
    package let layers: EnvelopeLayers
    /// The key whose signature verified, if one did.
    package let signer: PublicKey?
    /// The validation clock and limits used.
    package let configuration: EnvelopeVerifier.Configuration

    /// Whether every check passed.
    package var isValid: Bool { reason == .valid }
}
