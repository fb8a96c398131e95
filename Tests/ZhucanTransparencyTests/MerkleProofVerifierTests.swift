import Testing
import ZhucanTransparency

@Suite("MerkleProofVerifier error codes")
struct MerkleProofVerifierTests {
    static let leaves = (0..<11).map(Fixtures.leaf)

    @Test("Inclusion: each kind of bad input has its own error")
    func inclusionErrors() throws {
        let log = try Fixtures.log(Self.leaves)
        let root = try log.root(atSize: 11)
        let leaf = MerkleTree.leafHash(Self.leaves[4])
        let proof = try log.inclusionProof(index: 4, size: 11)
        try MerkleProofVerifier.verifyInclusion(leafHash: leaf, index: 4, size: 11, proof: proof, root: root)

        #expect(throws: TransparencyError(.indexOutOfRange, "")) {
            try MerkleProofVerifier.verifyInclusion(leafHash: leaf, index: 11, size: 11, proof: proof, root: root)
        }
        #expect(throws: TransparencyError(.indexOutOfRange, "")) {
            try MerkleProofVerifier.verifyInclusion(leafHash: leaf, index: 0, size: 0, proof: [], root: root)
        }
        #expect(throws: TransparencyError(.wrongProofSize, "")) {
            try MerkleProofVerifier.verifyInclusion(leafHash: leaf, index: 4, size: 11, proof: proof.dropLast(), root: root)
        }
        #expect(throws: TransparencyError(.wrongProofSize, "")) {
            try MerkleProofVerifier.verifyInclusion(leafHash: leaf, index: 4, size: 11, proof: proof + [root], root: root)
        }
        #expect(throws: TransparencyError(.malformedHash, "")) {
            try MerkleProofVerifier.verifyInclusion(leafHash: leaf, index: 4, size: 11, proof: proof, root: root.dropLast())
        }
        #expect(throws: TransparencyError(.malformedHash, "")) {
            try MerkleProofVerifier.verifyInclusion(leafHash: leaf + [0], index: 4, size: 11, proof: proof, root: root)
        }
        #expect(throws: TransparencyError(.malformedHash, "")) {
            try MerkleProofVerifier.verifyInclusion(
                leafHash: leaf, index: 4, size: 11, proof: [[]] + proof.dropFirst(), root: root)
        }
        #expect(throws: TransparencyError(.rootMismatch, "")) {
            try MerkleProofVerifier.verifyInclusion(
                leafHash: leaf, index: 4, size: 11, proof: proof.reversed(), root: root)
        }
        // Largest sizes: no overflow or trap.
        #expect(throws: TransparencyError(.wrongProofSize, "")) {
            try MerkleProofVerifier.verifyInclusion(leafHash: leaf, index: .max - 1, size: .max, proof: [], root: root)
        }
    }

    @Test("Consistency: each kind of bad input has its own error")
    func consistencyErrors() throws {
        let log = try Fixtures.log(Self.leaves)
        let root6 = try log.root(atSize: 6), root11 = try log.root(atSize: 11)
        let proof = try log.consistencyProof(from: 6, to: 11)
        try MerkleProofVerifier.verifyConsistency(size1: 6, size2: 11, proof: proof, root1: root6, root2: root11)

        #expect(throws: TransparencyError(.treeSizeOutOfRange, "")) {
            try MerkleProofVerifier.verifyConsistency(size1: 11, size2: 6, proof: proof, root1: root11, root2: root6)
        }
        #expect(throws: TransparencyError(.treeSizeOutOfRange, "")) {
            try MerkleProofVerifier.verifyConsistency(
                size1: 0, size2: 11, proof: proof, root1: MerkleTree.emptyRootHash, root2: root11)
        }
        #expect(throws: TransparencyError(.wrongProofSize, "")) {
            try MerkleProofVerifier.verifyConsistency(size1: 6, size2: 11, proof: [], root1: root6, root2: root11)
        }
        #expect(throws: TransparencyError(.wrongProofSize, "")) {
            try MerkleProofVerifier.verifyConsistency(size1: 6, size2: 11, proof: proof + [root6], root1: root6, root2: root11)
        }
        #expect(throws: TransparencyError(.wrongProofSize, "")) {
            try MerkleProofVerifier.verifyConsistency(size1: 6, size2: 6, proof: proof, root1: root6, root2: root6)
        }
        #expect(throws: TransparencyError(.rootMismatch, "")) {
            try MerkleProofVerifier.verifyConsistency(size1: 6, size2: 6, proof: [], root1: root6, root2: root11)
        }
        #expect(throws: TransparencyError(.malformedHash, "")) {
            try MerkleProofVerifier.verifyConsistency(
                size1: 6, size2: 11, proof: proof, root1: Array(root6.prefix(20)), root2: root11)
        }
        #expect(throws: TransparencyError(.rootMismatch, "")) {
            try MerkleProofVerifier.verifyConsistency(size1: 6, size2: 11, proof: proof, root1: root11, root2: root6)
        }
        #expect(throws: TransparencyError(.wrongProofSize, "")) {
            try MerkleProofVerifier.verifyConsistency(size1: .max - 1, size2: .max, proof: [], root1: root6, root2: root11)
        }
        // Equal sizes with equal roots and no proof: consistent.
        try MerkleProofVerifier.verifyConsistency(size1: 11, size2: 11, proof: [], root1: root11, root2: root11)
    }
}
