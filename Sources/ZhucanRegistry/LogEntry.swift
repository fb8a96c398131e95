import ZhucanTransparency

/// One entry of the transparency log: its leaf index, its leaf data (an encoded `LogRecord`),
/// and the leaf hash the tree holds for that index.
public struct LogEntry: Hashable, Sendable {
    /// The leaf index, from 0.
    public let index: UInt64
    /// The leaf data, hashed as `SHA-256(0x00 ‖ data)`.
    public let data: [UInt8]
    /// The leaf hash stored in the tree at `index` (`nil` when the tree has none). An auditor
    /// recomputes it from `data`; a difference names an entry changed after it was logged.
    public let leafHash: [UInt8]?

    /// Makes an entry.
    public init(index: UInt64, data: [UInt8], leafHash: [UInt8]? = nil) {
        self.index = index
        self.data = data
        self.leafHash = leafHash
    }
}
