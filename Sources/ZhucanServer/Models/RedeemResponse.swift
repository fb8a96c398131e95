import ZhucanCredentials

/// The answer of `POST /v1/redeem`: `redeemed` true exactly once per one-time code; otherwise
/// `valid` false with the reason (`already_redeemed`, or why the code does not verify).
struct RedeemResponse: Encodable, Sendable {
    let redeemed: Bool
    let valid: Bool
    let reason: String
    let detail: String
    let service: VerificationReport.Service?
    let checkedAt: String
    let requestId: String
}
