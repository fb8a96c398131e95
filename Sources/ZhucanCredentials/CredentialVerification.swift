import ZhucanEnvelope
import ZhucanSigning

/// The answer of a `CredentialVerifier`: a reason code, a human detail, what was verified,
/// and the clock and lists used — never an error.
package struct CredentialVerification: Sendable {
    /// Why the code is or is not valid.
    package let reason: VerificationReason
    /// A human explanation.
    package let detail: String
    /// The object type from the signed `typ` header, once known.
    package let objectType: ObjectType?
    /// The decoded content, once the signature verified.
    package let credential: VerifiedCredential?
    /// The signing key id, once known.
    package let keyID: KeyID?
    /// The validation time used.
    package let validationTime: Int64
    /// When the trust list used expires.
    package let trustListExpiresAt: Int64?
    /// When the status list used expires.
    package let statusListExpiresAt: Int64?
    /// For a service code checked against a catalogue: the entitlement.
    package let service: ServiceCheck?

    /// A service code's entitlement check.
    package struct ServiceCheck: Sendable, Hashable {
        /// Service id.
        package let id: String
        /// Its Chinese name, if the catalogue has it.
        package let name: String?
        /// The catalogue version used.
        package let catalogueVersion: String
        /// Whether the rule holds.
        package let isEntitled: Bool
        /// The first failing clause (JSON path and the clause), when not entitled.
        package let failedClause: String?
        /// That clause in words, Chinese then English, when its shape is known.
        package var failedReason: String? = nil
    }

    /// Whether every check passed.
    package var isValid: Bool { reason == .valid }
}
