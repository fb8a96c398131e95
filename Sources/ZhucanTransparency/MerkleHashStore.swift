/// Storage for an append-only Merkle tree: the hashes of its complete subtrees and its leaf
/// count. `MerkleLog` computes every hash; a store only keeps them.
///
/// ## Contract
///
/// - The store holds, for leaf count n, the hash of every *complete* subtree inside leaves
///   `[0, n)`: at `MerkleNodeID(level: ℓ, index: i)` the RFC 9162 §2.1.1 hash of leaves
///   `[i·2^ℓ, (i+1)·2^ℓ)`. That is about 2n hashes of 32 bytes; nothing else is needed to
///   compute any past root, inclusion proof or consistency proof in O(log n) reads (the
///   "compact range" idea of transparency-dev/merkle and Go's `tlog` tiles, without tiling).
/// - Nodes are written once and never changed: an implementation may `INSERT` with primary
///   key `(level, index)` and never `UPDATE` or `DELETE`.
/// - `append(_:from:to:)` is atomic (one transaction): it writes the given nodes and moves
///   the leaf count from `oldLeafCount` to `newLeafCount`, or changes nothing and throws.
///   When the stored leaf count is not `oldLeafCount` (another writer appended first) it
///   must throw, preferably `TransparencyError(.storeConflict, …)`. This compare-and-set is
///   all the concurrency control the log needs; appends from one process should still be
///   serialised, since a conflict fails the losing append.
/// - Reads return `nil` for nodes not stored; the log turns a missing node it needs into
///   `TransparencyError.storeInconsistent`.
/// - Errors from the backing database are thrown as they are (any `Error`).
///
/// A store need not be `Sendable`: one bound to an open database transaction is not, and
/// `MerkleLog` is `Sendable` exactly when its store is.
///
/// A SQL table for this protocol: `merkle_node(level INTEGER, idx BIGINT, hash BLOB/BYTEA,
/// PRIMARY KEY (level, idx))` plus a one-row `merkle_size(leaf_count BIGINT)` (in SQLite and
/// PostgreSQL store `idx` as a signed 64-bit value: indices never reach 2^63 in practice).
package protocol MerkleHashStore {
    /// The number of leaves committed so far.
    func leafCount() throws -> UInt64

    /// The hash of the complete subtree at `id`, or `nil` if the store does not hold it.
    func hash(at id: MerkleNodeID) throws -> [UInt8]?

    /// The hashes at `ids`, in the same order (`nil` for each not held).
    ///
    /// The log asks for every node a proof needs in one call, so a database implementation
    /// can answer with one query; the default calls `hash(at:)` for each id.
    func hashes(at ids: [MerkleNodeID]) throws -> [[UInt8]?]

    /// Atomically writes `nodes` and moves the leaf count from `oldLeafCount` to `newLeafCount`.
    ///
    /// - Parameters:
    ///   - nodes: the complete subtrees that leaves `[oldLeafCount, newLeafCount)` complete,
    ///     leaves first within each level, each level in increasing index order.
    ///   - oldLeafCount: the leaf count the log read before computing `nodes`.
    ///   - newLeafCount: the leaf count after the append.
    /// - Throws: when the stored leaf count is not `oldLeafCount` (preferably
    ///   `TransparencyError.storeConflict`), or when the database fails; nothing is written then.
    func append(_ nodes: [MerkleNode], from oldLeafCount: UInt64, to newLeafCount: UInt64) throws
}

extension MerkleHashStore {
    /// Reads each id with `hash(at:)`.
    package func hashes(at ids: [MerkleNodeID]) throws -> [[UInt8]?] {
        try ids.map { try hash(at: $0) }
    }
}
