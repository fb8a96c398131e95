import Hummingbird

/// The outermost middleware: counts every answer by method, route template and status, and
/// records how long it took (`zhucan_http_requests_total`,
/// `zhucan_http_request_duration_seconds`). It sits outside `RequestIDMiddleware`, which turns
/// every error into an answer, so the status counted is the one the client got.
package struct RequestMetricsMiddleware: RouterMiddleware {
    package typealias Context = ServerRequestContext

    /// Where the counts go.
    package let metrics: ServiceMetrics

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        // The router stores the matched template in a box shared with this context before the
        // middleware runs; "NotFound" (Hummingbird's) or nil means no route matched.
        func route() -> String {
            guard let path = context.endpointPath, path != "NotFound" else { return "unmatched" }
            return path
        }
        do {
            let response = try await next(request, context)
            metrics.recordRequest(method: request.method, route: route(), status: response.status.code, duration: .now - start)
            return response
        } catch {
            // Only reached if an inner middleware stops converting errors into answers.
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.recordRequest(method: request.method, route: route(), status: status, duration: .now - start)
            throw error
        }
    }
}
