import Hummingbird
import NIOCore

/// Refuses request bodies over the limit with 413, before any route reads them: by
/// `Content-Length` when given, else while collecting a chunked body. A body that takes
/// longer than `timeout` to arrive gets 408. Routes then read the collected body.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = ServerRequestContext

    /// The largest body accepted, bytes.
    let maxBytes: Int
    /// How long the whole body may take.
    let timeout: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes {
            throw ServerError(.payloadTooLarge, "the request body is larger than \(maxBytes) bytes")
        }
        var request = request
        let body = request.body
        let limit = maxBytes
        do {
            let collected = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await body.collect(upTo: limit) }
                group.addTask { [timeout] in
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let buffer = first else {
                    throw ServerError(.requestTimeout, "the request body did not arrive within \(timeout.components.seconds) s")
                }
                return buffer
            }
            request.body = .init(buffer: collected)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ServerError(.payloadTooLarge, "the request body is larger than \(maxBytes) bytes")
        } catch is NIOTooManyBytesError {
            // A chunked body (no Content-Length) that grew past the limit while collected.
            throw ServerError(.payloadTooLarge, "the request body is larger than \(maxBytes) bytes")
        }
        return try await next(request, context)
    }
}
