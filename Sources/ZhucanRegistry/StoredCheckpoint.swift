/// A checkpoint the log signed: the tree size and root it commits to, and the signed note.
package struct StoredCheckpoint: Hashable, Sendable {
    /// The tree size.
    package let size: UInt64
    /// The RFC 9162 root hash of the first `size` leaves.
    package let rootHash: [UInt8]
    /// The C2SP checkpoint as a signed note, exactly as signed.
    package let note: String
    /// When it was signed, seconds since the epoch.
    package let signedAt: Int64

    /// Makes a record.
    package init(size: UInt64, rootHash: [UInt8], note: String, signedAt: Int64) {
        self.size = size
        self.rootHash = rootHash
        self.note = note
        self.signedAt = signedAt
    }
}
