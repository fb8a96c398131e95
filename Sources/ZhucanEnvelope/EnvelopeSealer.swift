import ZhucanSigning

/// Makes envelopes: CWT claims → deterministic CBOR → COSE_Sign1 (tag 18) → zlib → base45 →
/// `ZC1:` prefix.
package enum EnvelopeSealer {
    /// Signs `claims` with `key` and returns the envelope text.
    /// - Parameters:
    ///   - type: the protected `typ` header (RFC 9596) naming the object type.
    ///   - prefix: `.zhucan` for every Zhucan object.
    /// - Throws: `EnvelopeError.signingFailed`.
    package static func seal(
        _ claims: CWTClaims,
        type: String,
        key: PrivateKey,
        prefix: EnvelopePrefix = .zhucan
    ) throws(EnvelopeError) -> String {
        let cose = try CoseSign1.sign(payload: claims.cbor.encoded(), type: type, key: key)
        return seal(cose, prefix: prefix)
    }

    /// Compresses and encodes an already signed COSE_Sign1.
    package static func seal(_ cose: CoseSign1, prefix: EnvelopePrefix = .zhucan) -> String {
        prefix.rawValue + Base45.encode(Zlib.compress(cose.encoded(tagged: true)))
    }

    /// Below this size a compact object is not even tried with zlib: its signature, key id
    /// and nonce (76 random bytes) never shrink, and the rest is too short to repeat itself.
    /// Trying cost batch issuance an eighth of its time for nothing.
    package static let compactDeflateThreshold = 256

    /// Signs `claims` in the compact format (version 2): `CoseSign1.signCompact`, then the
    /// untagged COSE_Sign1 (the prefix says what it is, RFC 9052 §2) in base45 after `ZC2:`,
    /// or compressed after `ZC2Z:` when it is over `compactDeflateThreshold` bytes and that
    /// makes the text shorter.
    /// - Throws: `EnvelopeError.signingFailed`.
    package static func sealCompact(_ claims: CWTClaims, contentFormat: UInt64, key: PrivateKey) throws(EnvelopeError) -> String {
        let cose = try CoseSign1.signCompact(payload: claims.cbor.encoded(), contentFormat: contentFormat, key: key)
        let plain = cose.encoded(tagged: false)
        guard plain.count > compactDeflateThreshold else { return EnvelopePrefix.compact.rawValue + Base45.encode(plain) }
        let deflated = Zlib.compress(plain)
        // base45 writes 3 characters per 2 bytes; the deflated prefix is one character longer.
        return Base45.encodedLength(deflated.count) + 1 < Base45.encodedLength(plain.count)
            ? EnvelopePrefix.compactDeflated.rawValue + Base45.encode(deflated)
            : EnvelopePrefix.compact.rawValue + Base45.encode(plain)
    }
}
