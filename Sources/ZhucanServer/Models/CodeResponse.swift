/// A freshly minted code for the holder's app: `{"code": "ZC1:…", "expiresIn": 300}`.
struct CodeResponse: Encodable, Sendable {
    let code: String
    /// Seconds until it expires.
    let expiresIn: Int
    let requestId: String
}
