import Foundation
import ZhucanTesting
import ZhucanTransparency

/// Whether the slow tests run: `ZHUCAN_SLOW_TESTS=1` (so `make test` stays fast).
enum SlowTests {
    static let enabled = ProcessInfo.processInfo.environment["ZHUCAN_SLOW_TESTS"] == "1"
}


/// Wraps a store and counts the hashes read through it.
final class CountingStore: MerkleHashStore, @unchecked Sendable {
    let inner: InMemoryMerkleHashStore
    private let lock = NSLock()
    private var reads = 0

    init(_ inner: InMemoryMerkleHashStore = InMemoryMerkleHashStore()) { self.inner = inner }

    var hashReads: Int { lock.withLock { reads } }
    func reset() { lock.withLock { reads = 0 } }

    func leafCount() throws -> UInt64 { try inner.leafCount() }

    func hash(at id: MerkleNodeID) throws -> [UInt8]? {
        lock.withLock { reads += 1 }
        return try inner.hash(at: id)
    }

    func hashes(at ids: [MerkleNodeID]) throws -> [[UInt8]?] {
        lock.withLock { reads += ids.count }
        return try inner.hashes(at: ids)
    }

    func append(_ nodes: [MerkleNode], from oldLeafCount: UInt64, to newLeafCount: UInt64) throws {
        try inner.append(nodes, from: oldLeafCount, to: newLeafCount)
    }
}

/// A store that forgets one node, to check that the log reports an inconsistent store.
struct ForgetfulStore: MerkleHashStore {
    let inner: InMemoryMerkleHashStore
    let forgotten: MerkleNodeID

    func leafCount() throws -> UInt64 { try inner.leafCount() }
    func hash(at id: MerkleNodeID) throws -> [UInt8]? { id == forgotten ? nil : try inner.hash(at: id) }
    func append(_ nodes: [MerkleNode], from oldLeafCount: UInt64, to newLeafCount: UInt64) throws {
        try inner.append(nodes, from: oldLeafCount, to: newLeafCount)
    }
}

/// Test data helpers.
enum Fixtures {
    /// The 8 leaves of transparency-dev/merkle `testonly/constants.go`, from which the RFC 6962
    /// vectors are built.
    static let referenceLeaves: [[UInt8]] = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ].map { hex($0) }

    /// MTH of the first 1…8 reference leaves (transparency-dev/merkle `proof/verify_test.go`).
    static let referenceRoots: [[UInt8]] = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ].map { hex($0) }

    static func hex(_ text: String) -> [UInt8] {
        guard let bytes = Hex.decode(text) else { fatalError("bad hex in a test fixture: \(text)") }
        return bytes
    }

    /// Distinct leaf data for synthetic trees.
    static func leaf(_ index: Int) -> [UInt8] { Array("zhucan leaf \(index)".utf8) }

    /// A log over an in-memory store holding `leaves`.
    static func log(_ leaves: [[UInt8]]) throws -> MerkleLog<InMemoryMerkleHashStore> {
        let log = MerkleLog(store: InMemoryMerkleHashStore())
        try log.append(contentsOf: leaves)
        return log
    }

    /// `hash` with bit `bit` (0…255) flipped.
    static func flipping(_ hash: [UInt8], bit: Int) -> [UInt8] {
        var copy = hash
        copy[bit / 8] ^= 1 << UInt8(bit % 8)
        return copy
    }
}
