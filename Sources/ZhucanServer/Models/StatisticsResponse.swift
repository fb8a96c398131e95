/// The answer of `GET /v1/stats`: verifications and redemptions per service per day.
struct StatisticsResponse: Encodable, Sendable {
    struct Day: Encodable, Sendable {
        /// yyyy-MM-dd, China Standard Time.
        let date: String
        /// The service id; empty for verifications that named none.
        let service: String
        let verifications: Int
        let valid: Int
        let redemptions: Int
        let refusedRedemptions: Int
    }

    let days: [Day]
    let requestId: String
}
