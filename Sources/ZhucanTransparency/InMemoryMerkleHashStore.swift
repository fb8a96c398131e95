import Foundation

/// A `MerkleHashStore` in memory, for tests and tools: each level's hashes packed in one
/// contiguous byte array (32 bytes per node), so a million leaves take about 64 MB.
///
/// `@unchecked Sendable`: all mutable state is behind `lock`.
package final class InMemoryMerkleHashStore: MerkleHashStore, @unchecked Sendable {
    private let lock = NSLock()
    /// `levels[ℓ]` holds the hashes of level ℓ, node i at bytes `[32·i, 32·i + 32)`.
    private var levels: [[UInt8]] = []
    private var count: UInt64 = 0

    /// An empty store (leaf count 0).
    package init() {}

    package func leafCount() throws -> UInt64 {
        lock.withLock { count }
    }

    package func hash(at id: MerkleNodeID) throws -> [UInt8]? {
        lock.withLock { unlockedHash(at: id) }
    }

    package func hashes(at ids: [MerkleNodeID]) throws -> [[UInt8]?] {
        lock.withLock { ids.map { unlockedHash(at: $0) } }
    }

    package func append(_ nodes: [MerkleNode], from oldLeafCount: UInt64, to newLeafCount: UInt64) throws {
        try lock.withLock {
            guard count == oldLeafCount else {
                throw TransparencyError(
                    .storeConflict, "the store has \(count) leaves, the append expected \(oldLeafCount)")
            }
            guard newLeafCount >= oldLeafCount else {
                throw TransparencyError(.treeSizeOutOfRange, "an append cannot shrink the tree")
            }
            // Check everything before writing anything, so a rejected append changes nothing.
            var nodeCounts = levels.map { UInt64($0.count / MerkleTree.hashLength) }
            for node in nodes {
                guard node.hash.count == MerkleTree.hashLength else {
                    throw TransparencyError(.malformedHash, "node \(node.id) has a \(node.hash.count)-byte hash")
                }
                while nodeCounts.count <= node.id.level { nodeCounts.append(0) }
                // Append-only: each level grows by exactly one node at a time, left to right.
                guard node.id.index == nodeCounts[node.id.level] else {
                    throw TransparencyError(
                        .storeInconsistent,
                        "node \(node.id) is not the next node of level \(node.id.level) (\(nodeCounts[node.id.level]))")
                }
                nodeCounts[node.id.level] += 1
            }
            for node in nodes {
                while levels.count <= node.id.level { levels.append([]) }
                levels[node.id.level].append(contentsOf: node.hash)
            }
            count = newLeafCount
        }
    }

    private func unlockedHash(at id: MerkleNodeID) -> [UInt8]? {
        guard id.level < levels.count, id.index < UInt64(levels[id.level].count / MerkleTree.hashLength) else {
            return nil
        }
        let start = Int(id.index) * MerkleTree.hashLength
        return Array(levels[id.level][start..<start + MerkleTree.hashLength])
    }
}
