import Hummingbird
import Logging
import ZhucanRegistry

/// What one request carries through the middleware to its route: the request id, the API
/// key that authenticated it, and what the route adds to the request's log line.
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The request id (from `X-Request-Id`, or generated), also on every log line.
    var requestID = ""
    /// The authenticated API key, on routes that need one.
    var apiKey: APIKey?
    /// Fields for the request's one log line.
    let summary = RequestSummary()

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
