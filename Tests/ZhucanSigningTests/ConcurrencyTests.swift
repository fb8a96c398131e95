import Testing
import ZhucanSigning

@Suite("One shared key, many tasks")
struct ConcurrencyTests {
    @Test(arguments: SignatureAlgorithm.signing)
    func sharedKeySignsAndVerifiesConcurrently(algorithm: SignatureAlgorithm) async throws {
        let key = try PrivateKey.generate(algorithm)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for task in 0..<64 {
                group.addTask {
                    var allCorrect = true
                    for round in 0..<20 {
                        let message = Array("task \(task) round \(round)".utf8)
                        let signature = try key.signature(for: message)
                        allCorrect = allCorrect
                            && key.publicKey.isValidSignature(signature, for: message)
                            && !key.publicKey.isValidSignature(signature, for: message + [1])
                    }
                    return allCorrect
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0 })
    }
}
