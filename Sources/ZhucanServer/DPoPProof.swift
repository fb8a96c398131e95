import Foundation
import ZhucanEnvelope
import ZhucanSigning

/// A DPoP proof (RFC 9449 §4): a compact JWS, typed `dpop+jwt`, signed by the key whose public
/// JWK its header carries. The holder's page signs one per request with its device key (a
/// non-extractable WebCrypto P-256 key), so the service knows which enrolled device asks —
/// no password, no cookie.
///
/// Checked here (§4.3): the JWS shape, `typ`, `alg` (ES256 only: what WebCrypto's P-256 keys
/// make), the JWK (an EC P-256 public key and nothing private), the signature, `htm`, `htu`
/// (without query and fragment) and `iat` within the window. The `jti`'s single use and the
/// device's enrolment are checked by the caller against the registry.
struct DPoPProof: Sendable {
    /// Why a proof is refused; the raw value is the `reason` a 401 names.
    enum Failure: String, Error, Sendable {
        case missing = "missing_proof"
        case malformed = "malformed_proof"
        case unsupportedAlgorithm = "unsupported_algorithm"
        case badSignature = "bad_signature"
        case wrongMethod = "wrong_htm"
        case wrongURL = "wrong_htu"
        case outsideWindow = "iat_outside_window"
        case replayed = "replayed_proof"
        case unknownDevice = "unknown_device"

        /// A sentence for the answer.
        var message: String {
            switch self {
            case .missing: "a DPoP header with a proof signed by the device key is required (RFC 9449)"
            case .malformed: "the DPoP proof is not a dpop+jwt with an EC P-256 jwk, jti, htm, htu and iat"
            case .unsupportedAlgorithm: "the DPoP proof must be signed with ES256"
            case .badSignature: "the DPoP proof's signature does not verify with its jwk"
            case .wrongMethod: "the DPoP proof's htm is not this request's method"
            case .wrongURL: "the DPoP proof's htu is not this request's URL"
            case .outsideWindow: "the DPoP proof's iat is outside the accepted window; check the device's clock"
            case .replayed: "this DPoP proof was used before"
            case .unknownDevice: "this device key is not enrolled"
            }
        }
    }

    /// How far `iat` may be from the server's clock, either way, seconds.
    static let window: Int64 = 60
    /// The longest proof read.
    static let maxLength = 4_096

    /// The key that signed it.
    let publicKey: PublicKey
    /// Its RFC 7638 JWK thumbprint (base64url of SHA-256): the device's id.
    let thumbprint: String
    let jti: String
    let htm: String
    let htu: String
    let iat: Int64

    /// Reads a proof and checks its signature with the JWK it carries.
    init(_ text: String) throws(Failure) {
        guard text.utf8.count <= Self.maxLength else { throw .malformed }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Base64URL.decode(parts[0]), let payloadBytes = Base64URL.decode(parts[1]),
            let signature = Base64URL.decode(parts[2]),
            let header = (try? JSONSerialization.jsonObject(with: Data(headerBytes))) as? [String: Any],
            let payload = (try? JSONSerialization.jsonObject(with: Data(payloadBytes))) as? [String: Any]
        else { throw .malformed }
        // RFC 7515 §4.1.11: a crit naming extensions the recipient does not understand must be
        // refused; a DPoP proof (RFC 9449 §4.2) uses none.
        guard header["typ"] as? String == "dpop+jwt", header["crit"] == nil else { throw .malformed }
        guard header["alg"] as? String == "ES256" else { throw .unsupportedAlgorithm }
        guard let jwk = header["jwk"] as? [String: Any], jwk["kty"] as? String == "EC", jwk["crv"] as? String == "P-256",
            jwk["d"] == nil, let x = jwk["x"] as? String, let y = jwk["y"] as? String,
            let xBytes = Base64URL.decode(x), let yBytes = Base64URL.decode(y), xBytes.count == 32, yBytes.count == 32,
            let key = try? PublicKey(subjectPublicKeyInfo: Self.spkiPrefix + [0x04] + xBytes + yBytes)
        else { throw .malformed }
        guard let jti = payload["jti"] as? String, (1...64).contains(jti.utf8.count), let htm = payload["htm"] as? String,
            let htu = payload["htu"] as? String, htu.utf8.count <= 512, let iat = Self.numericDate(payload["iat"])
        else { throw .malformed }
        // RFC 7515 §5.2: the signing input is the ASCII of header.payload; ES256 signatures
        // are R || S, 64 bytes (RFC 7518 §3.4).
        guard key.isValidSignature(signature, for: Array("\(parts[0]).\(parts[1])".utf8), format: .raw) else { throw .badSignature }
        publicKey = key
        // RFC 7638 §3.2: the required members in lexicographic order, no whitespace.
        thumbprint = Base64URL.encode(Digest.sha256(Array(#"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#.utf8)))
        self.jti = jti
        self.htm = htm
        self.htu = htu
        self.iat = iat
    }

    /// Checks the proof is for this request, now.
    /// - Parameters:
    ///   - method: the request's method.
    ///   - url: the request's URL as the client addressed it, without query and fragment.
    func check(method: String, url: String, now: Int64) throws(Failure) {
        guard htm == method else { throw .wrongMethod }
        guard Self.withoutQuery(htu) == url else { throw .wrongURL }
        // Compared without subtracting from `iat`: the client chooses it, and any Int64 is one.
        guard iat >= now - Self.window, iat <= now + Self.window else { throw .outsideWindow }
    }

    /// A JWT NumericDate (RFC 7519 §2): a JSON number of seconds, fractions allowed, taken
    /// whole; `nil` for anything else, or a number beyond ±10¹⁵ s (no time a proof can name),
    /// so that no later arithmetic meets a value near `Int64`'s limits.
    static func numericDate(_ value: Any?) -> Int64? {
        guard let seconds = (value as? NSNumber)?.doubleValue else { return nil }
        guard seconds.isFinite, abs(seconds) < 1e15 else { return nil }
        return Int64(seconds.rounded(.down))
    }

    /// RFC 9449 §4.3 item 9: `htu` is compared without its query and fragment.
    static func withoutQuery(_ url: String) -> String {
        String(url.prefix { $0 != "?" && $0 != "#" })
    }

    /// DER SubjectPublicKeyInfo of an EC P-256 key up to its uncompressed point (RFC 5480).
    static let spkiPrefix: [UInt8] = [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D,
        0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
    ]
}
