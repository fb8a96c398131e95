import Testing
import ZhucanSigning
import ZhucanTransparency

@Suite("RFC 9162 Merkle tree hashing")
struct MerkleTreeTests {
    @Test("The empty tree's hash is SHA-256 of nothing")
    func emptyTree() throws {
        #expect(Hexadecimal.encode(MerkleTree.emptyRootHash)
            == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MerkleTree.rootHash(leafHashes: []) == MerkleTree.emptyRootHash)
        let log = MerkleLog(store: InMemoryMerkleHashStore())
        #expect(try log.root(atSize: 0) == MerkleTree.emptyRootHash)
        #expect(try log.size == 0)
    }

    @Test("Leaf and node hashes carry the 0x00 and 0x01 prefixes")
    func prefixes() {
        #expect(MerkleTree.leafHash([]) == Digest.sha256([0x00]))
        // The leaf hash of the first reference leaf "" is the size-1 reference root.
        #expect(MerkleTree.leafHash([]) == Fixtures.referenceRoots[0])
        let a = [UInt8](repeating: 0xAA, count: 32), b = [UInt8](repeating: 0xBB, count: 32)
        #expect(MerkleTree.nodeHash(a, b) == Digest.sha256([0x01] + a + b))
        #expect(MerkleTree.nodeHash(a, b) != MerkleTree.nodeHash(b, a))
    }

    @Test("Roots of the 8 reference leaves match the RFC 6962 reference roots", arguments: 1...8)
    func referenceRoots(size: Int) throws {
        let leaves = Array(Fixtures.referenceLeaves.prefix(size))
        #expect(MerkleTree.rootHash(leaves: leaves) == Fixtures.referenceRoots[size - 1])
        let log = try Fixtures.log(leaves)
        #expect(try log.root(atSize: UInt64(size)) == Fixtures.referenceRoots[size - 1])
        // A log holding all 8 leaves gives the same root for the past size.
        let full = try Fixtures.log(Fixtures.referenceLeaves)
        #expect(try full.root(atSize: UInt64(size)) == Fixtures.referenceRoots[size - 1])
    }

    @Test("Past roots from stored subtrees equal the recursive MTH for every size up to 130")
    func pastRoots() throws {
        let leaves = (0..<130).map(Fixtures.leaf)
        let log = try Fixtures.log(leaves)
        for size in 0...leaves.count {
            #expect(try log.root(atSize: UInt64(size)) == MerkleTree.rootHash(leaves: Array(leaves.prefix(size))),
                    "size \(size)")
        }
    }
}
