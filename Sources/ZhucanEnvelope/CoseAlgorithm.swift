import ZhucanSigning

/// A COSE signature algorithm (IANA "COSE Algorithms" registry; RFC 9053 §2, RFC 9864).
package enum CoseAlgorithm: Int64, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// ECDSA w/ SHA-256 on P-256 (RFC 9053 §2.1).
    case es256 = -7
    /// EdDSA, here Ed25519 only (RFC 9053 §2.2).
    case edDSA = -8
    /// ECDSA using P-256 and SHA-256, fully specified (RFC 9864 §2.1): the curve is named by
    /// the algorithm, as `ES256` leaves it to the key. Written by the compact format.
    case esp256 = -9
    /// EdDSA using Ed25519, fully specified (RFC 9864 §2.2). Written by the compact format.
    case ed25519 = -19
    /// RSASSA-PSS w/ SHA-256 (RFC 8230 §2): verification only.
    case ps256 = -37
    /// SM2 signature over SM3 with distinguishing ID `1234567812345678` (GB/T 32918, GM/T 0009).
    ///
    /// SM2 has no IANA COSE value; Zhucan uses -65537, the first value of the private-use
    /// range (integers below -65536, RFC 9053 §10.1 / IANA registry "Reserved for Private Use").
    /// The signature is r‖s, 32 + 32 bytes, as for ES256.
    case sm2sm3 = -65537

    /// The signing-layer algorithm that implements this COSE algorithm.
    package var signatureAlgorithm: SignatureAlgorithm {
        switch self {
        case .es256, .esp256: .es256
        case .edDSA, .ed25519: .ed25519
        case .ps256: .ps256
        case .sm2sm3: .sm2
        }
    }

    /// The COSE algorithm for keys of `algorithm`, as envelope version 1 and the trust list
    /// name it (the polymorphic `ES256` and `EdDSA`).
    package init(_ algorithm: SignatureAlgorithm) {
        switch algorithm {
        case .es256: self = .es256
        case .ed25519: self = .edDSA
        case .ps256: self = .ps256
        case .sm2: self = .sm2sm3
        }
    }

    /// The fully specified algorithm for keys of `algorithm` (RFC 9864), as the compact
    /// format writes it: `ESP256`, `Ed25519`; SM2-SM3 and PS256 are already fully specified.
    package static func fullySpecified(_ algorithm: SignatureAlgorithm) -> CoseAlgorithm {
        switch algorithm {
        case .es256: .esp256
        case .ed25519: .ed25519
        case .ps256: .ps256
        case .sm2: .sm2sm3
        }
    }

    /// The name used in the COSE registry (or Zhucan's name for SM2).
    package var name: String {
        switch self {
        case .es256: "ES256"
        case .edDSA: "EdDSA"
        case .esp256: "ESP256"
        case .ed25519: "Ed25519"
        case .ps256: "PS256"
        case .sm2sm3: "SM2-SM3"
        }
    }

    package var description: String { "\(name) (\(rawValue))" }
}
