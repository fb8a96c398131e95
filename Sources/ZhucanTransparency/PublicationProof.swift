/// That a list an issuer serves (its trust list, status list, or a catalogue edition) is in its
/// log: the entry that records its publication and
/// that entry's audit path (RFC 9162 §2.1.3) in the tree of `size` leaves. The issuer serves
/// it at `GET /v1/log/proof/publication`; a node pinning the log key checks it against the
/// root of the checkpoint it trusts before it takes the list, so that a list signed but never
/// logged, which no auditor sees, is never taken (Docs/deployment.md).
///
/// ```
/// {"kind":"status-list","index":i,"size":n,"entry":"<base64 leaf data>","hashes":["<base64>",…]}
/// ```
package struct PublicationProof: Codable, Sendable, Equatable {
    /// `trust-list`, `status-list` or `catalogue`.
    package var kind: String
    /// The entry's leaf index.
    package var index: UInt64
    /// The size of the tree the path leads to the root of.
    package var size: UInt64
    /// The entry's leaf data (a `LogRecord`), standard base64.
    package var entry: String
    /// The audit path, from the leaf up, standard base64.
    package var hashes: [String]

    /// Makes a proof.
    package init(kind: String, index: UInt64, size: UInt64, entry: [UInt8], hashes: [[UInt8]]) {
        self.kind = kind
        self.index = index
        self.size = size
        self.entry = Base64.encode(entry)
        self.hashes = hashes.map(Base64.encode)
    }

    /// Checks that the entry records `event` of exactly `object`, and that its leaf is at
    /// `index` in the tree of `size` leaves whose root is `root`.
    /// - Parameters:
    ///   - object: the object as the log keeps it (`LogRecord.object`: a trust list's
    ///     envelope text, a status list's base64).
    ///   - size: the size of the tree the checker trusts; the proof must be for it.
    /// - Throws: `TransparencyError`: `.entryMismatch`, `.malformedRecord`, `.treeSizeOutOfRange`,
    ///   or what the path's verification throws (`.rootMismatch`, `.wrongProofSize`, …).
    package func check(event: LogRecord.Event, object: String, size: UInt64, root: [UInt8]) throws(TransparencyError) {
        guard self.size == size else {
            throw TransparencyError(.treeSizeOutOfRange, "the proof is for a tree of \(self.size) entries, not the trusted one of \(size)")
        }
        guard let data = Base64.decode(entry) else { throw TransparencyError(.malformedRecord, "the entry is not canonical base64") }
        let record: LogRecord
        do {
            record = try LogRecord(encoded: data)
        } catch let error as TransparencyError {
            throw error
        } catch {
            throw TransparencyError(.malformedRecord, "\(error)")
        }
        guard record.event == event else {
            throw TransparencyError(.entryMismatch, "entry \(index) records \(record.event.rawValue), not \(event.rawValue)")
        }
        guard record.object == object else {
            throw TransparencyError(.entryMismatch, "entry \(index) records another \(kind) than the one served")
        }
        var path: [[UInt8]] = []
        for hash in hashes {
            guard let bytes = Base64.decode(hash) else { throw TransparencyError(.malformedHash, "a hash of the path is not canonical base64") }
            path.append(bytes)
        }
        try MerkleProofVerifier.verifyInclusion(leafHash: MerkleTree.leafHash(data), index: index, size: size, proof: path, root: root)
    }
}
