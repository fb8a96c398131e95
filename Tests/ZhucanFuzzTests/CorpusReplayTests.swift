import Foundation
import Testing
import ZhucanFuzzTargets
import ZhucanTesting

/// The fuzz corpus as regression tests: every committed input (each crash the fuzzer found
/// is committed as one) and every valid seed holds every target's properties, without the
/// sanitizers. `make fuzz` and the smoke run in `make test` search for new ones.
@Suite("Fuzz corpus")
struct CorpusReplayTests {
    static let corpus = TestVectors.projectRoot.appendingPathComponent("Fuzz/Corpus")

    @Test("Every target has a committed corpus, and every input in it holds", arguments: FuzzTarget.all.map(\.name))
    func committedCorpus(name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let folder = Self.corpus.appendingPathComponent(name)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(!files.isEmpty, "Fuzz/Corpus/\(name) is empty")
        for file in files {
            let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(file)))
            #expect(target.check(bytes) == nil, "Fuzz/Corpus/\(name)/\(file)")
        }
    }

    @Test("Valid objects made as the issuer makes them hold every property")
    func seeds() throws {
        let seeds = try FuzzSeeds.make()
        #expect(Set(seeds.keys) == Set(FuzzTarget.all.map(\.name)))
        for (name, inputs) in seeds {
            let target = try #require(FuzzTarget.named(name))
            for input in inputs {
                #expect(target.check(input) == nil, "\(name)")
            }
        }
    }
}
