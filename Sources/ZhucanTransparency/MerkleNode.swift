/// A complete subtree's hash with its position: what `MerkleLog` hands a `MerkleHashStore`
/// to write when leaves are appended.
package struct MerkleNode: Hashable, Sendable {
    /// Where the subtree is.
    package let id: MerkleNodeID
    /// Its RFC 9162 §2.1.1 hash (32 bytes).
    package let hash: [UInt8]

    /// Pairs a position with its hash.
    package init(id: MerkleNodeID, hash: [UInt8]) {
        self.id = id
        self.hash = hash
    }
}
