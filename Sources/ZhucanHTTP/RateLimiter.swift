import Foundation

/// A fixed-window request counter per API key: each key may make `limit` requests in a window
/// of `window` that starts at its first request, then waits for the window's end.
///
/// `@unchecked Sendable`: every access to the mutable state holds `lock`.
package final class RateLimiter: @unchecked Sendable {
    /// The answer for one request.
    package enum Decision: Equatable {
        case allowed
        /// Refused; the whole seconds until the window ends (at least 1).
        case limited(retryAfter: Int)
    }

    /// Requests allowed per window.
    package let limit: Int
    /// The window length.
    package let window: Duration
    private let lock = NSLock()
    private var windows: [String: (start: ContinuousClock.Instant, count: Int)] = [:]

    /// Makes a limiter of `limit` requests per `window` per key.
    package init(limit: Int, window: Duration = .seconds(60)) {
        self.limit = limit
        self.window = window
    }

    /// Counts one request of `key`.
    package func admit(_ key: String, now: ContinuousClock.Instant = .now) -> Decision {
        lock.lock()
        defer { lock.unlock() }
        // Forget finished windows now and then, so the table stays as small as the set of
        // keys in use.
        if windows.count > 4_096 {
            windows = windows.filter { now - $0.value.start < window }
        }
        var entry = windows[key] ?? (now, 0)
        if now - entry.start >= window { entry = (now, 0) }
        guard entry.count < limit else {
            windows[key] = entry
            let remaining = window - (now - entry.start)
            let seconds = remaining.components.seconds + (remaining.components.attoseconds > 0 ? 1 : 0)
            return .limited(retryAfter: max(1, Int(seconds)))
        }
        entry.count += 1
        windows[key] = entry
        return .allowed
    }
}
