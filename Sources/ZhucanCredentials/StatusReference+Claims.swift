import ZhucanEnvelope
import ZhucanStatusList

extension StatusReference {
    /// The `status` claim of a certificate or code, which every one of them must carry.
    static func required(in claims: CWTClaims) throws(CredentialError) -> StatusReference {
        do {
            return try StatusReference(claims: claims)
        } catch {
            throw CredentialError(.malformedContent, error.reason)
        }
    }
}
