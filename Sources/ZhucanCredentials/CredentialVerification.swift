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
    /// For a service code checked against a catalogue: the entitlement.
    public let service: ServiceCheck?

    /// A service code's entitlement check.
    public struct ServiceCheck: Sendable, Hashable {
        /// Service id.
        public let id: String
        /// Its Chinese name, if the catalogue has it.
        public let name: String?
        /// The catalogue version used.
        public let catalogueVersion: String
        /// Whether the rule holds.
        public let isEntitled: Bool
        /// The first failing clause (JSON path and the clause), when not entitled.
        public let failedClause: String?
    }

    /// Whether every check passed.
    public var isValid: Bool { reason == .valid }
}
