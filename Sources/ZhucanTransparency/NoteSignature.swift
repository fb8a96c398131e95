/// One signature line of a signed note: `— <key name> base64(key ID || signature)`
/// (C2SP signed-note §Signatures).
package struct NoteSignature: Hashable, Sendable {
    /// The signer's key name.
    package let keyName: String
    /// The 32-bit key ID (big-endian on the wire).
    package let keyID: UInt32
    /// The signature bytes after the key ID, as the signature type defines them.
    package let signature: [UInt8]

    /// Makes a signature line's value.
    /// - Throws: `TransparencyError.invalidKeyName` for an empty name or one with spaces or `+`.
    package init(keyName: String, keyID: UInt32, signature: [UInt8]) throws(TransparencyError) {
        try NoteKeyName.validate(keyName)
        self.keyName = keyName
        self.keyID = keyID
        self.signature = signature
    }

    /// The line as it appears in a note, ending in a newline.
    package var line: String {
        let id: [UInt8] = [UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xFF), UInt8(keyID >> 8 & 0xFF), UInt8(keyID & 0xFF)]
        return "\u{2014} \(keyName) \(Base64.encode(id + signature))\n"
    }

    /// Whether this signature names the key `name` with `keyID` (names compared byte for byte).
    func isFrom(keyName name: String, keyID id: UInt32) -> Bool {
        keyID == id && NoteKeyName.same(keyName, name)
    }

    package static func == (lhs: NoteSignature, rhs: NoteSignature) -> Bool {
        lhs.isFrom(keyName: rhs.keyName, keyID: rhs.keyID) && lhs.signature == rhs.signature
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(Array(keyName.utf8))
        hasher.combine(keyID)
        hasher.combine(signature)
    }
}
