import HTTPTypes
import Hummingbird
import Logging
import ZhucanServiceStore

/// The outermost middleware: gives every request an id (the client's `X-Request-Id` when it
/// is sane, else a random one) on every log line (`request.id`) and in the answer, turns
/// every error into the service's JSON error body, marks every answer that does not say
/// otherwise `Cache-Control: no-store`, not to be sniffed and not to be framed, and logs one line per request — with the
/// route template, never the raw path, which may hold a card number, and the fields the route
/// added to `context.summary`.
package struct RequestIDMiddleware: RouterMiddleware {
    package typealias Context = ServerRequestContext

    /// The routes, to tell "no such path" (404) from "not with this method" (405).
    package let routes: RouteTable

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let id = Self.acceptable(request.headers[HeaderNames.requestID]) ?? Self.generate()
        context.requestID = id
        context.logger[metadataKey: "request.id"] = .string(id)
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as ServerError {
            response = JSONResponse.make(ErrorBody(error: error.code.name, message: error.reason), status: error.status, headers: error.headers)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.allowedMethods(for: request.uri.path)
            let converted = allowed.isEmpty
                ? ServerError.from(error)
                : ServerError(.methodNotAllowed, "\(request.method.rawValue) is not allowed here; use \(allowed.joined(separator: ", "))",
                              headers: [.allow: allowed.joined(separator: ", ")])
            response = JSONResponse.make(ErrorBody(error: converted.code.name, message: converted.reason), status: converted.status, headers: converted.headers)
        } catch let error as HTTPError {
            let converted = ServerError.from(error)
            response = JSONResponse.make(ErrorBody(error: converted.code.name, message: converted.reason), status: converted.status, headers: error.headers)
        } catch let error as RegistryError where error.code == .unavailable {
            // A store that stopped answering: a load balancer sends the next request elsewhere.
            context.logger.error("the store did not answer", metadata: ["error": .string(error.reason)])
            let converted = ServerError(.storeUnavailable, "the service's database did not answer in time; try again shortly", headers: [.retryAfter: "5"])
            response = JSONResponse.make(ErrorBody(error: converted.code.name, message: converted.reason), status: converted.status, headers: converted.headers)
        } catch let error as any HTTPResponseError where error.status.code < 500 {
            // Hummingbird's and NIO's own client errors (NIOTooManyBytesError: 413) are the
            // client's fault: their status, never a 500 that trips the operators' alert.
            let converted = ServerError.from(HTTPError(error.status))
            response = JSONResponse.make(ErrorBody(error: converted.code.name, message: converted.reason), status: converted.status)
        } catch {
            // The type only, and a store's code and cause in its fixed words: an error's
            // description may quote input.
            var metadata: Logger.Metadata = ["error.type": .string(String(describing: type(of: error)))]
            if let error = error as? RegistryError {
                metadata["error.code"] = .string(error.code.description)
                if let cause = error.cause { metadata["error.cause"] = .string(cause) }
            }
            context.logger.error("request failed", metadata: metadata)
            response = JSONResponse.make(ErrorBody(error: "internal", message: "internal error; see the server log for request \(id)"),
                                         status: .internalServerError)
        }
        response.headers[HeaderNames.requestID] = id
        // What a route did not mark cacheable is stored by no cache (RFC 9111 §5.2.2.5): the
        // holder's routes are proved by a DPoP header, not `Authorization`, so a shared cache
        // would otherwise be free to keep one holder's answer and give it to the next.
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        // The pages set their own policy; every other answer — JSON, the signed objects, errors —
        // is neither sniffed into HTML (Fetch, `X-Content-Type-Options: nosniff`) nor framed,
        // nor allowed to load anything (CSP Level 3: `default-src 'none'; frame-ancestors 'none'`).
        if response.headers[.xContentTypeOptions] == nil { response.headers[.xContentTypeOptions] = "nosniff" }
        if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = Self.policy }
        let elapsed = ContinuousClock.now - start
        var metadata = context.summary.metadata
        metadata["http.method"] = .string(request.method.rawValue)
        metadata["http.route"] = .string(context.endpointPath ?? "unmatched")
        metadata["http.status"] = .stringConvertible(response.status.code)
        metadata["http.duration_ms"] = .string(Self.milliseconds(elapsed))
        context.logger.info("request", metadata: metadata)
        return response
    }

    /// The content security policy of every answer that is not a page.
    static let policy = "default-src 'none'; frame-ancestors 'none'"

    /// A client's id when it is 1–64 characters of `A–Z a–z 0–9 . _ -` (anything else could
    /// forge log lines).
    package static func acceptable(_ value: String?) -> String? {
        guard let value, (1...64).contains(value.utf8.count),
            value.utf8.allSatisfy({ byte in
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            })
        else { return nil }
        return value
    }

    /// A duration in milliseconds with two decimals, "12.34".
    package static func milliseconds(_ duration: Duration) -> String {
        // In units of 10 µs: 100,000 a second, 10¹³ attoseconds each.
        let units = duration.components.seconds * 100_000 + duration.components.attoseconds / 10_000_000_000_000
        let fraction = units % 100
        return "\(units / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// 16 random hexadecimal digits.
    package static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = UInt64.random(in: .min ... .max, using: &generator)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
