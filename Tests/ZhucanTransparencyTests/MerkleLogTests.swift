import ZhucanTesting
import Testing
import ZhucanTransparency

@Suite("MerkleLog over a hash store")
struct MerkleLogTests {
    @Test("Single and batched appends store the same tree")
    func batchEqualsSingle() throws {
        let leaves = (0..<77).map(Fixtures.leaf)
        let single = MerkleLog(store: InMemoryMerkleHashStore())
        for (index, leaf) in leaves.enumerated() {
            #expect(try single.append(leaf) == UInt64(index))
        }
        let batched = MerkleLog(store: InMemoryMerkleHashStore())
        #expect(try batched.append(contentsOf: leaves[..<30]) == 0..<30)
        #expect(try batched.append(contentsOf: leaves[30...]) == 30..<77)
        #expect(try single.size == 77)
        #expect(try batched.size == 77)
        for size in 1...77 {
            #expect(try single.root(atSize: UInt64(size)) == batched.root(atSize: UInt64(size)))
        }
        #expect(try batched.leafHash(at: 76) == MerkleTree.leafHash(leaves[76]))
    }

    @Test("Arguments out of range give specific errors")
    func outOfRange() throws {
        let log = try Fixtures.log((0..<10).map(Fixtures.leaf))
        #expect(throws: TransparencyError(.treeSizeOutOfRange, "")) { try log.root(atSize: 11) }
        #expect(throws: TransparencyError(.indexOutOfRange, "")) { try log.inclusionProof(index: 5, size: 5) }
        #expect(throws: TransparencyError(.treeSizeOutOfRange, "")) { try log.inclusionProof(index: 5, size: 11) }
        #expect(throws: TransparencyError(.treeSizeOutOfRange, "")) { try log.consistencyProof(from: 0, to: 5) }
        #expect(throws: TransparencyError(.treeSizeOutOfRange, "")) { try log.consistencyProof(from: 6, to: 5) }
        #expect(throws: TransparencyError(.treeSizeOutOfRange, "")) { try log.consistencyProof(from: 5, to: 11) }
        #expect(throws: TransparencyError(.indexOutOfRange, "")) { try log.leafHash(at: 10) }
        #expect(throws: TransparencyError(.malformedHash, "")) { try log.append(leafHashes: [[0x01, 0x02]]) }
        #expect(try log.consistencyProof(from: 7, to: 7).isEmpty)
        #expect(try log.size == 10)
    }

    @Test("A store that changed under an append rejects it and keeps its state")
    func conflict() throws {
        let store = InMemoryMerkleHashStore()
        let log = MerkleLog(store: store)
        try log.append(contentsOf: (0..<5).map(Fixtures.leaf))
        let root = try log.root(atSize: 5)
        let node = MerkleNode(id: MerkleNodeID(level: 0, index: 5), hash: MerkleTree.leafHash([9]))
        #expect(throws: TransparencyError(.storeConflict, "")) { try store.append([node], from: 4, to: 5) }
        // A node out of append order is refused and nothing is written.
        let skipping = MerkleNode(id: MerkleNodeID(level: 0, index: 7), hash: MerkleTree.leafHash([9]))
        #expect(throws: TransparencyError(.storeInconsistent, "")) { try store.append([node, skipping], from: 5, to: 6) }
        #expect(try store.leafCount() == 5)
        #expect(try store.hash(at: MerkleNodeID(level: 0, index: 5)) == nil)
        #expect(try log.root(atSize: 5) == root)
    }

    @Test("A store missing a node makes roots and proofs fail, not return wrong hashes")
    func missingNode() throws {
        let inner = InMemoryMerkleHashStore()
        try MerkleLog(store: inner).append(contentsOf: (0..<13).map(Fixtures.leaf))
        // Size 13 = 8 + 4 + 1: the root needs (3, 0), (2, 2) and (0, 12).
        let log = MerkleLog(store: ForgetfulStore(inner: inner, forgotten: MerkleNodeID(level: 2, index: 2)))
        #expect(throws: TransparencyError(.storeInconsistent, "")) { try log.root(atSize: 13) }
        #expect(throws: TransparencyError(.storeInconsistent, "")) { try log.inclusionProof(index: 0, size: 13) }
        #expect(throws: TransparencyError(.storeInconsistent, "")) { try log.consistencyProof(from: 3, to: 13) }
        // Appending leaf 13 completes (1, 6) and needs its left child (0, 12).
        let appender = MerkleLog(store: ForgetfulStore(inner: inner, forgotten: MerkleNodeID(level: 0, index: 12)))
        #expect(throws: TransparencyError(.storeInconsistent, "")) { try appender.append(Fixtures.leaf(13)) }
        #expect(try inner.leafCount() == 13)
        #expect(try log.root(atSize: 8) == MerkleTree.rootHash(leaves: (0..<8).map(Fixtures.leaf)))
    }

    @Test("Store reads per append are amortised O(1) and per proof O(log n), at 100,000 leaves")
    func readsAreLogarithmic() throws {
        let store = CountingStore()
        let log = MerkleLog(store: store)
        let n = 100_000
        for index in 0..<n { try log.append(Fixtures.leaf(index)) }
        // Each append reads only the left siblings it completes: n − popcount(n) in all.
        #expect(store.hashReads == n - n.nonzeroBitCount)

        let log2n = Int.bitWidth - (n - 1).leadingZeroBitCount  // ⌈log2 n⌉ = 17
        var generator = SplitMix64(seed: 9162)
        var worst = (root: 0, inclusion: 0, consistency: 0)
        var cases = [(UInt64(n - 1), UInt64(n)), (0, UInt64(n)), (UInt64(n / 2), UInt64(n / 2 + 1))]
        for _ in 0..<500 {
            let size = UInt64.random(in: 1...UInt64(n), using: &generator)
            cases.append((UInt64.random(in: 0..<size, using: &generator), size))
        }
        for (index, size) in cases {
            store.reset()
            _ = try log.root(atSize: size)
            worst.root = max(worst.root, store.hashReads)
            store.reset()
            let proof = try log.inclusionProof(index: index, size: size)
            worst.inclusion = max(worst.inclusion, store.hashReads)
            #expect(proof.count <= log2n)
            if index > 0 {
                store.reset()
                _ = try log.consistencyProof(from: index, to: size)
                worst.consistency = max(worst.consistency, store.hashReads)
            }
        }
        #expect(worst.root <= log2n, "root: \(worst.root) reads")
        #expect(worst.inclusion <= 2 * log2n, "inclusion: \(worst.inclusion) reads")
        #expect(worst.consistency <= 3 * log2n, "consistency: \(worst.consistency) reads")
        print("reads at n = \(n) (⌈log2 n⌉ = \(log2n)): root ≤ \(worst.root), inclusion ≤ \(worst.inclusion), consistency ≤ \(worst.consistency)")
    }
}
