import Hummingbird

/// Refuses request bodies over the limit with 413, before any route reads them: by
/// `Content-Length` when given, else while collecting a chunked body. Routes then read the
/// collected body.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    /// The largest body accepted, bytes.
    let maxBytes: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes {
            throw ServerError(.payloadTooLarge, "the request body is larger than \(maxBytes) bytes")
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ServerError(.payloadTooLarge, "the request body is larger than \(maxBytes) bytes")
        }
        return try await next(request, context)
    }
}
