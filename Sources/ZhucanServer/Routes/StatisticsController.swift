import Hummingbird
import ZhucanHTTP
import ZhucanCredentials
import ZhucanIdentifiers

/// `GET /v1/stats[?since=yyyy-MM-dd]`: verifications and redemptions per service per day
/// (China Standard Time) — the service-data collection of the plan.
struct StatisticsController: Sendable {
    let state: ServerState

    @Sendable func statistics(_ request: Request, context: ServerRequestContext) async throws -> Response {
        var since: Int64 = 0
        if let text = request.uri.queryParameters["since"] {
            guard let date = try? CivilDate(String(text)) else { throw ServerError(.badRequest, "since must be a date, yyyy-MM-dd") }
            since = ChinaTime.startOfDay(date)
        }
        let rows = try await state.store.serviceStatistics(since: since)
        return JSONResponse.make(StatisticsResponse(
            days: rows.map {
                .init(date: $0.date, service: $0.service, verifications: $0.verifications, valid: $0.validVerifications,
                      redemptions: $0.redemptions, refusedRedemptions: $0.refusedRedemptions)
            },
            requestId: context.requestID
        ))
    }
}
