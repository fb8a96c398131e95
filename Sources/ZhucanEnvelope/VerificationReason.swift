/// Why a code is or is not valid: a closed set of stable codes (their raw values appear in
/// JSON output, HTTP answers and logs, and never change meaning).
///
/// Checks run in the order of the cases below and the first failure is the answer: the
/// envelope layers, then the key and signature, then the time claims against an explicit
/// validation clock, then (with a workspace's lists) key validity, status and service.
package enum VerificationReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// Every check passed.
    case valid
    /// The text does not start with a known prefix.
    case malformedPrefix = "malformed_prefix"
    /// The text after the prefix is not base45 (RFC 9285).
    case malformedBase45 = "malformed_base45"
    /// The base45 content is not a zlib stream (RFC 1950), is corrupt, or inflates past the limit.
    case malformedCompression = "malformed_compression"
    /// The inflated bytes are not one well-formed CBOR item within limits, or the payload is
    /// not a CWT claims map with well-typed claims (judged only once its signature verified).
    case malformedCBOR = "malformed_cbor"
    /// The CBOR is not a COSE_Sign1 (RFC 9052 §4.2) with valid headers.
    case malformedCOSE = "malformed_cose"
    /// `alg` is missing, unknown, or not the algorithm of the key with that `kid`.
    case algorithmMismatch = "algorithm_mismatch"
    /// No trusted key has the code's `kid` (or there is no `kid`), or the key with that `kid`
    /// is another issuer's than the one the code names (`iss`).
    case unknownKey = "unknown_key"
    /// The signature does not verify with any trusted key of that `kid`.
    case badSignature = "bad_signature"
    /// `nbf` or `iat` is after the validation time (beyond the allowed skew).
    case notYetValid = "not_yet_valid"
    /// The validation time is at or after `exp` (beyond the allowed skew).
    case expired
    /// The signing key was not valid (per the trust list) at the time the code was signed.
    case keyNotValidAtSigning = "key_not_valid_at_signing"
    /// The trust list or status list is missing or past its expiry: the answer is unknown,
    /// which is neither valid nor revoked.
    case statusUnknown = "status_unknown"
    /// The certificate is suspended (status list value 2).
    case suspended
    /// The certificate is revoked (status list value 1).
    case revoked
    /// A service code shown for a service other than the one it names.
    case wrongService = "wrong_service"
    /// The holder does not meet the service's eligibility rule.
    case notEntitled = "not_entitled"
    /// A one-time service code that was already redeemed.
    case alreadyRedeemed = "already_redeemed"

    /// Whether this reason means the code is valid.
    package var isValid: Bool { self == .valid }

    /// What the person at the counter should do, Chinese then English: the CLI's last line,
    /// and the window page's advice (`advice` in a verification report).
    package var advice: String {
        switch self {
        case .valid: "可以办理 / accept: serve the holder."
        case .expired, .notYetValid: "请持证人刷新码后重试；若仍失败请核对本机时间 / ask the holder to refresh the code; if it persists, check this device's clock."
        case .statusUnknown: "无法确认状态：请更新信任列表、状态列表和服务目录或联网核验，不要直接拒绝 / cannot confirm: update the trust list, status lists and catalogue, or verify online; do not simply refuse."
        case .suspended: "证件暂停中，暂不能办理，请联系发证残联 / suspended: do not serve now; the holder should contact the issuing federation."
        case .revoked: "证件已注销，不能办理 / cancelled: do not serve."
        case .wrongService: "请持证人出示本服务的服务码 / ask for a service code for this service."
        case .notEntitled: "不符合本服务条件 / not entitled: refer to the rule named above."
        case .alreadyRedeemed: "该码已使用，请持证人重新申请 / already used: the holder needs a new code."
        default: "不能办理：码无效或被篡改 / refuse: the code is invalid or altered."
        }
    }

    /// One line in Chinese and English.
    package var bilingualDescription: String {
        switch self {
        case .valid: "有效 / valid"
        case .malformedPrefix: "不是助残码（前缀错误）/ not a Zhucan code (unknown prefix)"
        case .malformedBase45: "码已损坏（base45）/ damaged code (base45)"
        case .malformedCompression: "码已损坏（压缩）/ damaged code (compression)"
        case .malformedCBOR: "码已损坏（CBOR）/ damaged code (CBOR)"
        case .malformedCOSE: "码已损坏（签名结构）/ damaged code (COSE structure)"
        case .algorithmMismatch: "签名算法与密钥不符 / signature algorithm does not match the key"
        case .unknownKey: "签发机构密钥不受信任 / issuer key not trusted"
        case .badSignature: "签名无效（可能被篡改）/ invalid signature (possibly forged or altered)"
        case .notYetValid: "尚未生效 / not yet valid"
        case .expired: "已过期 / expired"
        case .keyNotValidAtSigning: "签发时密钥已失效 / issuer key was not valid when this was signed"
        case .statusUnknown: "无法确认证件状态 / certificate status cannot be confirmed"
        case .suspended: "证件已暂停 / certificate suspended"
        case .revoked: "证件已注销 / certificate cancelled"
        case .wrongService: "服务码不适用于本服务 / service code is for another service"
        case .notEntitled: "不符合本服务条件 / not entitled to this service"
        case .alreadyRedeemed: "服务码已使用 / service code already used"
        }
    }
}
