import Foundation

/// CPU time of the calling thread, for tests that guard against a hang or a blow-up
/// (inflating a zip bomb, an unbounded rule): unlike wall time, it hardly depends on how
/// loaded the machine is. Not a performance measurement (benchmarks do that).
package enum ThreadCPUTime {
    /// The calling thread's CPU seconds so far.
    package static var seconds: Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The thread CPU seconds `body` takes (it must not hop threads: synchronous code only).
    package static func measure(_ body: () throws -> Void) rethrows -> Double {
        let start = seconds
        try body()
        return seconds - start
    }
}
