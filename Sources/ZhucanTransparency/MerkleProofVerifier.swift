/// Verifies RFC 9162 inclusion and consistency proofs, for clients that hold only a checkpoint.
///
/// Deliberately independent of `MerkleLog`: it shares nothing with the prover but the two
/// hash functions of `MerkleTree`, and follows the verification algorithms of RFC 9162
/// §2.1.3.2 and §2.1.4.2 step by step, so a bug in one side cannot hide the same bug in the
/// other. Proof lengths are checked before any hashing, so a wrong-size proof is reported as
/// `.wrongProofSize`, not as a root mismatch.
package enum MerkleProofVerifier {
    /// Verifies that `leafHash` is leaf `index` of the tree of size `size` with root `root`.
    ///
    /// - Parameters:
    ///   - leafHash: the RFC 9162 leaf hash (`MerkleTree.leafHash` of the entry).
    ///   - index: the leaf's index, below `size`.
    ///   - size: the tree size of `root`.
    ///   - proof: the inclusion path, from the leaf up.
    ///   - root: the root hash of the tree of size `size`.
    /// - Throws: `.indexOutOfRange` unless `index < size`; `.malformedHash` for a hash that is
    ///   not 32 bytes; `.wrongProofSize` for too many or too few proof hashes; `.rootMismatch`
    ///   when the proof leads to a different root.
    package static func verifyInclusion(
        leafHash: [UInt8],
        index: UInt64,
        size: UInt64,
        proof: [[UInt8]],
        root: [UInt8]
    ) throws(TransparencyError) {
        // RFC 9162 §2.1.3.2 step 1: leaf_index must be below tree_size.
        guard index < size else {
            throw TransparencyError(.indexOutOfRange, "leaf index \(index) is not below tree size \(size)")
        }
        try requireHashLength(leafHash, "the leaf hash")
        try requireHashLength(root, "the root hash")
        for (position, hash) in proof.enumerated() {
            try requireHashLength(hash, "proof hash \(position)")
        }
        let needed = inclusionPathLength(index: index, size: size)
        guard proof.count == needed else {
            throw TransparencyError(
                .wrongProofSize, "an inclusion proof for leaf \(index) of \(size) has \(needed) hashes, not \(proof.count)")
        }

        // RFC 9162 §2.1.3.2 steps 2–5.
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            guard sn != 0 else { throw TransparencyError(.wrongProofSize, "the inclusion proof is too long") }
            if fn & 1 == 1 || fn == sn {
                r = MerkleTree.nodeHash(p, r)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                r = MerkleTree.nodeHash(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw TransparencyError(.wrongProofSize, "the inclusion proof is too short") }
        guard r == root else {
            throw TransparencyError(.rootMismatch, "the inclusion proof for leaf \(index) leads to a different root")
        }
    }

    /// Verifies that the tree of size `size2` with root `root2` extends the tree of size
    /// `size1` with root `root1`.
    ///
    /// Equal sizes need an empty proof and equal roots (compared as given: there is nothing to
    /// hash). A proof from the empty tree is rejected, as RFC 9162 §2.1.4.1 defines proofs for
    /// `0 < size1` only: a client with no earlier checkpoint has nothing to check.
    ///
    /// - Parameters:
    ///   - size1: the older tree size, at least 1.
    ///   - size2: the newer tree size, at least `size1`.
    ///   - proof: the consistency path.
    ///   - root1: the root hash of the tree of size `size1`.
    ///   - root2: the root hash of the tree of size `size2`.
    /// - Throws: `.treeSizeOutOfRange` unless `0 < size1 ≤ size2`; `.wrongProofSize`;
    ///   `.malformedHash`; `.rootMismatch` when either root differs from the proof's.
    package static func verifyConsistency(
        size1: UInt64,
        size2: UInt64,
        proof: [[UInt8]],
        root1: [UInt8],
        root2: [UInt8]
    ) throws(TransparencyError) {
        guard size1 <= size2 else {
            throw TransparencyError(.treeSizeOutOfRange, "size1 \(size1) is beyond size2 \(size2)")
        }
        guard size1 > 0 else {
            throw TransparencyError(.treeSizeOutOfRange, "a consistency proof from the empty tree is meaningless")
        }
        if size1 == size2 {
            guard proof.isEmpty else {
                throw TransparencyError(.wrongProofSize, "equal tree sizes need an empty proof, not \(proof.count) hashes")
            }
            guard root1 == root2 else {
                throw TransparencyError(.rootMismatch, "the roots of two trees of size \(size1) differ")
            }
            return
        }
        try requireHashLength(root1, "root1")
        try requireHashLength(root2, "root2")
        for (position, hash) in proof.enumerated() {
            try requireHashLength(hash, "proof hash \(position)")
        }
        // RFC 9162 §2.1.4.2 step 1: an empty path fails (size1 < size2 here).
        let isPowerOfTwo = size1 & (size1 - 1) == 0
        let needed = consistencyPathLength(size1: size1, size2: size2) - (isPowerOfTwo ? 1 : 0)
        guard !proof.isEmpty, proof.count == needed else {
            throw TransparencyError(
                .wrongProofSize,
                "a consistency proof from \(size1) to \(size2) has \(needed) hashes, not \(proof.count)")
        }

        // Step 2: if size1 is an exact power of two, the old root is the path's first node.
        let path = isPowerOfTwo ? [root1] + proof : proof
        // Step 3.
        var fn = size1 - 1
        var sn = size2 - 1
        // Step 4.
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        // Step 5.
        var fr = path[0]
        var sr = path[0]
        // Step 6.
        for c in path.dropFirst() {
            guard sn != 0 else { throw TransparencyError(.wrongProofSize, "the consistency proof is too long") }
            if fn & 1 == 1 || fn == sn {
                fr = MerkleTree.nodeHash(c, fr)
                sr = MerkleTree.nodeHash(c, sr)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                sr = MerkleTree.nodeHash(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        // Step 7.
        guard sn == 0 else { throw TransparencyError(.wrongProofSize, "the consistency proof is too short") }
        guard fr == root1 else {
            throw TransparencyError(.rootMismatch, "the consistency proof does not lead to root1 of size \(size1)")
        }
        guard sr == root2 else {
            throw TransparencyError(.rootMismatch, "the consistency proof does not lead to root2 of size \(size2)")
        }
    }

    // MARK: Path lengths, by running the RFC loops on the indices alone

    /// The number of hashes the RFC 9162 §2.1.3.2 loop consumes before `sn` reaches 0.
    private static func inclusionPathLength(index: UInt64, size: UInt64) -> Int {
        var fn = index
        var sn = size - 1
        var count = 0
        while sn != 0 {
            if fn & 1 == 1 || fn == sn {
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            }
            fn >>= 1
            sn >>= 1
            count += 1
        }
        return count
    }

    /// The length of the RFC 9162 §2.1.4.2 path (after step 2's prepending): one seed plus one
    /// hash per step-6 iteration before `sn` reaches 0.
    private static func consistencyPathLength(size1: UInt64, size2: UInt64) -> Int {
        var fn = size1 - 1
        var sn = size2 - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var count = 1
        while sn != 0 {
            if fn & 1 == 1 || fn == sn {
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            }
            fn >>= 1
            sn >>= 1
            count += 1
        }
        return count
    }

    private static func requireHashLength(_ hash: [UInt8], _ what: @autoclosure () -> String) throws(TransparencyError) {
        guard hash.count == MerkleTree.hashLength else {
            throw TransparencyError(.malformedHash, "\(what()) is \(hash.count) bytes, not \(MerkleTree.hashLength)")
        }
    }
}
