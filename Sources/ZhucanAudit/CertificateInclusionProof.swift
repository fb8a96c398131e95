import Foundation
import ZhucanTransparency

/// A certificate's proof of inclusion in the log (`zhucan audit prove`), checkable offline
/// with the log key alone (`zhucan audit check-proof`): the log entry that records its
/// issuance, the RFC 9162 §2.1.3 audit path, and the signed checkpoint whose root it leads to.
///
/// ```
/// {"format":"zhucan-inclusion-proof/1","licenseId":…,"index":i,"size":n,
///  "entry":"<base64 leaf data>","hashes":["<base64>",…],"checkpoint":"<signed note>","logKey":"<verifier key>"}
/// ```
package struct CertificateInclusionProof: Codable, Sendable {
    /// The format identifier.
    package static let format = "zhucan-inclusion-proof/1"

    package var format: String
    /// The certificate's e-license identifier.
    package var licenseId: String
    /// The entry's leaf index.
    package var index: UInt64
    /// The tree size of the checkpoint.
    package var size: UInt64
    /// The entry's leaf data (a `LogRecord`), standard base64.
    package var entry: String
    /// The audit path, from the leaf up, standard base64.
    package var hashes: [String]
    /// The checkpoint, as signed.
    package var checkpoint: String
    /// The log's verifier key, for information: a checker pins its own copy.
    package var logKey: String?

    /// Makes a proof.
    package init(licenseID: String, index: UInt64, size: UInt64, entry: [UInt8], hashes: [[UInt8]], checkpoint: String, logKey: String?) {
        format = Self.format
        licenseId = licenseID
        self.index = index
        self.size = size
        self.entry = Data(entry).base64EncodedString()
        self.hashes = hashes.map { Data($0).base64EncodedString() }
        self.checkpoint = checkpoint
        self.logKey = logKey
    }

    /// Checks the proof: the checkpoint's signature under `logKey`, its size, the entry (an
    /// issuance of `licenseId`, and of `certificate` itself when given), and the path from the
    /// entry's leaf hash to the checkpoint's root.
    /// - Parameter certificate: the certificate's text as its holder has it. Without it the
    ///   proof shows that *a* certificate of this identifier was logged, not that this one was:
    ///   the issuer key could sign a second one under the same identifier.
    /// - Returns: the verified checkpoint.
    /// - Throws: `AuditError` naming the first check that fails.
    package func check(logKey: NoteVerifier, certificate: String? = nil) throws -> Checkpoint {
        guard format == Self.format else { throw AuditError("not a \(Self.format) proof") }
        let checkpoint: Checkpoint
        do {
            // The log's origin is its key's name (C2SP tlog-checkpoint): the same key's
            // checkpoint of another log proves nothing of this one.
            checkpoint = try Checkpoint.open(Array(self.checkpoint.utf8), verifiers: [logKey], origin: logKey.keyName)
        } catch let error where error.code == .unexpectedOrigin {
            throw AuditError("the checkpoint is not of the log \(logKey.keyName): \(error.reason)")
        } catch {
            throw AuditError("the checkpoint is not signed by \(logKey.keyName): \(error.reason)")
        }
        guard checkpoint.size == size else {
            throw AuditError("the proof is for tree size \(size), the checkpoint for \(checkpoint.size)")
        }
        guard let data = Data(base64Encoded: entry) else { throw AuditError("the entry is not base64") }
        let record: LogRecord
        do {
            record = try LogRecord(encoded: [UInt8](data))
        } catch {
            throw AuditError("the entry is not a log record: \(error)")
        }
        guard record.event == .issued, record.licenseID == licenseId else {
            throw AuditError("the entry records \(record.event.rawValue) of \(record.licenseID ?? "nothing"), not the issuance of \(licenseId)")
        }
        if let certificate, record.object != certificate {
            // `audit prove` proves the newest certificate of a number: the one given may be an
            // older one of the same number (revoked, then issued again), logged in its own entry.
            throw AuditError("""
                the entry records another certificate than the one given: a certificate that says it is \(licenseId) was never \
                logged; an older certificate of the same number (revoked, then issued again) is logged in an entry of its own, \
                which this proof is not
                """)
        }
        var path = [[UInt8]]()
        for hash in hashes {
            guard let bytes = Data(base64Encoded: hash) else { throw AuditError("a proof hash is not base64") }
            path.append([UInt8](bytes))
        }
        do {
            try MerkleProofVerifier.verifyInclusion(
                leafHash: MerkleTree.leafHash([UInt8](data)), index: index, size: size, proof: path, root: checkpoint.rootHash)
        } catch {
            throw AuditError("the entry is not in the checkpoint's tree: \(error.reason)")
        }
        return checkpoint
    }
}
