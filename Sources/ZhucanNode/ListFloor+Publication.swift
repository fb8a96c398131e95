import ZhucanCredentials
import ZhucanServiceStore

/// The floor each list's publication sets. Floors order as publications do (Docs/format.md §6:
/// by `iat`, then by sequence, as `StatusListPublication` orders status lists).
extension ListFloor {
    /// A status list's: one without `seq` (signed before it was written) as sequence 0.
    init(_ publication: StatusListPublication) {
        self.init(issuedAt: publication.issuedAt, sequence: publication.sequence ?? 0)
    }

    /// A trust list's: its `iat` and sequence.
    init(_ list: TrustList) {
        self.init(issuedAt: list.issuedAt, sequence: list.sequence)
    }
}
