/// An append-only RFC 9162 Merkle tree over a `MerkleHashStore`: appends leaves, and computes
/// roots, inclusion proofs and consistency proofs for the current or any past tree size.
///
/// The log keeps no state of its own: everything is read from the store, so many `MerkleLog`
/// values (in many processes) may share one database. Each append writes the newly completed
/// subtrees on the tree's right edge (amortised O(1) hashes and reads per leaf); every root
/// and proof is assembled from O(log n) stored complete subtrees, read in one batch.
///
/// Methods throw `TransparencyError` for bad arguments and an inconsistent store, and pass
/// the store's own errors through unchanged.
package struct MerkleLog<Store: MerkleHashStore> {
    /// Where the hashes live.
    package let store: Store

    /// A log over `store` (which may already hold leaves).
    package init(store: Store) {
        self.store = store
    }

    /// The number of leaves in the log.
    package var size: UInt64 {
        get throws { try store.leafCount() }
    }

    // MARK: Appending

    /// Appends one leaf (its data, hashed here with `MerkleTree.leafHash`).
    /// - Returns: the leaf's index.
    @discardableResult
    package func append(_ leafData: some Sequence<UInt8>) throws -> UInt64 {
        try append(leafHashes: [MerkleTree.leafHash(leafData)]).lowerBound
    }

    /// Appends leaves (their data) in order, in one store transaction.
    /// - Returns: the indices of the new leaves.
    @discardableResult
    package func append<Leaf: Sequence<UInt8>>(contentsOf leaves: some Sequence<Leaf>) throws -> Range<UInt64> {
        try append(leafHashes: leaves.map { MerkleTree.leafHash($0) })
    }

    /// Appends leaves given by their RFC 9162 leaf hashes, in one store transaction.
    /// - Returns: the indices of the new leaves.
    /// - Throws: `TransparencyError.malformedHash` for a hash that is not 32 bytes,
    ///   `.treeSizeOutOfRange` on overflow, `.storeInconsistent` if a needed node is missing,
    ///   and whatever the store throws (`.storeConflict` when another writer appended first).
    @discardableResult
    package func append(leafHashes: [[UInt8]]) throws -> Range<UInt64> {
        for hash in leafHashes where hash.count != MerkleTree.hashLength {
            throw TransparencyError(.malformedHash, "a leaf hash is \(hash.count) bytes, not \(MerkleTree.hashLength)")
        }
        let start = try store.leafCount()
        let (end, overflow) = start.addingReportingOverflow(UInt64(leafHashes.count))
        guard !overflow else { throw TransparencyError(.treeSizeOutOfRange, "the log cannot grow beyond 2^64 leaves") }

        var nodes = [MerkleNode]()
        nodes.reserveCapacity(leafHashes.count * 2)
        // Complete subtrees made by this batch that have no parent yet, left to right: the
        // batch's part of the right edge, so a batch reads at most O(log n) older nodes.
        var openNodes = [MerkleNode]()
        for (offset, leafHash) in leafHashes.enumerated() {
            var node = MerkleNode(id: MerkleNodeID(level: 0, index: start + UInt64(offset)), hash: leafHash)
            nodes.append(node)
            // A right child (odd index) completes its parent, and so on up the right edge.
            while node.id.index & 1 == 1 {
                let leftID = MerkleNodeID(level: node.id.level, index: node.id.index - 1)
                let left: [UInt8]
                if let last = openNodes.last, last.id == leftID {
                    left = last.hash
                    openNodes.removeLast()
                } else {
                    left = try storedHash(at: leftID)
                }
                node = MerkleNode(
                    id: MerkleNodeID(level: node.id.level + 1, index: node.id.index >> 1),
                    hash: MerkleTree.nodeHash(left, node.hash))
                nodes.append(node)
            }
            openNodes.append(node)
        }
        try store.append(nodes, from: start, to: end)
        return start..<end
    }

    // MARK: Reading

    /// The leaf hash at `index`.
    /// - Throws: `TransparencyError.indexOutOfRange` if `index` is not below the log's size.
    package func leafHash(at index: UInt64) throws -> [UInt8] {
        let size = try store.leafCount()
        guard index < size else { throw TransparencyError(.indexOutOfRange, "leaf \(index) is not below size \(size)") }
        return try storedHash(at: MerkleNodeID(level: 0, index: index))
    }

    /// The root hash of the tree of the first `size` leaves (RFC 9162 §2.1.1), for the current
    /// or any past size, from at most 64 stored subtrees (one per set bit of `size`).
    /// - Throws: `TransparencyError.treeSizeOutOfRange` if `size` is beyond the log.
    package func root(atSize size: UInt64) throws -> [UInt8] {
        try requireSize(size)
        if size == 0 { return MerkleTree.emptyRootHash }
        return try hashes(of: [0..<size])[0]
    }

    /// The inclusion proof of leaf `index` in the tree of size `size`: PATH(index, D[0:size])
    /// of RFC 9162 §2.1.3.1, ordered from the leaf up.
    /// - Throws: `TransparencyError.indexOutOfRange` unless `index < size`;
    ///   `.treeSizeOutOfRange` if `size` is beyond the log.
    package func inclusionProof(index: UInt64, size: UInt64) throws -> [[UInt8]] {
        try requireSize(size)
        guard index < size else {
            throw TransparencyError(.indexOutOfRange, "leaf \(index) is not below tree size \(size)")
        }
        // RFC 9162 §2.1.3.1, unrolled from the top: at each split, the proof takes the whole
        // subtree on the other side of the leaf's path, then descends into the leaf's side.
        var ranges = [Range<UInt64>]()
        var low: UInt64 = 0
        var high = size
        while high - low > 1 {
            let split = low + Self.largestPowerOfTwo(below: high - low)
            if index < split {
                ranges.append(split..<high)
                high = split
            } else {
                ranges.append(low..<split)
                low = split
            }
        }
        return try hashes(of: ranges.reversed())
    }

    /// The consistency proof from the tree of size `size1` to the tree of size `size2`:
    /// PROOF(size1, D[0:size2]) = SUBPROOF(size1, D[0:size2], true) of RFC 9162 §2.1.4.1;
    /// empty when the sizes are equal.
    /// - Throws: `TransparencyError.treeSizeOutOfRange` unless `0 < size1 ≤ size2 ≤ size`.
    package func consistencyProof(from size1: UInt64, to size2: UInt64) throws -> [[UInt8]] {
        try requireSize(size2)
        guard size1 <= size2 else {
            throw TransparencyError(.treeSizeOutOfRange, "size1 \(size1) is beyond size2 \(size2)")
        }
        // RFC 9162 §2.1.4.1 defines proofs for 0 < m only: every tree extends the empty tree.
        guard size1 > 0 else {
            throw TransparencyError(.treeSizeOutOfRange, "a consistency proof from the empty tree is meaningless")
        }
        // SUBPROOF unrolled from the top; `m` is relative to `low`, and `complete` is the
        // flag b of RFC 9162 (true while the subtree is still a prefix of the old tree's root).
        var ranges = [Range<UInt64>]()
        var low: UInt64 = 0
        var high = size2
        var m = size1
        var complete = true
        while m != high - low {
            let k = Self.largestPowerOfTwo(below: high - low)
            if m <= k {
                ranges.append((low + k)..<high)
                high = low + k
            } else {
                ranges.append(low..<(low + k))
                low += k
                m -= k
                complete = false
            }
        }
        // SUBPROOF(m, D[m], b): the old tree's subtree itself, unless the verifier has it (b).
        if !complete && low < high { ranges.append(low..<high) }
        return try hashes(of: ranges.reversed())
    }

    // MARK: Internals

    private func requireSize(_ size: UInt64) throws {
        let current = try store.leafCount()
        guard size <= current else {
            throw TransparencyError(.treeSizeOutOfRange, "tree size \(size) is beyond the log's \(current) leaves")
        }
    }

    /// The hash of a node the store must hold.
    private func storedHash(at id: MerkleNodeID) throws -> [UInt8] {
        guard let hash = try store.hash(at: id) else {
            throw TransparencyError(.storeInconsistent, "the store lacks node \(id)")
        }
        guard hash.count == MerkleTree.hashLength else {
            throw TransparencyError(.storeInconsistent, "node \(id) is \(hash.count) bytes")
        }
        return hash
    }

    /// The RFC 9162 subtree hashes MTH(D[a:b]) of `ranges`, reading every complete subtree
    /// they need in one batch.
    ///
    /// Each range `[a, b)` must be a node of an RFC 9162 tree, with `a` a multiple of a power
    /// of two at least `b - a` (every range the root and proof functions build is). Such a
    /// range tiles into complete subtrees of strictly decreasing size, one per set bit of
    /// `b - a`, and its MTH is those subtrees folded from the right (RFC 9162 §2.1.1 splits
    /// off the largest power of two first).
    private func hashes(of ranges: [Range<UInt64>]) throws -> [[UInt8]] {
        var pieces = [[MerkleNodeID]]()
        pieces.reserveCapacity(ranges.count)
        for range in ranges { pieces.append(Self.completeSubtrees(of: range)) }
        let ids = pieces.flatMap { $0 }
        let read = try store.hashes(at: ids)
        guard read.count == ids.count else {
            throw TransparencyError(.storeInconsistent, "the store answered \(read.count) of \(ids.count) reads")
        }
        var cursor = 0
        var result = [[UInt8]]()
        result.reserveCapacity(ranges.count)
        for piece in pieces {
            var subtreeHashes = [[UInt8]]()
            subtreeHashes.reserveCapacity(piece.count)
            for id in piece {
                guard let hash = read[cursor], hash.count == MerkleTree.hashLength else {
                    throw TransparencyError(.storeInconsistent, "the store lacks node \(id) or holds a malformed hash")
                }
                subtreeHashes.append(hash)
                cursor += 1
            }
            guard var folded = subtreeHashes.popLast() else {
                throw TransparencyError(.storeInconsistent, "an empty range has no subtree hash")
            }
            while let left = subtreeHashes.popLast() {
                folded = MerkleTree.nodeHash(left, folded)
            }
            result.append(folded)
        }
        return result
    }

    /// The complete subtrees that tile `range`, left to right, each as large as the left
    /// edge's alignment and the remaining length allow.
    static func completeSubtrees(of range: Range<UInt64>) -> [MerkleNodeID] {
        var ids = [MerkleNodeID]()
        var position = range.lowerBound
        while position < range.upperBound {
            let remaining = range.upperBound - position
            let fitting = UInt64.bitWidth - 1 - remaining.leadingZeroBitCount
            let aligned = position == 0 ? UInt64.bitWidth - 1 : position.trailingZeroBitCount
            let level = min(fitting, aligned)
            ids.append(MerkleNodeID(level: level, index: position >> UInt64(level)))
            position += 1 << UInt64(level)
        }
        return ids
    }

    /// The largest power of two strictly smaller than `n` (n ≥ 2): RFC 9162's k.
    static func largestPowerOfTwo(below n: UInt64) -> UInt64 {
        1 << UInt64(UInt64.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }
}

extension MerkleLog: Sendable where Store: Sendable {}
