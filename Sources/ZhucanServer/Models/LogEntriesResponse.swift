import ZhucanTransparency
/// The answer of `GET /v1/log/entries`: consecutive entries from `start`, each its leaf data
/// (a canonical CBOR `LogRecord`) in base64, and the tree's size when read. Entries are
/// served as stored: a missing row is a gap in `index`.
struct LogEntriesResponse: Encodable, Sendable {
    struct Entry: Encodable, Sendable {
        let index: UInt64
        /// Standard base64 of the leaf data.
        let data: String
        /// The leaf hash the tree holds for this index, if any (standard base64).
        let leafHash: String?
    }

    /// The tree's size (leaves hashed into it).
    let size: UInt64
    /// The number of stored entries (one past the highest index): `size`, unless rows were
    /// added behind the log's back.
    let count: UInt64
    let entries: [Entry]
}
