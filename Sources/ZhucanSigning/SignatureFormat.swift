/// How signature bytes are laid out.
public enum SignatureFormat: String, Sendable, Hashable {
    /// Fixed-length raw bytes: r‖s (32 + 32 bytes) for SM2 and ES256 as COSE requires
    /// (RFC 9053 §2.1), the 64-byte signature for Ed25519, the modulus-length signature for PS256.
    case raw
    /// DER `Ecdsa-Sig-Value` (RFC 3279 §2.2.3; GB/T 35276 §7 for SM2): what the `openssl dgst`
    /// command line reads and writes. Only for SM2 and ES256.
    case der
}
