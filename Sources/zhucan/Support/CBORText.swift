import ZhucanCBOR

/// One-line renderings of CBOR for human output.
enum CBORText {
    /// A header map as compact JSON: `{"alg":"ES256 (-7)","kid":"…"}`.
    static func compact(_ pairs: [CBOR.Pair]) -> String {
        CBOR.map(pairs).jsonString(prettyPrinted: false)
    }
}
