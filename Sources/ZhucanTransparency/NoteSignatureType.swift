import ZhucanSigning

/// A signed-note signature type: the identifier that goes into key IDs and verifier keys, and
/// the algorithm and public-key encoding it stands for (C2SP signed-note §Signature types).
///
/// Supported:
/// - `.ed25519`, type `0x01`: Ed25519 (RFC 8032) over the note text; public key the raw 32
///   bytes. The standard type, interoperable with Go's `golang.org/x/mod/sumdb/note`.
/// - `.zhucanSM2`, a **non-standard Zhucan extension** for logs that must use Chinese
///   commercial cryptography (GM/T 0003 SM2 with SM3, distinguishing ID `1234567812345678`):
///   type byte `0xFF` ("reserved for signature types without an identifier byte assigned by
///   this specification"), followed, as the specification recommends, by the longer
///   identifier `zhucan-note-sm2-sm3-v1`. The public key is its DER SubjectPublicKeyInfo
///   (as type `0x02` does for ECDSA) and the signature is raw r‖s (64 bytes) over the note
///   text. Other note implementations ignore these signatures as signatures from unknown keys,
///   so a checkpoint may carry an Ed25519 signature for standard witnesses and an SM2 one
///   side by side.
///
/// Not supported: `0x02` ECDSA (its key ID rule differs and Zhucan has no use for it), `0x04`
/// and `0x06` cosignatures (they sign a timestamped message, not the note text), `0x05`
/// RFC 6962 tree-head signatures.
package struct NoteSignatureType: Hashable, Sendable, CustomStringConvertible {
    /// The bytes between the key name's newline and the public key in the key ID hash, and
    /// before the public key in a verifier key: the type byte and any longer identifier.
    package let identifier: [UInt8]
    /// The signing-layer algorithm.
    package let algorithm: SignatureAlgorithm

    private init(identifier: [UInt8], algorithm: SignatureAlgorithm) {
        self.identifier = identifier
        self.algorithm = algorithm
    }

    /// Ed25519, signature type `0x01` (C2SP signed-note §Ed25519 signatures).
    package static let ed25519 = NoteSignatureType(identifier: [0x01], algorithm: .ed25519)

    /// SM2-SM3: Zhucan's non-standard type `0xFF || "zhucan-note-sm2-sm3-v1"`.
    package static let zhucanSM2 = NoteSignatureType(
        identifier: [0xFF] + Array("zhucan-note-sm2-sm3-v1".utf8), algorithm: .sm2)

    /// Every type Zhucan signs and verifies.
    package static let supported: [NoteSignatureType] = [.ed25519, .zhucanSM2]

    /// The type for keys of `algorithm`, if notes support it.
    package static func forAlgorithm(_ algorithm: SignatureAlgorithm) -> NoteSignatureType? {
        supported.first { $0.algorithm == algorithm }
    }

    package var description: String {
        switch algorithm {
        case .ed25519: "Ed25519 (0x01)"
        default: "\(algorithm) (Zhucan extension 0xFF)"
        }
    }

    // MARK: Public key material

    /// RFC 8410 §4: the DER SubjectPublicKeyInfo of an Ed25519 key is this prefix and the
    /// 32-byte key.
    static let ed25519SPKIPrefix: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]

    /// The public key as this type encodes it in key IDs and verifier keys.
    func material(of key: PublicKey) throws(TransparencyError) -> [UInt8] {
        guard key.algorithm == algorithm else {
            throw TransparencyError(.unsupportedKeyType, "a \(key.algorithm) key cannot make \(self) signatures")
        }
        guard algorithm == .ed25519 else { return key.subjectPublicKeyInfo }
        let spki = key.subjectPublicKeyInfo
        guard spki.count == Self.ed25519SPKIPrefix.count + 32, spki.starts(with: Self.ed25519SPKIPrefix) else {
            throw TransparencyError(.unsupportedKeyType, "the Ed25519 key's SubjectPublicKeyInfo is not the RFC 8410 form")
        }
        return Array(spki.suffix(32))
    }

    /// The public key encoded by `material`.
    func publicKey(fromMaterial material: [UInt8]) throws(TransparencyError) -> PublicKey {
        let spki: [UInt8]
        if algorithm == .ed25519 {
            // RFC 8032 §5.1.5: an Ed25519 public key is exactly 32 bytes.
            guard material.count == 32 else {
                throw TransparencyError(.malformedVerifierKey, "an Ed25519 public key is 32 bytes, not \(material.count)")
            }
            spki = Self.ed25519SPKIPrefix + material
        } else {
            spki = material
        }
        let key: PublicKey
        do {
            key = try PublicKey(subjectPublicKeyInfo: spki)
        } catch {
            throw TransparencyError(.malformedVerifierKey, "the public key cannot be read: \(error)")
        }
        guard key.algorithm == algorithm else {
            throw TransparencyError(.malformedVerifierKey, "the public key is \(key.algorithm), not \(algorithm)")
        }
        return key
    }
}
