/// A signature algorithm Zhucan signs or verifies with.
public enum SignatureAlgorithm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// SM2 over SM3 (GB/T 32918, GM/T 0003), distinguishing ID `1234567812345678`.
    case sm2
    /// ECDSA on P-256 over SHA-256 (COSE ES256).
    case es256
    /// Ed25519 (RFC 8032; COSE EdDSA).
    case ed25519
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, salt length 32 (COSE PS256): verification only,
    /// for the EU DCC test vectors.
    case ps256

    /// Algorithms Zhucan can generate keys for and sign with.
    public static let signing: [SignatureAlgorithm] = [.sm2, .es256, .ed25519]

    /// The SM2 distinguishing ID, set explicitly on every SM2 operation: OpenSSL 3.0's default
    /// is empty, while GM/T 0009-2012 §10 and GB/T 35276 specify `1234567812345678`.
    public static let sm2DistinguishingID: [UInt8] = Array("1234567812345678".utf8)

    public var description: String {
        switch self {
        case .sm2: "SM2-SM3"
        case .es256: "ES256 (ECDSA P-256 SHA-256)"
        case .ed25519: "Ed25519"
        case .ps256: "PS256 (RSASSA-PSS SHA-256)"
        }
    }

    /// Whether Zhucan can sign with this algorithm (PS256 is verification only).
    public var canSign: Bool { self != .ps256 }

    /// The length of a raw signature (r‖s for the elliptic-curve algorithms), if fixed.
    public var rawSignatureLength: Int? {
        switch self {
        case .sm2, .es256, .ed25519: 64
        case .ps256: nil
        }
    }
}
