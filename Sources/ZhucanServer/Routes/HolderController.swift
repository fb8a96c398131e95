import Hummingbird
import Logging
import ZhucanHTTP
import ZhucanCatalogue
import ZhucanCredentials
import ZhucanIdentifiers
import ZhucanRegistry
import ZhucanServiceStore

/// `GET /v1/holders/by-ssc/{cardNumber}?purpose=…`: the certificate and entitlements of a
/// social-security card's holder (证卡互通). A stated purpose is required, and every lookup —
/// who, when, which card (masked), why, found or not — is recorded.
struct HolderController: Sendable {
    let state: ServerState

    /// Longest purpose kept, in characters.
    static let maximumPurposeLength = 200
    /// Longest purpose kept, in bytes of UTF-8: a character may be many bytes.
    static let maximumPurposeBytes = 800

    @Sendable func bySocialSecurityCard(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let purpose = (request.uri.queryParameters["purpose"].map(String.init) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !purpose.isEmpty else {
            throw ServerError(.badRequest, "a purpose query parameter is required: ?purpose=…")
        }
        guard purpose.utf8.count <= Self.maximumPurposeBytes, purpose.count <= Self.maximumPurposeLength else {
            throw ServerError(.badRequest, "the purpose must be at most \(Self.maximumPurposeLength) characters and \(Self.maximumPurposeBytes) bytes")
        }
        // It is listed by `zhucan audit lookups`, one line per lookup: no line breaks, tabs
        // or other control characters that could forge a line or a column.
        if let control = FreeText.firstControl(in: purpose) {
            throw ServerError(.badRequest, "the purpose must not contain control characters (it has U+\(String(control.value, radix: 16, uppercase: true)))")
        }
        guard !FreeText.hasCombiningMarkRun(purpose) else {
            throw ServerError(.badRequest, "the purpose has a character with more than \(FreeText.maximumCombiningMarks) combining marks")
        }
        guard let card = context.parameters.get("cardNumber").flatMap(SocialSecurityCardNumber.init(validating:)) else {
            throw ServerError(.badRequest, "the card number must be 9 characters 0–9 or A–Z")
        }
        // The card's certificate, or the one that replaced it (a re-issue, a correction, a
        // renewal: the same person's) while that one still carries the card. A card replaced
        // (lost, perhaps) or taken off (entered on the wrong person) is on no certificate: it
        // opens nothing and shows no one.
        let registry = state.workspace.registry
        let stored = try registry.certificate(socialSecurityCard: card.value).flatMap { found in
            try registry.latestReissue(of: found.id).flatMap { $0.socialSecurityCard == card.value ? $0 : nil }
        }
        let now = state.clock()
        try await state.store.recordLookup(LookupEvent(
            at: now, apiKey: context.apiKey?.id, maskedCard: card.masked, purpose: purpose, licenseID: stored?.licenseID
        ))
        context.summary.add(["lookup.card": .string(card.masked), "lookup.found": .stringConvertible(stored != nil)])
        guard let stored else { throw ServerError(.notFound, "no certificate for card \(card.masked)") }

        var entitlements: [HolderLookupResponse.Entitlement] = []
        // The edition in force today (one for next year may already be published); on a day none
        // covers, none: service codes are refused then (`Workspace.serviceCode`), and the window
        // shows no benefit the holder could not get a code for.
        let today = ChinaTime.date(of: now)
        let catalogues = state.lists.current(logger: context.logger).lists.catalogues.map(\.catalogue)
        let catalogue = catalogues.inForce(on: today)
        if stored.state == .active, let catalogue {
            entitlements = try state.answering { try state.workspace.entitlements(of: stored, on: today, in: catalogue) }.map {
                HolderLookupResponse.Entitlement(id: $0.service.id, name: $0.service.name.zh, entitled: $0.isEntitled, failedClause: $0.failedClause)
            }
        }
        let name = (try? PersonName(stored.name))?.masked ?? "*"
        let number = (try? DisabilityCertificateNumber(stored.number))?.masked ?? "****"
        return JSONResponse.make(HolderLookupResponse(
            found: true,
            certificate: .init(
                licenseId: stored.licenseID, number: number, state: stored.state(on: today), category: stored.category, level: stored.level,
                region: stored.region, validFrom: stored.validFrom, validUntil: stored.validUntil
            ),
            holder: .init(name: name), entitlements: entitlements, catalogueVersion: entitlements.isEmpty ? nil : catalogue?.version,
            requestId: context.requestID
        ))
    }
}
