import Foundation
import Synchronization

/// Named places where the crash-safety tests make the process die as a crash would: SIGKILL,
/// no clean-up. `ZHUCAN_FAILPOINT=NAME:N` kills the process the Nth time NAME is reached
/// (`NAME` alone: the first). Unset — as it always is in production — a failpoint costs one
/// comparison.
///
/// | name | where |
/// | --- | --- |
/// | `batch.chunk-reserved` | a batch chunk's status indexes and serials are reserved, not yet stored |
/// | `batch.chunk-stored` | a batch chunk is committed, the status list not yet republished |
/// | `status.changed` | a suspension, reinstatement or revocation is committed, the status list not yet republished |
/// | `certificate.stored` | a certificate issued, corrected or renewed is committed (the one it supersedes with it), the status list not yet republished |
/// | `keys.files-written` | a new key's files are written, the registry not yet told (init, `keys rotate`, the first log key) |
/// | `keys.rotated` | `keys rotate` has recorded the new issuer key and retired the old, no trust list yet names the new one |
enum Failpoint {
    private static let setting: (name: String, count: Int)? = {
        guard let value = ProcessInfo.processInfo.environment["ZHUCAN_FAILPOINT"], !value.isEmpty else { return nil }
        let parts = value.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        return (String(parts[0]), parts.count > 1 ? Int(parts[1]) ?? 1 : 1)
    }()
    private static let reached = Mutex<[String: Int]>([:])

    /// Kills the process if `ZHUCAN_FAILPOINT` names this point and this is its Nth time.
    static func reach(_ name: String) {
        guard let setting, setting.name == name else { return }
        let count = reached.withLock { counts in
            counts[name, default: 0] += 1
            return counts[name, default: 0]
        }
        if count == setting.count { kill(getpid(), SIGKILL) }
    }
}
