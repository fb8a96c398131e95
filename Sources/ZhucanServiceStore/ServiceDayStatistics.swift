/// Verifications and redemptions of one service on one day (China Standard Time).
public struct ServiceDayStatistics: Sendable, Hashable {
    /// The day, yyyy-MM-dd, UTC+8.
    public let date: String
    /// The service id; empty for verifications that named no service (identity codes).
    public let service: String
    /// Verifications asked.
    public let verifications: Int
    /// Of those, valid.
    public let validVerifications: Int
    /// Successful redemptions.
    public let redemptions: Int
    /// Redemptions refused (already redeemed, or the code not valid).
    public let refusedRedemptions: Int

    /// Makes a row.
    public init(date: String, service: String, verifications: Int, validVerifications: Int, redemptions: Int, refusedRedemptions: Int) {
        self.date = date
        self.service = service
        self.verifications = verifications
        self.validVerifications = validVerifications
        self.redemptions = redemptions
        self.refusedRedemptions = refusedRedemptions
    }
}
