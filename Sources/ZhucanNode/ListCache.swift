import Foundation

/// The last good objects on disk, in `<state-dir>/lists/`, so that a node restarted while
/// the issuer is down still serves: every object is checked again when read back, exactly
/// as when it was fetched. Files are replaced atomically (write beside, then rename), so a
/// crash leaves the old object or the new one, never half of one.
///
/// Names: `trust-list.zc1`, `status-list-<id>.cwt`, `catalogue-<sequence>.zc1`,
/// `checkpoint.note`. They hold public objects only.
package struct ListCache: Sendable {
    package let directory: URL

    package init(stateDirectory: URL) throws {
        directory = stateDirectory.appendingPathComponent("lists", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    package func read(_ name: String) -> [UInt8]? {
        (try? Data(contentsOf: directory.appendingPathComponent(name))).map(Array.init)
    }

    package func write(_ name: String, _ bytes: [UInt8]) throws {
        try Data(bytes).write(to: directory.appendingPathComponent(name), options: .atomic)
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
