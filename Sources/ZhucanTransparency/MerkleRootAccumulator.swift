/// The RFC 9162 root of a growing list of leaves, in O(log n) memory: the hashes of the
/// perfect subtrees the leaves so far tile into (a "compact range"), largest first.
///
/// An auditor streams a log's entries through it and reads the root at every size it holds
/// a checkpoint for, without keeping the tree.
package struct MerkleRootAccumulator: Sendable {
    /// Perfect subtrees covering leaves `[0, size)`, left to right, strictly decreasing levels.
    private var subtrees: [(level: Int, hash: [UInt8])] = []
    /// The number of leaves appended.
    package private(set) var size: UInt64 = 0

    /// An empty tree.
    package init() {}

    /// Appends a leaf by its RFC 9162 leaf hash (`MerkleTree.leafHash`).
    package mutating func append(leafHash: [UInt8]) {
        var hash = leafHash
        var level = 0
        // Equal-sized neighbours merge, as the bits of `size` carry.
        while let last = subtrees.last, last.level == level {
            subtrees.removeLast()
            hash = MerkleTree.nodeHash(last.hash, hash)
            level += 1
        }
        subtrees.append((level, hash))
        size += 1
    }

    /// The root hash of the leaves so far (RFC 9162 §2.1.1: the subtrees folded from the right).
    package var rootHash: [UInt8] {
        guard var folded = subtrees.last?.hash else { return MerkleTree.emptyRootHash }
        for subtree in subtrees.dropLast().reversed() {
            folded = MerkleTree.nodeHash(subtree.hash, folded)
        }
        return folded
    }
}
