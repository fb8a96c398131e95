import Foundation
import Testing
import ZhucanTesting
import ZhucanTransparency

/// transparency-dev/merkle `testdata/` (RFC 6962 / 9162 proofs, happy paths and mutations),
/// read in place from `merkle/` in the vectors folder, one test case per file.
@Suite("Merkle proof vectors (transparency-dev/merkle)", .enabled(if: TestVectors.shouldRun))
struct MerkleVectorTests {
    struct InclusionCase: Decodable {
        let leafIdx: UInt64
        let treeSize: UInt64
        let root: String
        let leafHash: String
        let proof: [String]?
        let desc: String
        let wantErr: Bool
    }

    struct ConsistencyCase: Decodable {
        let size1: UInt64
        let size2: UInt64
        let root1: String
        let root2: String
        let proof: [String]?
        let desc: String
        let wantErr: Bool
    }

    /// The JSON files under `merkle/<folder>`, recursively, as paths relative to the vectors root.
    static func files(_ folder: String) -> [String] {
        let base = TestVectors.url("merkle/\(folder)").path
        let paths = (try? FileManager.default.subpathsOfDirectory(atPath: base)) ?? []
        return paths.filter { $0.hasSuffix(".json") }.sorted().map { "merkle/\(folder)/\($0)" }
    }

    static let inclusionFiles = files("inclusion")
    static let consistencyFiles = files("consistency")

    static func base64(_ text: String) throws -> [UInt8] {
        try #require(Data(base64Encoded: text).map { [UInt8]($0) }, "bad base64 in the vector: \(text)")
    }

    @Test("Every vector file is found")
    func filesFound() {
        #expect(Self.inclusionFiles.count == 62)
        #expect(Self.consistencyFiles.count == 57)
    }

    @Test("Inclusion vector", arguments: inclusionFiles)
    func inclusion(path: String) throws {
        let vector = try JSONDecoder().decode(InclusionCase.self, from: TestVectors.data(path))
        let proof = try (vector.proof ?? []).map(Self.base64)
        let result = Result { () throws(TransparencyError) in
            try MerkleProofVerifier.verifyInclusion(
                leafHash: try Self.base64OrEmpty(vector.leafHash), index: vector.leafIdx, size: vector.treeSize,
                proof: proof, root: try Self.base64OrEmpty(vector.root))
        }
        if vector.wantErr {
            #expect(throws: TransparencyError.self, "\(path): \(vector.desc)") { try result.get() }
        } else {
            #expect(throws: Never.self, "\(path): \(vector.desc)") { try result.get() }
        }
    }

    @Test("Consistency vector", arguments: consistencyFiles)
    func consistency(path: String) throws {
        let vector = try JSONDecoder().decode(ConsistencyCase.self, from: TestVectors.data(path))
        let proof = try (vector.proof ?? []).map(Self.base64)
        let result = Result { () throws(TransparencyError) in
            try MerkleProofVerifier.verifyConsistency(
                size1: vector.size1, size2: vector.size2, proof: proof,
                root1: try Self.base64OrEmpty(vector.root1), root2: try Self.base64OrEmpty(vector.root2))
        }
        if vector.wantErr {
            #expect(throws: TransparencyError.self, "\(path): \(vector.desc)") { try result.get() }
        } else {
            #expect(throws: Never.self, "\(path): \(vector.desc)") { try result.get() }
        }
    }

    @Test("The prover reproduces every happy-path inclusion proof", arguments: inclusionFiles.filter { $0.hasSuffix("happy-path.json") })
    func proverInclusion(path: String) throws {
        let vector = try JSONDecoder().decode(InclusionCase.self, from: TestVectors.data(path))
        let log = try Fixtures.log(Fixtures.referenceLeaves)
        let proof = try log.inclusionProof(index: vector.leafIdx, size: vector.treeSize)
        #expect(proof == (try (vector.proof ?? []).map(Self.base64)), "\(path)")
        #expect(try log.root(atSize: vector.treeSize) == Self.base64(vector.root))
        #expect(try log.leafHash(at: vector.leafIdx) == Self.base64(vector.leafHash))
    }

    @Test("The prover reproduces every happy-path consistency proof", arguments: consistencyFiles.filter { $0.hasSuffix("happy-path.json") })
    func proverConsistency(path: String) throws {
        let vector = try JSONDecoder().decode(ConsistencyCase.self, from: TestVectors.data(path))
        let log = try Fixtures.log(Fixtures.referenceLeaves)
        let proof = try log.consistencyProof(from: vector.size1, to: vector.size2)
        #expect(proof == (try (vector.proof ?? []).map(Self.base64)), "\(path)")
        #expect(try log.root(atSize: vector.size1) == Self.base64(vector.root1))
        #expect(try log.root(atSize: vector.size2) == Self.base64(vector.root2))
    }

    /// Empty strings stand for empty hashes in the vectors.
    static func base64OrEmpty(_ text: String) throws(TransparencyError) -> [UInt8] {
        guard let data = Data(base64Encoded: text) else {
            throw TransparencyError(.malformedHash, "bad base64 in the vector")
        }
        return [UInt8](data)
    }
}
