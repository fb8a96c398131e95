import ZhucanSigning

/// A note signing key: a private key under a key name, producing signature lines for the
/// matching `NoteVerifier`.
package struct NoteSigner: Sendable, CustomStringConvertible {
    /// The verifier for this signer's signatures (its key name, key ID and public key).
    package let verifier: NoteVerifier
    private let privateKey: PrivateKey

    /// A signer for `privateKey` under `keyName`.
    /// - Throws: `.invalidKeyName`; `.unsupportedKeyType` for keys other than Ed25519 and SM2.
    package init(keyName: String, privateKey: PrivateKey) throws(TransparencyError) {
        self.verifier = try NoteVerifier(keyName: keyName, publicKey: privateKey.publicKey)
        self.privateKey = privateKey
    }

    /// The key name.
    package var keyName: String { verifier.keyName }
    /// The key ID.
    package var keyID: UInt32 { verifier.keyID }

    /// Signs a note text (its exact bytes, final newline included).
    /// - Throws: `.signingFailed` if the signing layer fails.
    package func signature(for text: [UInt8]) throws(TransparencyError) -> NoteSignature {
        let signature: [UInt8]
        do {
            signature = try privateKey.signature(for: text, format: .raw)
        } catch {
            throw TransparencyError(.signingFailed, "\(error)")
        }
        return try NoteSignature(keyName: verifier.keyName, keyID: verifier.keyID, signature: signature)
    }

    package var description: String { "note signer \(keyName)+\(NoteVerifier.hex(keyID)) (\(verifier.type))" }
}
