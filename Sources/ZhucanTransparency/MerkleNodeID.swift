/// The position of a complete subtree in a Merkle tree: `level` ℓ and `index` i name the
/// perfect subtree over leaves `[i·2^ℓ, (i+1)·2^ℓ)`; level 0 holds the leaf hashes.
///
/// This is the key a `MerkleHashStore` stores hashes under (a SQL table's primary key
/// `(level, index)`).
package struct MerkleNodeID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The height of the subtree above the leaves (0 for a leaf; at most 63).
    package let level: Int
    /// The subtree's position among the subtrees of its level, from the left.
    package let index: UInt64

    /// Names the subtree at `level` (0...63; a level outside is a programming error and traps)
    /// and `index`.
    package init(level: Int, index: UInt64) {
        precondition((0..<UInt64.bitWidth).contains(level), "a Merkle tree over UInt64 leaf indices has levels 0...63")
        self.level = level
        self.index = index
    }

    package var description: String { "(\(level), \(index))" }

    package static func < (lhs: MerkleNodeID, rhs: MerkleNodeID) -> Bool {
        (lhs.level, lhs.index) < (rhs.level, rhs.index)
    }
}
