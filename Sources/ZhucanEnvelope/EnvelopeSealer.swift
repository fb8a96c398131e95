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
}
