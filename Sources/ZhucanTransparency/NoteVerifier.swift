import ZhucanSigning

/// A trusted note key: its name, key ID, signature type and public key, from a verifier key
/// string `<name>+<hex key ID>+<base64(type || public key)>` (C2SP signed-note §Verifier keys).
///
/// Equality and hashing compare the key name's bytes, the key ID, the type and the key.
package struct NoteVerifier: Hashable, Sendable, CustomStringConvertible {
    /// The key name signature lines must carry.
    package let keyName: String
    /// The key ID: the first four bytes of SHA-256(name || 0x0A || type || public key).
    package let keyID: UInt32
    /// The signature type (Ed25519, or Zhucan's SM2 extension).
    package let type: NoteSignatureType
    /// The public key.
    package let publicKey: PublicKey
    /// The public key as the type encodes it (raw 32 bytes for Ed25519).
    private let keyMaterial: [UInt8]

    /// The longest verifier key string accepted: far above any supported key's length.
    package static let maxVerifierKeyLength = 4096

    /// A verifier for `publicKey` under `keyName`, with the recommended key ID.
    /// - Throws: `.invalidKeyName`; `.unsupportedKeyType` for keys other than Ed25519 and SM2.
    package init(keyName: String, publicKey: PublicKey) throws(TransparencyError) {
        try NoteKeyName.validate(keyName)
        guard let type = NoteSignatureType.forAlgorithm(publicKey.algorithm) else {
            throw TransparencyError(.unsupportedKeyType, "notes cannot be signed with \(publicKey.algorithm) keys")
        }
        let material = try type.material(of: publicKey)
        self.keyName = keyName
        self.type = type
        self.publicKey = publicKey
        self.keyMaterial = material
        self.keyID = Self.keyID(keyName: keyName, type: type, material: material)
    }

    /// Parses a verifier key string, such as
    /// `example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k`.
    /// - Throws: `.malformedVerifierKey` for a wrong shape, non-canonical hex or base64, a bad
    ///   public key, or a key ID that does not match the name and key; `.invalidKeyName`;
    ///   `.unsupportedKeyType` for signature types other than Ed25519 and Zhucan SM2.
    package init(verifierKey: String) throws(TransparencyError) {
        guard verifierKey.utf8.count <= Self.maxVerifierKeyLength else {
            throw TransparencyError(.malformedVerifierKey, "the verifier key is over \(Self.maxVerifierKeyLength) bytes")
        }
        // Split at the first two pluses only: the base64 key may contain '+' itself.
        let parts = verifierKey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw TransparencyError(.malformedVerifierKey, "a verifier key is <name>+<key ID>+<key>, \(parts.count) parts given")
        }
        let name = String(parts[0])
        try NoteKeyName.validate(name)
        // C2SP signed-note §Conventions: fixed-length lowercase hex, so 8 digits for 32 bits.
        let hexID = parts[1].utf8
        guard hexID.count == 8,
              hexID.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
              let id = UInt32(parts[1], radix: 16)
        else {
            throw TransparencyError(.malformedVerifierKey, "the key ID must be 8 lowercase hex digits")
        }
        guard let material = Base64.decode(parts[2]), !material.isEmpty else {
            throw TransparencyError(.malformedVerifierKey, "the key is not canonical base64")
        }
        guard let type = NoteSignatureType.supported.first(where: { material.starts(with: $0.identifier) }) else {
            throw TransparencyError(
                .unsupportedKeyType, "signature type 0x\(String(material[0], radix: 16)) is not supported")
        }
        let keyMaterial = Array(material.dropFirst(type.identifier.count))
        let key = try type.publicKey(fromMaterial: keyMaterial)
        // Go's note.NewVerifier checks this too: a key ID that does not match would make
        // every signature line from this key look like an unknown key's.
        let expected = Self.keyID(keyName: name, type: type, material: keyMaterial)
        guard id == expected else {
            throw TransparencyError(.malformedVerifierKey, "the key ID does not match the key name and public key")
        }
        self.keyName = name
        self.keyID = id
        self.type = type
        self.publicKey = key
        self.keyMaterial = keyMaterial
    }

    /// The verifier key string `<name>+<hex key ID>+<base64(type || public key)>`.
    package var verifierKey: String {
        "\(keyName)+\(Self.hex(keyID))+\(Base64.encode(type.identifier + keyMaterial))"
    }

    /// Whether `signature` (the bytes after the key ID) is this key's signature over `text`.
    package func isValidSignature(_ signature: [UInt8], for text: [UInt8]) -> Bool {
        publicKey.isValidSignature(signature, for: text, format: .raw)
    }

    package var description: String { "note verifier \(keyName)+\(Self.hex(keyID)) (\(type))" }

    /// The recommended key ID: `SHA-256(key name || 0x0A || type || public key)[:4]`, big-endian
    /// (C2SP signed-note §Signatures).
    static func keyID(keyName: String, type: NoteSignatureType, material: [UInt8]) -> UInt32 {
        var input = Array(keyName.utf8)
        input.append(0x0A)
        input.append(contentsOf: type.identifier)
        input.append(contentsOf: material)
        let digest = Digest.sha256(input)
        return digest.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// `value` as 8 lowercase hex digits.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    package static func == (lhs: NoteVerifier, rhs: NoteVerifier) -> Bool {
        NoteKeyName.same(lhs.keyName, rhs.keyName) && lhs.keyID == rhs.keyID && lhs.type == rhs.type
            && lhs.publicKey == rhs.publicKey
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(Array(keyName.utf8))
        hasher.combine(keyID)
        hasher.combine(type)
        hasher.combine(publicKey)
    }
}
