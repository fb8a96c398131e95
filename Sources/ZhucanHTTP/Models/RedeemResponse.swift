import ZhucanCredentials

/// The answer of `POST /v1/redeem`: `redeemed` true exactly once per one-time code; otherwise
/// `valid` false with the reason (`already_redeemed`, or why the code does not verify).
package struct RedeemResponse: Encodable, Sendable {
    package let redeemed: Bool
    package let valid: Bool
    package let reason: String
    package let detail: String
    package let service: VerificationReport.Service?
    package let checkedAt: String
    package let requestId: String
}
