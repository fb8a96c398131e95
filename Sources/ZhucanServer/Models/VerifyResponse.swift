import ZhucanCredentials
import ZhucanEnvelope

/// The answer of `POST /v1/verify`: always 200, `valid` and a reason from the closed set of
/// `VerificationReason`.
package struct VerifyResponse: Encodable, Sendable {
    /// What a verifier may see of the holder: the masked name, and category and level only
    /// when the code carries them (the holder chose to show them).
    struct Holder: Encodable, Sendable {
        let name: String?
        let category: Int?
        let level: Int?
    }

    /// A service code's entitlement check against the catalogue.
    struct Service: Encodable, Sendable {
        let id: String
        let name: String?
        let entitled: Bool
        let failedClause: String?
    }

    let valid: Bool
    let reason: String
    let detail: String
    /// `certificate`, `identity_code` or `service_code`, once the signed type is known.
    let type: String?
    let holder: Holder
    let service: Service?
    /// For a service code: whether it must be redeemed (one-time).
    let oneTime: Bool?
    let catalogueVersion: String?
    /// For a certificate: the index of its issuance in the transparency log, for
    /// `GET /v1/log/proof/inclusion`.
    let logIndex: UInt64?
    /// The validation time, ISO 8601 UTC.
    let checkedAt: String
    let requestId: String

    /// The answer for a verification result.
    package init(_ result: CredentialVerification, logIndex: UInt64? = nil, requestID: String) {
        valid = result.isValid
        reason = result.reason.rawValue
        detail = result.detail
        type = result.objectType.flatMap(Self.typeName)
        let disclosed = result.credential?.disclosedCategoryAndLevel
        holder = Holder(name: result.credential?.maskedName, category: disclosed?.category, level: disclosed?.level)
        service = result.service.map { Service(id: $0.id, name: $0.name, entitled: $0.isEntitled, failedClause: $0.failedClause) }
        if case .serviceCode(let code) = result.credential { oneTime = code.isOneTime } else { oneTime = nil }
        catalogueVersion = result.service?.catalogueVersion
        self.logIndex = logIndex
        checkedAt = Timestamp.iso(result.validationTime)
        requestId = requestID
    }

    /// The answer's JSON, as `JSONResponse.make(self)` would write it (members in sorted order).
    package var json: [UInt8] {
        var writer = JSONObjectWriter()
        writer.member("catalogueVersion", catalogueVersion)
        writer.member("checkedAt", checkedAt)
        writer.member("detail", detail)
        writer.member("holder") { holder in
            holder.member("category", self.holder.category)
            holder.member("level", self.holder.level)
            holder.member("name", self.holder.name)
        }
        writer.member("logIndex", logIndex)
        writer.member("oneTime", oneTime)
        writer.member("reason", reason)
        writer.member("requestId", requestId)
        if let service {
            writer.member("service") { object in
                object.member("entitled", service.entitled)
                object.member("failedClause", service.failedClause)
                object.member("id", service.id)
                object.member("name", service.name)
            }
        }
        writer.member("type", type)
        writer.member("valid", valid)
        return writer.finished()
    }

    static func typeName(_ type: ObjectType) -> String? {
        switch type {
        case .certificate: "certificate"
        case .identityCode: "identity_code"
        case .serviceCode: "service_code"
        default: nil
        }
    }
}
