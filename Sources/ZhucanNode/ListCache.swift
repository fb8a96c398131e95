import Foundation
import ZhucanServiceStore

/// The last good objects on disk, in `<state-dir>/lists/`, so that a node restarted while
/// the issuer is down still serves: every object is checked again when read back, exactly
/// as when it was fetched. A file is replaced whole and durably (written beside, flushed,
/// renamed, and the folder flushed), so that neither a crash nor a power loss leaves half of
/// one, or brings back the list before a revocation once the node has taken the one after.
///
/// Names: `trust-list.zc1`, `status-list-<id>.cwt`, `catalogue-<sequence>.zc1`,
/// `checkpoint.note`. They hold public objects only.
package struct ListCache: Sendable {
    package let directory: URL

    /// Opens (or makes) the cache, owner-only (0700): the objects are public, but whoever can
    /// write here can put an older list, still signed and unexpired, in the place of the one
    /// the node took, for its next start. A folder left open to others is closed.
    package init(stateDirectory: URL) throws {
        directory = stateDirectory.appendingPathComponent("lists", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let mode = (try FileManager.default.attributesOfItem(atPath: directory.path)[.posixPermissions] as? NSNumber)?.intValue ?? 0
        if mode & 0o077 != 0 { try FileManager.default.setAttributes([.posixPermissions: mode & 0o700], ofItemAtPath: directory.path) }
    }

    /// The file `name`, or nil when there is none.
    /// - Throws: when it is there and cannot be read.
    package func read(_ name: String) throws -> [UInt8]? {
        let url = directory.appendingPathComponent(name)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        return Array(try Data(contentsOf: url))
    }

    /// Replaces the file `name` with `bytes`, durably (``OwnerOnlyFile/write(_:to:mode:)``).
    /// - Throws: `CocoaError` with the system's reason when a step fails.
    package func write(_ name: String, _ bytes: [UInt8]) throws {
        try OwnerOnlyFile.write(Data(bytes), to: directory.appendingPathComponent(name))
    }

    /// The sequences of the cached catalogue editions, ascending.
    package func catalogueSequences() -> [Int64] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix("catalogue-"), name.hasSuffix(".zc1") else { return nil }
            return Int64(name.dropFirst("catalogue-".count).dropLast(".zc1".count))
        }.sorted()
    }

    package static let trustList = "trust-list.zc1"
    package static let checkpoint = "checkpoint.note"
    package static func statusList(_ id: String) -> String { "status-list-\(id).cwt" }
    package static func catalogue(_ sequence: Int64) -> String { "catalogue-\(sequence).zc1" }
}
