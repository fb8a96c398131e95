import ZhucanSigning

/// The answer of an `EnvelopeVerifier`: a reason code (not an error), a human detail, what
/// was read, which key signed, and the clock used.
public struct EnvelopeVerification: Sendable {
    /// Why the envelope is or is not valid.
    public let reason: VerificationReason
    /// A human explanation.
    public let detail: String
    /// The layers as far as they were read.
    public let layers: EnvelopeLayers
    /// The key whose signature verified, if one did.
    public let signer: PublicKey?
    /// The validation clock and limits used.
    public let configuration: EnvelopeVerifier.Configuration

    /// Whether every check passed.
    public var isValid: Bool { reason == .valid }
}
