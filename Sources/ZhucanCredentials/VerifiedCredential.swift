/// The content of a verified certificate or code.
package enum VerifiedCredential: Sendable {
    case certificate(DisabilityCertificate)
    case identityCode(IdentityCode)
    case serviceCode(ServiceCode)

    /// The holder's name as a verifier may see it: always masked (王*明); a service code
    /// carries no name.
    package var maskedName: String? {
        switch self {
        case .certificate(let certificate): certificate.holderName.masked
        case .identityCode(let code): code.maskedName
        case .serviceCode: nil
        }
    }

    /// Category and level, when the object discloses them.
    package var disclosedCategoryAndLevel: (category: Int, level: Int)? {
        switch self {
        case .certificate(let certificate): (certificate.category.rawValue, certificate.level.rawValue)
        case .identityCode(let code): code.disclosed.map { ($0.category.rawValue, $0.level.rawValue) }
        case .serviceCode: nil
        }
    }

    /// The USCC of the issuer the object names (`iss`; a compact object's is its key's).
    package var issuerCode: String {
        switch self {
        case .certificate(let certificate): certificate.issuerCode.value
        case .identityCode(let code): code.issuerCode
        case .serviceCode(let code): code.issuerCode
        }
    }

    /// The agent who shows a code minted on an agent's device.
    package var agent: CodeAgent? {
        switch self {
        case .certificate: nil
        case .identityCode(let code): code.agent
        case .serviceCode(let code): code.agent
        }
    }
}
