import ZhucanTesting
import Foundation
import Testing
import ZhucanTransparency

/// One million leaves in the in-memory store: append rate, proof times. Slow (about a minute in
/// a debug build), so it runs only with `ZHUCAN_SLOW_TESTS=1`.
@Suite("Scale: 1,000,000 leaves", .enabled(if: SlowTests.enabled))
struct ScaleTests {
    @Test("Append one million leaves one by one, then prove and verify")
    func oneMillion() throws {
        let n = 1_000_000
        let store = CountingStore()
        let log = MerkleLog(store: store)
        let clock = ContinuousClock()

        let appendTime = try clock.measure {
            for index in 0..<n { try log.append(Fixtures.leaf(index)) }
        }
        #expect(try log.size == UInt64(n))
        let appendReads = store.hashReads

        var generator = SplitMix64(seed: 6962)
        let samples = 1_000
        var inclusionReads = 0, consistencyReads = 0
        var proofs = [(index: UInt64, size: UInt64, proof: [[UInt8]], root: [UInt8])]()
        var consistencies = [(size1: UInt64, size2: UInt64, proof: [[UInt8]], root1: [UInt8], root2: [UInt8])]()
        let inclusionTime = try clock.measure {
            for _ in 0..<samples {
                let size = UInt64.random(in: 1...UInt64(n), using: &generator)
                let index = UInt64.random(in: 0..<size, using: &generator)
                store.reset()
                let proof = try log.inclusionProof(index: index, size: size)
                inclusionReads = max(inclusionReads, store.hashReads)
                proofs.append((index, size, proof, try log.root(atSize: size)))
            }
        }
        let consistencyTime = try clock.measure {
            for _ in 0..<samples {
                let size2 = UInt64.random(in: 2...UInt64(n), using: &generator)
                let size1 = UInt64.random(in: 1..<size2, using: &generator)
                store.reset()
                let proof = try log.consistencyProof(from: size1, to: size2)
                consistencyReads = max(consistencyReads, store.hashReads)
                consistencies.append((size1, size2, proof, try log.root(atSize: size1), try log.root(atSize: size2)))
            }
        }
        let verifyTime = try clock.measure {
            for p in proofs {
                try MerkleProofVerifier.verifyInclusion(
                    leafHash: try log.leafHash(at: p.index), index: p.index, size: p.size, proof: p.proof, root: p.root)
            }
            for c in consistencies {
                try MerkleProofVerifier.verifyConsistency(
                    size1: c.size1, size2: c.size2, proof: c.proof, root1: c.root1, root2: c.root2)
            }
        }

        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
        let rate = Double(n) / seconds(appendTime)
        print("""
            scale: \(n) single appends in \(String(format: "%.2f", seconds(appendTime))) s \
            (\(Int(rate)) leaves/s, \(appendReads) hash reads);
            scale: inclusion proof + root \(String(format: "%.1f", seconds(inclusionTime) / Double(samples) * 1e6)) µs, \
            ≤ \(inclusionReads) reads; consistency proof + 2 roots \
            \(String(format: "%.1f", seconds(consistencyTime) / Double(samples) * 1e6)) µs, ≤ \(consistencyReads) reads; \
            verify \(String(format: "%.1f", seconds(verifyTime) / Double(2 * samples) * 1e6)) µs per proof
            """)
        #expect(inclusionReads <= 2 * 20)
        #expect(consistencyReads <= 3 * 20)
    }
}
