/// A key identifier: the first 8 bytes of SHA-256 over the key's DER SubjectPublicKeyInfo.
/// (The EU DCC hashes the signer's certificate instead; see `PublicKey.certificateKeyID`.)
///
/// A key id is a hint, not an identity: 8 bytes can collide, so verifiers try every key with
/// a matching id.
public struct KeyID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 8 identifier bytes.
    public let bytes: [UInt8]

    /// The number of bytes in a key id.
    public static let length = 8

    /// Makes the key id of a DER SubjectPublicKeyInfo (Zhucan), or of a DER certificate (EU DCC).
    public init(subjectPublicKeyInfo der: [UInt8]) {
        self.bytes = Array(Digest.sha256(der).prefix(Self.length))
    }

    /// Wraps key id bytes received from elsewhere (for example a COSE `kid` header), which may
    /// be of any length; only 8-byte ids can match a Zhucan key.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// Lower-case hex.
    public var hex: String { Hexadecimal.encode(bytes) }

    public var description: String { hex }

    public static func < (lhs: KeyID, rhs: KeyID) -> Bool { lhs.bytes.lexicographicallyPrecedes(rhs.bytes) }
}
