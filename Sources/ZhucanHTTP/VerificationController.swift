import Hummingbird
import Logging
import ZhucanCatalogue
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanServiceStore
import ZhucanSigning

/// `POST /v1/verify` and `POST /v1/redeem`, on the issuer's service and on every node alike.
/// Every call is recorded as a verification event, logged, and counted in the metrics.
package struct VerificationController: Sendable {
    package let desk: VerificationDesk

    package init(desk: VerificationDesk) {
        self.desk = desk
    }

    /// `POST /v1/verify`: any code, however malformed, is a 200 answer with its reason.
    @Sendable package func verify(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(VerifyRequest.self, from: request, expected: VerifyRequest.expected)
        let service = body.service.flatMap { $0.isEmpty ? nil : $0 }
        if let service { try Self.checkServiceID(service) }
        let now = desk.clock()
        let verifier = desk.verifier(at: now, logger: context.logger)
        let result = verifier.verify(body.code, service: service)
        let event = VerificationEvent(
            at: now, apiKey: context.apiKey?.id, route: .verify,
            service: service.map { Self.recorded($0, result, listed: verifier.verified.serviceIDs) } ?? Self.bounded(Self.codeService(result)),
            reason: result.reason.rawValue, licenseID: Self.reference(result)
        )
        try await desk.events.record(event)
        report(result, event: event, context: context)
        var logIndex: UInt64?
        if case .certificate(let certificate) = result.credential {
            logIndex = try desk.logIndex(certificate.licenseID.value, body.code.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let report = VerificationReport(result, clock: "server clock", skew: desk.skew, logIndex: logIndex, requestID: context.requestID)
        return JSONResponse.make(json: report.json)
    }

    /// `POST /v1/redeem`: verifies, then marks a valid one-time service code used, atomically.
    @Sendable package func redeem(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let body = try await JSONResponse.decode(RedeemRequest.self, from: request, expected: RedeemRequest.expected)
        guard !body.service.isEmpty else { throw ServerError(.badRequest, "the body must be JSON \(RedeemRequest.expected), with a service id") }
        try Self.checkServiceID(body.service)
        let now = desk.clock()
        let verifier = desk.verifier(at: now, logger: context.logger)
        let result = verifier.verify(body.code, service: body.service)
        var event = VerificationEvent(
            at: now, apiKey: context.apiKey?.id, route: .redeem, service: Self.recorded(body.service, result, listed: verifier.verified.serviceIDs),
            reason: result.reason.rawValue, licenseID: Self.reference(result)
        )
        let service = result.service.map(VerificationReport.Service.init)
        func answer(redeemed: Bool, reason: VerificationReason, detail: String) -> Response {
            JSONResponse.make(RedeemResponse(
                redeemed: redeemed, valid: reason.isValid, reason: reason.rawValue, detail: detail, service: service,
                checkedAt: Timestamp.iso(now), requestId: context.requestID
            ))
        }
        guard result.isValid else {
            try await desk.store.recordVerification(event)
            report(result, event: event, context: context)
            desk.metrics.recordRedemption(.refused)
            return answer(redeemed: false, reason: result.reason, detail: result.detail)
        }
        guard case .serviceCode(let code) = result.credential, code.isOneTime else {
            event.reason = "not_one_time"
            try await desk.store.recordVerification(event)
            report(result, event: event, context: context)
            desk.metrics.recordRedemption(.notOneTime)
            throw ServerError(.notOneTime, "the code is valid but not a one-time service code: there is nothing to redeem")
        }
        // The cti, never a hash of the signature: re-encoding a code must not redeem it twice.
        let redeemed = try await desk.store.redeem(
            tokenID: Hexadecimal.encode(code.nonce), licenseID: code.certificateReference, service: body.service,
            recording: event, refusedReason: VerificationReason.alreadyRedeemed.rawValue
        )
        if !redeemed { event.reason = VerificationReason.alreadyRedeemed.rawValue }
        report(result, event: event, context: context)
        desk.metrics.recordRedemption(redeemed ? .redeemed : .alreadyRedeemed)
        return redeemed
            ? answer(redeemed: true, reason: .valid, detail: "redeemed for \(body.service)")
            : answer(redeemed: false, reason: .alreadyRedeemed, detail: "this one-time service code was already redeemed")
    }

    /// The verification on the request's log line — the reason and the certificate reference,
    /// never the code or the holder's name — and one count by endpoint, reason and type.
    private func report(_ result: CredentialVerification, event: VerificationEvent, context: ServerRequestContext) {
        if result.reason == .unknownKey { desk.keyMissed() }
        let type = result.objectType.flatMap(VerificationReport.typeName) ?? "unknown"
        desk.metrics.recordVerification(endpoint: event.route.rawValue, reason: event.reason, type: type)
        context.summary.add([
            "verify.reason": .string(event.reason),
            "verify.type": .string(type),
            "verify.service": .string(event.service ?? ""),
            "verify.license_id": .string(event.licenseID ?? ""),
        ])
    }

    /// The certificate reference (e-license identifier) of a decoded credential.
    package static func reference(_ result: CredentialVerification) -> String? {
        switch result.credential {
        case .certificate(let certificate): certificate.licenseID.value
        case .identityCode(let code): code.certificateReference
        case .serviceCode(let code): code.certificateReference
        case nil: nil
        }
    }

    /// The service a service code names, when the client named none.
    package static func codeService(_ result: CredentialVerification) -> String? {
        if case .serviceCode(let code) = result.credential { return code.services.first }
        return nil
    }

    /// A service id a code names, as recorded and logged: the issuer signed it, and it is cut to
    /// the catalogue's 48 characters and escaped all the same.
    package static func bounded(_ service: String?) -> String? {
        service.map { FreeText.escapingControls(String($0.prefix(48))) }
    }

    /// What stands in the events, the log and `/v1/stats` for a service id a client sent that is
    /// no service the verifier knows.
    package static let unlistedService = "(unlisted)"

    /// A service id a client sent (it passed ``checkServiceID(_:)``), as recorded and logged:
    /// itself when a catalogue edition held lists it or the code verified names it, else
    /// ``unlistedService``. A client may send any id of the catalogue's syntax, an ID number
    /// ending in a digit or a phone number among them, and what is not a service must not reach
    /// the log or the statistics.
    package static func recorded(_ service: String, _ result: CredentialVerification, listed: Set<String>) -> String {
        if listed.contains(service) { return service }
        if case .serviceCode(let code) = result.credential, code.services.contains(service) { return service }
        return unlistedService
    }

    /// Refuses a service id outside the catalogue's syntax (1–48 characters of `a-z`, `0-9`
    /// and `-`): the client chooses it, and it reaches the log, the events and `/v1/stats`.
    /// - Throws: `ServerError.badRequest`.
    package static func checkServiceID(_ service: String) throws {
        guard Catalogue.isServiceID(service) else {
            throw ServerError(.badRequest, "service must be a catalogue service id: 1–48 characters of a–z, 0–9 and '-'")
        }
    }
}
