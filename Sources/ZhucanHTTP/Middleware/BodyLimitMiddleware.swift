import Hummingbird
import NIOCore

/// Refuses request bodies over the limit with 413, before any route reads them: by
/// `Content-Length` when given, else while collecting a chunked body. A body still arriving
/// `timeout` after its headers gets 408 (a client dripping a byte at a time never goes idle);
/// one that stops arriving altogether is closed by the server's idle timeout. Routes then read
/// the collected body.
package struct BodyLimitMiddleware: RouterMiddleware {
    package typealias Context = ServerRequestContext

    /// The largest body accepted, bytes.
    package let maxBytes: Int
    /// How long the whole body may take.
    package let timeout: Duration

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBytes {
            throw ServerError(.payloadTooLarge, "the request body is larger than \(maxBytes) bytes")
        }
        var request = request
        let deadline = ContinuousClock.now + timeout
        var collected = ByteBuffer()
        do {
            for try await chunk in request.body {
                guard collected.readableBytes + chunk.readableBytes <= maxBytes else {
                    // A chunked body (no Content-Length) that grew past the limit.
                    throw ServerError(.payloadTooLarge, "the request body is larger than \(maxBytes) bytes")
                }
                guard ContinuousClock.now <= deadline else {
                    throw ServerError(.requestTimeout, "the request body did not arrive within \(timeout.components.seconds) s")
                }
                var chunk = chunk
                collected.writeBuffer(&chunk)
            }
        } catch let error as ServerError {
            throw error
        } catch let error as HTTPError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            // The client's fault, not the service's: a chunked body NIO's parser refuses (a bad
            // chunk size), or a body cut off. It was a 500 that anyone could cause, on any path,
            // and that an alert on 5xx answers by paging someone.
            throw ServerError(.badRequest, "the request body is malformed or ended early")
        }
        request.body = .init(buffer: collected)
        return try await next(request, context)
    }
}
