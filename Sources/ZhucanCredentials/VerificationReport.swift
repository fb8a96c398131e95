import ZhucanEnvelope
import ZhucanSigning

/// One verification's answer, as every interface reports it: `zhucan verify --json` and
/// `POST /v1/verify` write these keys with these values (Docs/format.md §10), the human
/// answer of `zhucan verify` is made from it, and the window page shows it.
package struct VerificationReport: Encodable, Sendable, Hashable {
    /// What a verifier may see of the holder: the masked name, and category and level only
    /// when the code carries them (the holder chose to show them).
    package struct Holder: Encodable, Sendable, Hashable {
        package var name: String?
        package var category: Int?
        package var level: Int?
    }

    /// The agent who shows the code for the holder (帮办代办), masked, with the relation.
    package struct Agent: Encodable, Sendable, Hashable {
        package var name: String
        /// `guardian`, `family` or `caseworker`.
        package var relation: String
    }

    /// A service code's entitlement check against the catalogue.
    package struct Service: Encodable, Sendable, Hashable {
        package var id: String
        package var name: String?
        package var entitled: Bool
        package var failedClause: String?
        /// The failing clause in words, Chinese then English.
        package var failedReason: String?

        package init(_ check: CredentialVerification.ServiceCheck) {
            id = check.id
            name = check.name
            entitled = check.isEntitled
            failedClause = check.failedClause
            failedReason = check.failedReason
        }
    }

    package var valid: Bool
    /// One of the closed set of `VerificationReason`s.
    package var reason: String
    /// The reason in words, Chinese then English ("证件已注销 / certificate cancelled"), as the
    /// window page and the CLI show it.
    package var reasonText: String
    /// What the person at the counter should do, Chinese then English (`VerificationReason.advice`).
    package var advice: String
    package var detail: String
    /// `certificate`, `identity_code` or `service_code`, once the signed type is known.
    package var type: String?
    /// The signer's key id (hex), once the envelope is read.
    package var kid: String?
    /// The signature algorithm, for a code checked against one key (`zhucan verify --signer`).
    package var alg: String?
    package var holder: Holder
    /// For a code minted on an agent's device: the agent.
    package var agent: Agent?
    package var service: Service?
    /// For a service code: the services it names.
    package var services: [String]?
    /// For a service code: whether it must be redeemed (one-time).
    package var oneTime: Bool?
    package var catalogueVersion: String?
    /// For a certificate: the index of its issuance in the transparency log.
    package var logIndex: UInt64?
    /// The validation time, ISO 8601 UTC.
    package var checkedAt: String
    /// Which clock gave the validation time: `system clock` (the CLI's machine), `server
    /// clock`, or `--at` (a time given for an audit; ``at`` says how it was read).
    package var clock: String
    /// For `--at`: the time as understood, with its seconds and zone.
    package var at: String?
    /// The clock skew allowed in the holder's favour, seconds.
    package var skewSeconds: Int64
    package var trustListExpires: String?
    package var statusListExpires: String?
    /// The HTTP request's id.
    package var requestId: String?

    /// The report of a credential verification.
    package init(_ result: CredentialVerification, clock: String, skew: Int64, logIndex: UInt64? = nil, requestID: String? = nil) {
        valid = result.isValid
        reason = result.reason.rawValue
        reasonText = result.reason.bilingualDescription
        advice = result.reason.advice
        detail = result.detail
        type = result.objectType.flatMap(Self.typeName)
        kid = result.keyID?.hex
        let disclosed = result.credential?.disclosedCategoryAndLevel
        holder = Holder(name: result.credential?.maskedName, category: disclosed?.category, level: disclosed?.level)
        agent = result.credential?.agent.map { Agent(name: $0.maskedName, relation: $0.relation.rawValue) }
        service = result.service.map(Service.init)
        if case .serviceCode(let code) = result.credential {
            services = code.services
            oneTime = code.isOneTime
        }
        catalogueVersion = result.service?.catalogueVersion
        self.logIndex = logIndex
        checkedAt = Timestamp.iso(result.validationTime)
        self.clock = clock
        skewSeconds = skew
        trustListExpires = result.trustListExpiresAt.map(Timestamp.iso)
        statusListExpires = result.statusListExpiresAt.map(Timestamp.iso)
        requestId = requestID
    }

    /// The report of an envelope checked against one key: signature and times only.
    package init(_ result: EnvelopeVerification, clock: String, skew: Int64) {
        valid = result.isValid
        reason = result.reason.rawValue
        reasonText = result.reason.bilingualDescription
        // One key says nothing of the certificate's status: never "accept".
        advice = result.isValid
            ? "签名和时间有效，未核对证件状态：办理前请联网或用信任列表和状态列表核验 / signature and times valid; the certificate's status was not checked: verify online or with the trust and status lists before serving."
            : result.reason.advice
        detail = result.detail
        type = result.layers.cose.flatMap(ObjectType.init(of:)).flatMap(Self.typeName)
        kid = result.layers.cose?.keyID?.hex
        alg = result.layers.cose?.algorithmValue.flatMap(CoseAlgorithm.init(rawValue:))?.name
        holder = Holder()
        checkedAt = Timestamp.iso(result.configuration.validationTime)
        self.clock = clock
        skewSeconds = skew
    }

    /// The type's name in reports: `identity_code`, not the `identity code` people read.
    package static func typeName(_ type: ObjectType) -> String? {
        switch type {
        case .certificate: "certificate"
        case .identityCode: "identity_code"
        case .serviceCode: "service_code"
        default: nil
        }
    }
}
