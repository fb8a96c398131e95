/// Verifications and redemptions of one service on one day (China Standard Time).
package struct ServiceDayStatistics: Sendable, Hashable {
    /// The day, yyyy-MM-dd, UTC+8.
    package let date: String
    /// The service id; empty for verifications that named no service (identity codes).
    package let service: String
    /// Verifications asked.
    package let verifications: Int
    /// Of those, valid.
    package let validVerifications: Int
    /// Successful redemptions.
    package let redemptions: Int
    /// Redemptions refused (already redeemed, or the code not valid).
    package let refusedRedemptions: Int

    /// Makes a row.
    package init(date: String, service: String, verifications: Int, validVerifications: Int, redemptions: Int, refusedRedemptions: Int) {
        self.date = date
        self.service = service
        self.verifications = verifications
        self.validVerifications = validVerifications
        self.redemptions = redemptions
        self.refusedRedemptions = refusedRedemptions
    }
}
