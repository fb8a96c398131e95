import Testing
import ZhucanTransparency

@Suite("MerkleRootAccumulator")
struct MerkleRootAccumulatorTests {
    @Test("Its root equals the RFC 9162 root of the same leaves at every size from 0 to 300")
    func matchesTheTree() throws {
        var accumulator = MerkleRootAccumulator()
        var leaves: [[UInt8]] = []
        #expect(accumulator.rootHash == MerkleTree.emptyRootHash)
        for n in 0..<300 {
            let leaf = [UInt8(n & 0xFF), UInt8(n >> 8)]
            leaves.append(leaf)
            accumulator.append(leafHash: MerkleTree.leafHash(leaf))
            #expect(accumulator.size == UInt64(n + 1))
            #expect(accumulator.rootHash == MerkleTree.rootHash(leaves: leaves), "size \(n + 1)")
        }
    }
}
