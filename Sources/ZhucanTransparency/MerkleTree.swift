import ZhucanSigning

/// The RFC 9162 §2.1.1 Merkle Tree Hash (MTH) with SHA-256: the two hash functions every part
/// of the log shares, and a direct reference computation of a root from leaf hashes.
package enum MerkleTree {
    /// The length of every hash in the tree: SHA-256 (RFC 9162 §2.1 with the RFC 6962 hash).
    package static let hashLength = 32

    /// The hash of the empty tree: `MTH({}) = SHA-256()` (RFC 9162 §2.1.1).
    package static let emptyRootHash: [UInt8] = Digest.sha256([UInt8]())

    /// The hash of a leaf: `SHA-256(0x00 || data)` (RFC 9162 §2.1.1).
    package static func leafHash(_ data: some Sequence<UInt8>) -> [UInt8] {
        data.withContiguousStorageIfAvailable { leafHash(UnsafeRawBufferPointer($0)) } ?? Array(data).withUnsafeBytes(leafHash)
    }

    /// The hash of the leaf whose data is in `data` (where SQLite holds an entry, say).
    package static func leafHash(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        // RFC 9162 §2.1.1: the 0x00 prefix separates leaves from nodes (second-preimage resistance).
        withUnsafeTemporaryAllocation(byteCount: 1 + data.count, alignment: 1) { input in
            input[0] = 0x00
            UnsafeMutableRawBufferPointer(rebasing: input[1...]).copyMemory(from: data)
            return Digest.sha256(UnsafeRawBufferPointer(input))
        }
    }

    /// The hash of an interior node: `SHA-256(0x01 || left || right)` (RFC 9162 §2.1.1).
    package static func nodeHash(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var input = [UInt8]()
        input.reserveCapacity(1 + left.count + right.count)
        input.append(0x01)
        input.append(contentsOf: left)
        input.append(contentsOf: right)
        return Digest.sha256(input)
    }

    /// The root hash of the tree whose leaves have `leafHashes`, computed straight from the
    /// recursive definition of RFC 9162 §2.1.1 (split at the largest power of two below n).
    ///
    /// O(n) hashes and memory for the leaves: a reference for tests and small trees; a log
    /// computes roots from stored subtrees instead (`MerkleLog.root(atSize:)`). Recursion depth
    /// is at most 64, since each level halves the power of two.
    package static func rootHash(leafHashes: [[UInt8]]) -> [UInt8] {
        leafHashes.isEmpty ? emptyRootHash : rootHash(leafHashes[...])
    }

    /// The root hash of the tree whose leaves are `leaves` (each leaf hashed with `leafHash`).
    package static func rootHash(leaves: [[UInt8]]) -> [UInt8] {
        rootHash(leafHashes: leaves.map { leafHash($0) })
    }

    private static func rootHash(_ hashes: ArraySlice<[UInt8]>) -> [UInt8] {
        if hashes.count == 1 { return hashes[hashes.startIndex] }
        // RFC 9162 §2.1.1: k is the largest power of two smaller than n.
        let k = largestPowerOfTwo(below: hashes.count)
        let split = hashes.startIndex + k
        return nodeHash(rootHash(hashes[..<split]), rootHash(hashes[split...]))
    }

    /// The largest power of two strictly smaller than `n` (n ≥ 2).
    private static func largestPowerOfTwo(below n: Int) -> Int {
        1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount)
    }
}
