import Logging
import Synchronization

/// What a route adds to its request's log line — a verification's reason, type, service and
/// certificate reference — so that each request is one line, written by `RequestIDMiddleware`
/// when the answer is ready. A reference, because the context reaches the route as a copy.
package final class RequestSummary: Sendable {
    private let fields = Mutex<Logger.Metadata>([:])

    /// Adds `metadata` to the request's line.
    package func add(_ metadata: Logger.Metadata) {
        fields.withLock { $0.merge(metadata) { $1 } }
    }

    /// Everything added so far.
    var metadata: Logger.Metadata {
        fields.withLock { $0 }
    }
}
