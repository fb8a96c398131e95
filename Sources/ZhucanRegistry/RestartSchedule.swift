/// When a checkpointer that runs every interval (the service's, a batch's) asks for a RESTART
/// checkpoint. One holds the write lock while it waits for readers of older snapshots (at most
/// 50 ms), so while it keeps finding them — a long read, such as an audit export — it is tried
/// every 2nd, 4th, … 64th interval only, and every interval again once one succeeds.
package struct RestartSchedule: Sendable {
    /// The most intervals between two tries.
    package static let longestGap = 64

    private var gap = 1
    private var sinceLastTry = 0

    package init() {}

    /// Whether this interval's checkpoint should try a RESTART.
    package mutating func shouldTry() -> Bool {
        sinceLastTry += 1
        guard sinceLastTry >= gap else { return false }
        sinceLastTry = 0
        return true
    }

    /// What the try got.
    package mutating func record(restarted: Bool) {
        gap = restarted ? 1 : min(gap * 2, Self.longestGap)
    }
}
