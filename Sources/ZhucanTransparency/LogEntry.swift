/// One entry of the transparency log: its leaf index, its leaf data (an encoded `LogRecord`),
/// and the leaf hash the tree holds for that index.
package struct LogEntry: Hashable, Sendable {
    /// The leaf index, from 0.
    package let index: UInt64
    /// The leaf data, hashed as `SHA-256(0x00 ‖ data)`.
    package let data: [UInt8]
    /// The leaf hash stored in the tree at `index` (`nil` when the tree has none). An auditor
    /// recomputes it from `data`; a difference names an entry changed after it was logged.
    package let leafHash: [UInt8]?

    /// Makes an entry.
    package init(index: UInt64, data: [UInt8], leafHash: [UInt8]? = nil) {
        self.index = index
        self.data = data
        self.leafHash = leafHash
    }
}
