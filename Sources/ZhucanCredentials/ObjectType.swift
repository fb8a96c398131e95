import ZhucanEnvelope
import ZhucanStatusList

/// The kinds of signed object, named in the protected `typ` header of each envelope.
///
/// RFC 9596 §2: `typ` is a content type; Zhucan's are `application/zhucan-…+cwt`, and a status
/// list uses the Token Status List's own `application/statuslist+cwt`.
package enum ObjectType: String, Sendable, Hashable, CaseIterable {
    /// An electronic disability certificate (残疾人电子证照), 10 years.
    case certificate = "application/zhucan-certificate+cwt"
    /// An identity code (残疾人身份码), minutes.
    case identityCode = "application/zhucan-identity+cwt"
    /// A service code (助残服务码), minutes, optionally one-time.
    case serviceCode = "application/zhucan-service+cwt"
    /// The issuer keys verifiers trust, signed by the root key.
    case trustList = "application/zhucan-trust-list+cwt"
    /// An IETF Token Status List of certificate statuses (draft-ietf-oauth-status-list §5.2).
    case statusList = "application/statuslist+cwt"
    /// The one-thing service catalogue.
    case catalogue = "application/zhucan-catalogue+cwt"

    /// The Content-Format number the compact format (version 2) writes as `typ` instead of
    /// the media type (RFC 9596 §2; CoAP Content-Formats 65000–65535 are for experimental
    /// use, RFC 7252 §12.3), for the objects that travel compact.
    package var contentFormat: UInt64? {
        switch self {
        case .certificate: 65_000
        case .identityCode: 65_001
        case .serviceCode: 65_002
        default: nil
        }
    }

    /// The object type a COSE_Sign1's protected `typ` names, by media type or Content-Format.
    package init?(of cose: CoseSign1) {
        if let number = cose.contentFormat {
            guard let type = Self.allCases.first(where: { $0.contentFormat == number }) else { return nil }
            self = type
        } else if let text = cose.type {
            self.init(rawValue: text)
        } else {
            return nil
        }
    }

    /// A short name for people.
    package var name: String {
        switch self {
        case .certificate: "certificate"
        case .identityCode: "identity code"
        case .serviceCode: "service code"
        case .trustList: "trust list"
        case .statusList: "status list"
        case .catalogue: "catalogue"
        }
    }
}
