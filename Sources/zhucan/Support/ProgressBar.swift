import Foundation

/// A one-line progress bar on standard error, drawn only when standard error is a terminal.
final class ProgressBar: @unchecked Sendable {
    private var total: Int
    private let started = Date()
    private let enabled = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastDrawn = Date.distantPast

    init(total: Int) {
        self.total = total
    }

    /// Redraws at most ten times a second; `total`, when given, replaces the one the bar was
    /// made with (a count known only once the work has started).
    func update(_ done: Int, of count: Int? = nil) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        if let count { total = count }
        let now = Date()
        guard now.timeIntervalSince(lastDrawn) >= 0.1 || done == total else { return }
        lastDrawn = now
        let elapsed = max(now.timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        let eta = rate > 0 ? Double(total - done) / rate : 0
        let width = 30
        let filled = total == 0 ? width : width * done / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = String(format: "\r%@ %d/%d  %.0f rows/s  ETA %.0f s ", bar, done, total, rate, eta)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Ends the line.
    func finish() {
        if enabled { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
