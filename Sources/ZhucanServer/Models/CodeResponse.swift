/// A freshly minted code for the holder's app: `{"code": "ZC2:…", "expiresIn": 300}` (compact, Docs/format.md §15).
struct CodeResponse: Encodable, Sendable {
    let code: String
    /// Seconds until it expires.
    let expiresIn: Int
    let requestId: String
}
