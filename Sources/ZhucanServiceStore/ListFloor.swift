/// The newest publication of a signed list that a verification node has taken: `iat`, then
/// the list's sequence (0 for a status list signed before it carried one). The node takes no
/// older list again, whatever happens to its cache.
///
/// Signatures stop a forged list, not a replayed one: an older trust list still names a key
/// revoked since, and an older status list does not know of a revocation. Kept in the node's
/// store, apart from its cache, a floor survives a cache that was lost or damaged, and a new
/// node that shares the store (PostgreSQL) starts from it (Docs/deployment.md, "Freshness").
package struct ListFloor: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `iat`, seconds since the epoch.
    package let issuedAt: Int64
    /// The trust list's sequence, or the status list's publication number (`seq`), else 0.
    package let sequence: Int64

    package init(issuedAt: Int64, sequence: Int64) {
        self.issuedAt = issuedAt
        self.sequence = sequence
    }

    /// Below every publication.
    package static let lowest = ListFloor(issuedAt: .min, sequence: .min)

    /// Publication order: by `iat`, then by sequence.
    package static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.issuedAt, lhs.sequence) < (rhs.issuedAt, rhs.sequence)
    }

    /// `sequence 12 signed at 1764928800`.
    package var description: String { "sequence \(sequence) signed at \(issuedAt)" }
}
