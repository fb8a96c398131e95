import Foundation
import Hummingbird

/// An error answer of the service: an HTTP status, a stable code for the JSON body
/// (`{"error": CODE, "message": …}`), and a human message that never holds personal data.
/// Equality and hashing use the code only.
package struct ServerError: Error, Hashable, CustomStringConvertible, Sendable {
    /// The kind of failure, with its HTTP status and JSON error code.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The JSON `error` value.
        package let name: String
        /// The HTTP status.
        package let status: HTTPResponse.Status

        package init(_ name: String, _ status: HTTPResponse.Status) {
            self.name = name
            self.status = status
        }

        /// The JSON `error` value.
        package var description: String { name }

        /// The request is not the documented JSON, or a parameter is missing or malformed.
        package static let badRequest = Code("bad_request", .badRequest)
        /// No API key, an unknown or wrong one, or a revoked one.
        package static let unauthorized = Code("unauthorized", .unauthorized)
        /// The key lacks the route's scope.
        package static let forbidden = Code("forbidden", .forbidden)
        /// No such route or object.
        package static let notFound = Code("not_found", .notFound)
        /// The route exists but not with this method.
        package static let methodNotAllowed = Code("method_not_allowed", .methodNotAllowed)
        /// The workspace refuses (a suspended or revoked certificate gets no code).
        package static let notAllowed = Code("not_allowed", .conflict)
        /// The body is larger than the configured limit.
        package static let payloadTooLarge = Code("payload_too_large", .contentTooLarge)
        /// 415: a body that is not `application/json`.
        package static let unsupportedMediaType = Code("unsupported_media_type", .unsupportedMediaType)
        /// 408: the client did not send its whole body in time.
        package static let requestTimeout = Code("request_timeout", .requestTimeout)
        /// A valid code that is not a one-time service code: there is nothing to redeem.
        package static let notOneTime = Code("not_one_time", .unprocessableContent)
        /// The key used up its requests for this window.
        package static let rateLimited = Code("rate_limited", .tooManyRequests)
        /// A holder request without a valid DPoP proof (RFC 9449 §7.1); the message names why.
        package static let invalidProof = Code("invalid_dpop_proof", .unauthorized)
        /// A holder device revoked at the window: the page says 此设备已停用.
        package static let deviceRevoked = Code("device_revoked", .forbidden)
        /// 503: the store (PostgreSQL) did not answer in time; `Retry-After` says when to ask again.
        package static let storeUnavailable = Code("store_unavailable", .serviceUnavailable)
        /// Anything else; the details are in the server log only.
        package static let internalFailure = Code("internal", .internalServerError)
    }

    /// The kind of failure.
    package let code: Code
    /// A one-line explanation for the client.
    package let reason: String
    /// Headers to send with the answer (`Retry-After`, `WWW-Authenticate`).
    package var headers: HTTPFields
    /// Where it was raised.
    package let file: String
    /// Where it was raised.
    package let line: UInt

    /// Makes an error.
    package init(_ code: Code, _ reason: String, headers: HTTPFields = [:], file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.headers = headers
        self.file = file
        self.line = line
    }

    /// `code: reason`.
    package var description: String { "\(code.name): \(reason)" }

    /// Equal when the codes are.
    package static func == (lhs: ServerError, rhs: ServerError) -> Bool { lhs.code == rhs.code }
    /// Hashes the code only.
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension ServerError: HTTPResponseError {
    /// The HTTP status.
    package var status: HTTPResponse.Status { code.status }

    /// The JSON answer.
    package func response(from request: Request, context: some RequestContext) throws -> Response {
        JSONResponse.make(ErrorBody(error: code.name, message: reason), status: code.status, headers: headers)
    }

    /// The service's error for one of Hummingbird's own (unknown route, body too large).
    static func from(_ error: HTTPError) -> ServerError {
        let message = error.body ?? error.status.reasonPhrase
        return switch error.status {
        case .notFound: ServerError(.notFound, "no such route")
        case .methodNotAllowed: ServerError(.methodNotAllowed, message)
        case .contentTooLarge: ServerError(.payloadTooLarge, "the request body is too large")
        case .unauthorized: ServerError(.unauthorized, message)
        case .forbidden: ServerError(.forbidden, message)
        case .tooManyRequests: ServerError(.rateLimited, message)
        case .badRequest: ServerError(.badRequest, message)
        default: ServerError(Code(error.status.code >= 500 ? "internal" : "http_\(error.status.code)", error.status), message)
        }
    }
}
