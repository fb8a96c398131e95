import ZhucanEnvelope
import ZhucanSigning

/// The answer of a `CredentialVerifier`: a reason code, a human detail, what was verified,
/// and the clock and lists used — never an error.
public struct CredentialVerification: Sendable {
    /// Why the code is or is not valid.
    public let reason: VerificationReason
    /// A human explanation.
    public let detail: String
    /// The object type from the signed `typ` header, once known.
    public let objectType: ObjectType?
    /// The decoded content, once the signature verified.
    public let credential: VerifiedCredential?
    /// The signing key id, once known.
    public let keyID: KeyID?
    /// The validation time used.
    public let validationTime: Int64
    /// When the trust list used expires.
    public let trustListExpiresAt: Int64?
    /// When the status list used expires.
    public let statusListExpiresAt: Int64?

    /// Whether every check passed.
    public var isValid: Bool { reason == .valid }
}
