import Foundation
import HTTPTypes
import Hummingbird
import ZhucanCatalogue
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanHTTP
import ZhucanIdentifiers
import ZhucanIssuer
import ZhucanQR
import ZhucanRegistry

/// The holder's side: enrolment links made at the window (`POST /v1/holders/enrollments`,
/// scope `issue`), and the routes the holder's page calls with DPoP proofs (RFC 9449) signed
/// by its device key — registering the key, reading the holder's state, minting codes.
///
/// No password, no cookie: each request carries a fresh proof whose `jti` is used once, whose
/// `htm` and `htu` name this request, and whose key's thumbprint is an enrolled device.
struct HolderDeviceController: Sendable {
    let state: ServerState
    /// Requests per minute of one enrolled device: a person shows a few codes a minute; a
    /// script with a stolen or enrolled key is held to this.
    static let deviceRequestsPerMinute = 60
    private let devices = RateLimiter(limit: deviceRequestsPerMinute)

    init(state: ServerState) {
        self.state = state
    }

    /// `POST /v1/holders/enrollments`: a single-use link, printed at the window as a QR code.
    @Sendable func enroll(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(EnrollmentRequest.self, from: request, expected: EnrollmentRequest.expected)
        if (body.agentName == nil) != (body.relation == nil) {
            throw ServerError(.badRequest, "agentName and relation go together")
        }
        // Else the link would enrol the holder, and an agent's phone would show codes naming no agent.
        if body.agentIdNumber != nil && body.agentName == nil {
            throw ServerError(.badRequest, "agentIdNumber needs agentName and relation")
        }
        let agent = body.agentName.map { Registry.EnrolledAgent(name: $0, idNumber: body.agentIdNumber, relation: body.relation ?? "") }
        // The route's scope check has put the key there (`ServiceRouter`).
        guard let key = context.apiKey else { throw ServerError(.unauthorized, "an API key is required: Authorization: Bearer <key>") }
        let enrollment = try state.answering {
            try state.workspace.enroll(
                certificateNumber: body.certificate, agent: agent, seconds: body.ttl, madeBy: Workspace.enrolledBy(apiKey: key.id), now: state.clock()
            )
        }
        context.summary.add(["holder.enrollment": .string(enrollment.id), "holder.agent": .string(body.relation ?? "none")])
        return JSONResponse.make(EnrollmentResponse(
            link: "\(origin(of: request))/holder/#enrol=\(enrollment.token)", expiresAt: Timestamp.iso(enrollment.expiresAt),
            requestId: context.requestID
        ))
    }

    /// `POST /v1/holder/device`: registers the key that signs the proof, with a link's token.
    @Sendable func register(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let now = state.clock()
        let proof = try checkedProof(request, now: now)
        let body = try await JSONResponse.decode(DeviceRegistrationRequest.self, from: request, expected: DeviceRegistrationRequest.expected)
        // The link is read first, so that a request without a usable one writes nothing; then
        // the proof is used, then the link. The other way round, a proof refused (replayed) or
        // a failed write after the link was spent left a spent link, an enrolment in the log,
        // and a page that had thrown its key away.
        try state.answering { try state.workspace.checkEnrollment(token: body.enrollment, now: now) }
        guard try state.workspace.registry.useProof(jti: proof.jti, deviceID: proof.thumbprint, at: now, forgetBefore: now - 2 * DPoPProof.window, code: nil) else {
            throw Self.refusal(.replayed)
        }
        let device = try state.answering {
            try state.workspace.registerDevice(token: body.enrollment, publicKey: proof.publicKey, deviceID: proof.thumbprint, now: now)
        }
        // The enrolment is an event of the log: a checkpoint covers it at once, as every
        // command that changes the registry signs one (auditors otherwise meet an entry no
        // checkpoint signs). The phone is enrolled either way; a failure is the next one's.
        do {
            try state.workspace.signCheckpoint(now: now)
        } catch {
            context.logger.error("cannot sign a log checkpoint after an enrolment; the next checkpoint covers it", metadata: ["error": "\(error)"])
        }
        context.summary.add(["holder.device": .string(device.id)])
        return try stateResponse(deviceID: device.id, now: now, context: context)
    }

    /// `GET /v1/holder/state`: the certificate in brief, its state in words, the entitlements.
    @Sendable func holderState(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let now = state.clock()
        let (proof, _) = try enrolledDevice(request, now: now)
        guard try state.workspace.registry.useProof(jti: proof.jti, deviceID: proof.thumbprint, at: now, forgetBefore: now - 2 * DPoPProof.window, code: nil) else {
            throw Self.refusal(.replayed)
        }
        return try stateResponse(deviceID: proof.thumbprint, now: now, context: context)
    }

