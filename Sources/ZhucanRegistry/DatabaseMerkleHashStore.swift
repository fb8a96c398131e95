import Foundation
import GRDB
import ZhucanTransparency

/// The transparency log's hashes in the registry's own tables, inside one open transaction
/// (`merkle_node`, `merkle_size`; see `RegistrySchema`). Appending through it commits with
/// the events it logs, or not at all.
struct DatabaseMerkleHashStore: MerkleHashStore {
    let db: Database

    func leafCount() throws -> UInt64 {
        UInt64(try Int64.fetchOne(db, sql: "SELECT leaf_count FROM merkle_size WHERE id = 1") ?? 0)
    }

    func hash(at id: MerkleNodeID) throws -> [UInt8]? {
        try Data.fetchOne(
            db.cachedStatement(sql: "SELECT hash FROM merkle_node WHERE level = ? AND idx = ?"),
            arguments: [Int64(id.level), Int64(bitPattern: id.index)]
        ).map { [UInt8]($0) }
    }

    /// The stored leaf hashes of `range`, by index, in one query (a checkpoint checks every
    /// leaf it newly covers: one lookup per leaf was a third of a batch's final step).
    func leafHashes(_ range: Range<UInt64>) throws -> [UInt64: [UInt8]] {
        var hashes: [UInt64: [UInt8]] = [:]
        hashes.reserveCapacity(range.count)
        let rows = try Row.fetchCursor(
            db, sql: "SELECT idx, hash FROM merkle_node WHERE level = 0 AND idx >= ? AND idx < ?",
            arguments: [Int64(bitPattern: range.lowerBound), Int64(bitPattern: range.upperBound)]
        )
        while let row = try rows.next() {
            hashes[UInt64(bitPattern: row["idx"] as Int64)] = [UInt8](row["hash"] as Data)
        }
        return hashes
    }

    func hashes(at ids: [MerkleNodeID]) throws -> [[UInt8]?] {
        // A proof needs at most a few dozen nodes; one cached statement per node is as fast in
        // SQLite (no network round trip) and keeps the SQL simple.
        try ids.map { try hash(at: $0) }
    }

    func append(_ nodes: [MerkleNode], from oldLeafCount: UInt64, to newLeafCount: UInt64) throws {
        try db.execute(
            sql: "UPDATE merkle_size SET leaf_count = ? WHERE id = 1 AND leaf_count = ?",
            arguments: [Int64(bitPattern: newLeafCount), Int64(bitPattern: oldLeafCount)]
        )
        guard db.changesCount == 1 else {
            throw TransparencyError(.storeConflict, "the log grew past \(oldLeafCount) leaves under this append")
        }
        var insert = BoundInsert.Cache(table: "merkle_node", columns: "level, idx, hash", values: "(?, ?, ?)")
        for group in BoundInsert.groups(of: nodes) {
            _ = try insert.run(db, rows: group.count) { row in
                for node in group {
                    row.bind(Int64(node.id.level)); row.bind(Int64(bitPattern: node.id.index)); row.bind(node.hash)
                }
            }
        }
    }
}
