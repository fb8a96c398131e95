import Testing
import ZhucanTransparency

/// Proofs from `MerkleLog` checked three ways for every tree up to 64 leaves: equal to the
/// RFC 9162 recursive definitions computed directly from the leaves, accepted by
/// `MerkleProofVerifier`, and rejected once any single bit is flipped.
///
/// Flipping every bit of every proof is ~6 million verifications (over two minutes in a debug
/// build), so by default all 256 bits of each proof hash are flipped for trees up to 8 leaves
/// and 8 bits per hash (one in every fourth byte, each bit position once) above that; with
/// `ZHUCAN_SLOW_TESTS=1` every bit of every proof is flipped.
@Suite("Prover and verifier round trip, trees up to 64 leaves")
struct MerkleProofRoundTripTests {
    static let maxSize = 64
    static let leaves = (0..<maxSize).map(Fixtures.leaf)
    static let leafHashes = leaves.map { MerkleTree.leafHash($0) }

    /// The bits to flip in each proof hash of a tree of `size` leaves.
    static func bitsToFlip(size: Int) -> [Int] {
        if size <= 8 || SlowTests.enabled { return Array(0..<256) }
        return (0..<8).map { 32 * $0 + $0 }  // byte 4i, bit i
    }

    // MARK: RFC 9162 §2.1.3.1 and §2.1.4.1, transcribed recursively (test reference only)

    static func mth(_ d: ArraySlice<[UInt8]>) -> [UInt8] { MerkleTree.rootHash(leafHashes: Array(d)) }

    static func k(_ n: Int) -> Int {
        var k = 1
        while k * 2 < n { k *= 2 }
        return k
    }

    static func path(_ m: Int, _ d: ArraySlice<[UInt8]>) -> [[UInt8]] {
        let n = d.count
        if n == 1 { return [] }
        let k = k(n), a = d.startIndex
        return m < k
            ? path(m, d[a..<(a + k)]) + [mth(d[(a + k)...])]
            : path(m - k, d[(a + k)...]) + [mth(d[a..<(a + k)])]
    }

    static func subproof(_ m: Int, _ d: ArraySlice<[UInt8]>, _ b: Bool) -> [[UInt8]] {
        let n = d.count
        if m == n { return b ? [] : [mth(d)] }
        let k = k(n), a = d.startIndex
        return m <= k
            ? subproof(m, d[a..<(a + k)], b) + [mth(d[(a + k)...])]
            : subproof(m - k, d[(a + k)...], false) + [mth(d[a..<(a + k)])]
    }

    // MARK: Tests

    @Test("Inclusion proofs: RFC definition, verification, every bit flip rejected", arguments: 1...maxSize)
    func inclusion(size: Int) throws {
        let log = try Fixtures.log(Array(Self.leaves.prefix(size)))
        let root = try log.root(atSize: UInt64(size))
        for index in 0..<size {
            let proof = try log.inclusionProof(index: UInt64(index), size: UInt64(size))
            #expect(proof == Self.path(index, Self.leafHashes[0..<size]), "PATH(\(index), \(size))")
            let leaf = Self.leafHashes[index]
            #expect(throws: Never.self, "index \(index) size \(size)") {
                try MerkleProofVerifier.verifyInclusion(
                    leafHash: leaf, index: UInt64(index), size: UInt64(size), proof: proof, root: root)
            }
            var accepted = 0
            for element in proof.indices {
                for bit in Self.bitsToFlip(size: size) {
                    var bad = proof
                    bad[element] = Fixtures.flipping(proof[element], bit: bit)
                    do {
                        try MerkleProofVerifier.verifyInclusion(
                            leafHash: leaf, index: UInt64(index), size: UInt64(size), proof: bad, root: root)
                        accepted += 1
                    } catch {
                        if error.code != .rootMismatch { accepted += 1 }
                    }
                }
            }
            #expect(accepted == 0, "\(accepted) bit flips in PATH(\(index), \(size)) were not a root mismatch")
            // The wrong leaf, a wrong root, or a neighbour's index fail too.
            #expect(throws: TransparencyError(.rootMismatch, "")) {
                try MerkleProofVerifier.verifyInclusion(
                    leafHash: Fixtures.flipping(leaf, bit: 7), index: UInt64(index), size: UInt64(size),
                    proof: proof, root: root)
            }
            #expect(throws: TransparencyError(.rootMismatch, "")) {
                try MerkleProofVerifier.verifyInclusion(
                    leafHash: leaf, index: UInt64(index), size: UInt64(size), proof: proof,
                    root: Fixtures.flipping(root, bit: 200))
            }
            if size > 1 {
                let other = UInt64((index + 1) % size)
                #expect(throws: TransparencyError.self) {
                    try MerkleProofVerifier.verifyInclusion(
                        leafHash: leaf, index: other, size: UInt64(size), proof: proof, root: root)
                }
            }
        }
    }

    @Test("Consistency proofs: RFC definition, verification, every bit flip rejected", arguments: 1...maxSize)
    func consistency(size2: Int) throws {
        let log = try Fixtures.log(Array(Self.leaves.prefix(size2)))
        let root2 = try log.root(atSize: UInt64(size2))
        let size = size2
        for size1 in 1...size2 {
            let root1 = try log.root(atSize: UInt64(size1))
            let proof = try log.consistencyProof(from: UInt64(size1), to: UInt64(size2))
            let expected = size1 == size2 ? [] : Self.subproof(size1, Self.leafHashes[0..<size2], true)
            #expect(proof == expected, "PROOF(\(size1), \(size2))")
            #expect(throws: Never.self, "\(size1) → \(size2)") {
                try MerkleProofVerifier.verifyConsistency(
                    size1: UInt64(size1), size2: UInt64(size2), proof: proof, root1: root1, root2: root2)
            }
            var accepted = 0
            for element in proof.indices {
                for bit in Self.bitsToFlip(size: size) {
                    var bad = proof
                    bad[element] = Fixtures.flipping(proof[element], bit: bit)
                    do {
                        try MerkleProofVerifier.verifyConsistency(
                            size1: UInt64(size1), size2: UInt64(size2), proof: bad, root1: root1, root2: root2)
                        accepted += 1
                    } catch {
                        if error.code != .rootMismatch { accepted += 1 }
                    }
                }
            }
            #expect(accepted == 0, "\(accepted) bit flips in PROOF(\(size1), \(size2)) were not a root mismatch")
            #expect(throws: TransparencyError(.rootMismatch, "")) {
                try MerkleProofVerifier.verifyConsistency(
                    size1: UInt64(size1), size2: UInt64(size2), proof: proof,
                    root1: Fixtures.flipping(root1, bit: 3), root2: root2)
            }
            #expect(throws: TransparencyError(.rootMismatch, "")) {
                try MerkleProofVerifier.verifyConsistency(
                    size1: UInt64(size1), size2: UInt64(size2), proof: proof,
                    root1: root1, root2: Fixtures.flipping(root2, bit: 250))
            }
        }
    }
}