    /// `POST /v1/holder/codes/identity`.
    @Sendable func identityCode(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let now = state.clock()
        let (proof, view) = try activeDevice(request, now: now)
        let body = try await JSONResponse.decode(HolderIdentityCodeRequest.self, from: request, expected: HolderIdentityCodeRequest.expected)
        let lifetime = view.certificate.codeLifetime(atMost: state.workspace.configuration.identityCodeSeconds, now: now)
        let code = try state.answering {
            try state.workspace.identityCode(
                certificateNumber: view.certificate.number, seconds: lifetime, showCategory: body.showCategory ?? false, agent: view.agent,
                now: now
            )
        }
        return try answer(code: code, label: "身份码", lifetime: lifetime, proof: proof, kind: "identity", service: nil, now: now, context: context)
    }

    /// `POST /v1/holder/codes/service`.
    @Sendable func serviceCode(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let now = state.clock()
        let (proof, view) = try activeDevice(request, now: now)
        let body = try await JSONResponse.decode(HolderServiceCodeRequest.self, from: request, expected: HolderServiceCodeRequest.expected)
        try VerificationController.checkServiceID(body.service)
        let lifetime = view.certificate.codeLifetime(atMost: state.workspace.configuration.serviceCodeSeconds, now: now)
        let code = try state.answering {
            try state.workspace.serviceCode(
                certificateNumber: view.certificate.number, service: body.service, seconds: lifetime, oneTime: false, agent: view.agent, now: now
            )
        }
        return try answer(code: code, label: "服务码", lifetime: lifetime, proof: proof, kind: "service", service: body.service, now: now, context: context)
    }

    // MARK: Proofs and devices

    /// The request's proof, checked for this request and now (not yet its `jti`).
    private func checkedProof(_ request: Request, now: Int64) throws -> DPoPProof {
        let values = request.headers[values: HTTPField.Name("DPoP")!]
        guard values.count == 1, let text = values.first else { throw Self.refusal(.missing) }
        do throws(DPoPProof.Failure) {
            let proof = try DPoPProof(text)
            try proof.check(method: request.method.rawValue, url: origin(of: request) + request.uri.path, now: now)
            return proof
        } catch {
            throw Self.refusal(error)
        }
    }

    /// The proof and the enrolled device it names (revoked or not), within the device's rate.
    /// A replayed proof is refused before it counts against the rate: anyone who saw one of a
    /// holder's proofs could otherwise spend the phone's minute with it.
    private func enrolledDevice(_ request: Request, now: Int64) throws -> (DPoPProof, Workspace.HolderView) {
        let proof = try checkedProof(request, now: now)
        let view: Workspace.HolderView
        do {
            view = try state.workspace.holderView(deviceID: proof.thumbprint, now: now)
        } catch let error as IssuerError where error.code == .notFound {
            throw Self.refusal(.unknownDevice)
        }
        guard try !state.workspace.registry.isProofUsed(jti: proof.jti) else { throw Self.refusal(.replayed) }
        if case .limited(let seconds) = devices.admit(proof.thumbprint) {
            throw ServerError(.rateLimited, "此设备请求过于频繁，请稍后再试 / this device made more than \(Self.deviceRequestsPerMinute) requests this minute",
                              headers: [.retryAfter: String(seconds)])
        }
        return (proof, view)
    }

    /// The proof and device, which must be live, for an active certificate.
    private func activeDevice(_ request: Request, now: Int64) throws -> (DPoPProof, Workspace.HolderView) {
        let (proof, view) = try enrolledDevice(request, now: now)
        switch view.state {
        case "active": return (proof, view)
        case "device_revoked": throw ServerError(.deviceRevoked, "此设备已停用 / this device was revoked at the service window")
        default: throw ServerError(.notAllowed, "\(Self.stateText(view.state)): no code is issued")
        }
    }

    /// Records the proof's use and the minted code's device (never the code), then answers.
    private func answer(
        code: String, label: String, lifetime: Int, proof: DPoPProof, kind: String, service: String?, now: Int64, context: ServerRequestContext
    ) throws -> Response {
        guard try state.workspace.registry.useProof(
            jti: proof.jti, deviceID: proof.thumbprint, at: now, forgetBefore: now - 2 * DPoPProof.window, code: (kind, service)
        ) else { throw Self.refusal(.replayed) }
        let expires = now + Int64(lifetime)
        let svg = (try? QRCode(text: code, errorCorrection: .quartile).renderSVG(scale: 6)) ?? ""
        context.summary.add(["holder.device": .string(proof.thumbprint), "code.minted": .string(kind)])
        return JSONResponse.make(HolderCodeResponse(
            code: code, expiresAt: Timestamp.iso(expires), expiresIn: lifetime, qrSVG: svg,
            label: "\(label)，有效至 \(Self.clockTime(expires))", requestId: context.requestID
        ))
    }

