import Hummingbird
import Logging
import ZhucanServiceStore

/// What one request carries through the middleware to its route: the request id, the API
/// key that authenticated it, and what the route adds to the request's log line.
package struct ServerRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The request id (from `X-Request-Id`, or generated), also on every log line.
    package var requestID = ""
    /// The authenticated API key, on routes that need one.
    package var apiKey: APIKey?
    /// Fields for the request's one log line.
    package let summary = RequestSummary()

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
