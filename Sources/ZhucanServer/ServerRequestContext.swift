import Hummingbird
import Logging
import ZhucanRegistry

/// What one request carries through the middleware to its route: the request id and the API
/// key that authenticated it.
struct ServerRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The request id (from `X-Request-Id`, or generated), also on every log line.
    var requestID = ""
    /// The authenticated API key, on routes that need one.
    var apiKey: APIKey?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