    private func stateResponse(deviceID: String, now: Int64, context: ServerRequestContext) throws -> Response {
        let view = try state.answering { try state.workspace.holderView(deviceID: deviceID, now: now) }
        guard view.state != "device_revoked" else {
            return JSONResponse.make(HolderStateResponse(
                device: deviceID, state: view.state, stateText: Self.stateText(view.state), holder: nil, certificate: nil, category: nil,
                level: nil, categoryText: nil, validUntil: nil, agent: nil, devices: nil, catalogueVersion: nil, entitlements: [],
                requestId: context.requestID
            ))
        }
        let certificate = view.certificate
        var entitled: [HolderStateResponse.EntitledService] = []
        var version: String?
        // Editions published but none in force today (next year's not published in time):
        // service codes are refused (`Workspace.serviceCode`), and the holder is told why no
        // service is listed.
        var noEditionInForce = false
        let today = ChinaTime.date(of: now)
        if view.state == "active" {
            let editions = (try? state.workspace.catalogues().map(\.catalogue)) ?? []
            if let catalogue = editions.inForce(on: today) {
                if let entitlements = try? state.workspace.entitlements(of: certificate, on: today, in: catalogue) {
                    version = catalogue.version
                    entitled = entitlements.filter(\.isEntitled).map {
                        .init(id: $0.service.id, name: $0.service.name.zh, nameEn: $0.service.name.en, department: $0.service.department.zh,
                              basis: $0.service.basis, oneTime: $0.service.isOneTime,
                              discloses: Workspace.disclosure(of: $0.service).map { "\($0.zh) / \($0.en)" })
                    }
                }
            } else {
                noEditionInForce = !editions.isEmpty
            }
        }
        let category = DisabilityCategory(rawValue: certificate.category)
        let level = DisabilityLevel(rawValue: certificate.level)
        // When its renewal (换领) is due, as the catalogue's rules read it (`holder.renewalDue`),
        // the holder is told before the certificate expires, not after.
        var text = Self.stateText(view.state)
        if view.state == "active", let until = try? CivilDate(certificate.validUntil), HolderFacts.renewalDue(validUntil: until, on: today) {
            text = "证件有效，\(until) 到期，可到发证的残联换领 / certificate valid until \(until): renew it (换领) at the issuing office"
        }
        if noEditionInForce {
            text += "；今日无生效的服务目录，暂不能出示服务码 / no service catalogue is in force today: service codes are unavailable"
        }
        return JSONResponse.make(HolderStateResponse(
            device: deviceID, state: view.state, stateText: text,
            holder: (try? PersonName(certificate.name).masked) ?? "*",
            certificate: (try? DisabilityCertificateNumber(certificate.number).masked) ?? "*",
            category: certificate.category, level: certificate.level,
            categoryText: "\(category?.chineseName ?? "")\(level?.chineseName ?? "") / \(category?.englishName ?? ""), level \(certificate.level)",
            validUntil: certificate.validUntil,
            agent: view.agent.map { .init(name: $0.maskedName, relation: $0.relation.rawValue) },
            devices: try state.answering { try state.workspace.liveHolderDeviceCount(certificateID: certificate.id) },
            catalogueVersion: version, entitlements: entitled, requestId: context.requestID
        ))
    }

    // MARK: Helpers

    /// The state in words, Chinese then English.
    static func stateText(_ state: String) -> String {
        switch state {
        case "active": "证件有效 / certificate valid"
        case "suspended": "证件已暂停 / certificate suspended"
        case "revoked", "superseded": "证件已注销 / certificate cancelled"
        case "expired": "证件已过期，请到发证的残联换领 / certificate expired: renew it (换领) at the issuing office"
        case "not_yet_valid": "证件尚未生效 / certificate not yet valid"
        case "device_revoked": "此设备已停用 / this device was revoked"
        default: state
        }
    }

    /// A 401 naming the proof's fault (RFC 9449 §7.1: `WWW-Authenticate: DPoP error=…`).
    static func refusal(_ failure: DPoPProof.Failure) -> ServerError {
        ServerError(
            .invalidProof, "\(failure.rawValue): \(failure.message)",
            headers: [.wwwAuthenticate: #"DPoP error="invalid_dpop_proof", algs="ES256""#]
        )
    }

    /// The configured public origin (`serve --public-url`), else `http://host:port` as the
    /// client addressed the service (`X-Forwarded-Proto: https` behind a TLS-terminating proxy).
    private func origin(of request: Request) -> String {
        if let origin = state.configuration.publicOrigin { return origin.description }
        let scheme = request.headers[HTTPField.Name("X-Forwarded-Proto")!] == "https" ? "https" : "http"
        return "\(scheme)://\(request.head.authority ?? "127.0.0.1")"
    }

    /// HH:mm in China Standard Time.
    static func clockTime(_ time: Int64) -> String {
        let seconds = (time + 8 * 3_600) % 86_400
        return String(format: "%02d:%02d", seconds / 3_600, seconds % 3_600 / 60)
    }
}
