import Foundation
import Testing
import ZhucanAudit
import ZhucanSigning
import ZhucanTransparency

/// `audit check-proof`'s checks on the proof's checkpoint.
@Suite("Inclusion proofs: the checkpoint")
struct InclusionProofTests {
    @Test("A checkpoint signed by the log key for another log (another origin) is refused, naming the log")
    func checkpointOfAnotherLog() throws {
        let key = try PrivateKey.generate(.ed25519)
        let name = "zhucan.log/11330482MB1234567N"
        let signer = try NoteSigner(keyName: name, privateKey: key)
        let verifier = try NoteVerifier(keyName: name, publicKey: key.publicKey)
        let leaf = [UInt8](repeating: 7, count: 32)
        func proof(origin: String) throws -> CertificateInclusionProof {
            let checkpoint = try Checkpoint(origin: origin, size: 1, rootHash: leaf).signed(by: [signer])
            return CertificateInclusionProof(
                licenseID: "x", index: 0, size: 1, entry: [1], hashes: [], checkpoint: checkpoint.description, logKey: nil
            )
        }
        let foreign = #expect(throws: AuditError.self) { try proof(origin: "staging.example/other-log").check(logKey: verifier) }
        #expect(foreign?.description.contains("not of the log \(name)") == true, "\(foreign.map { "\($0)" } ?? "")")
        // Its own log's checkpoint gets past this check, to the entry.
        let own = #expect(throws: AuditError.self) { try proof(origin: name).check(logKey: verifier) }
        #expect(own?.description.contains("not of the log") == false, "\(own.map { "\($0)" } ?? "")")
    }
}
