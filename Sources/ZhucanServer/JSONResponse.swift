import Foundation
import Hummingbird

/// JSON answers: keys sorted, slashes and non-ASCII unescaped, `application/json`.
enum JSONResponse {
    /// The answer with `value` as its body.
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding these plain structs of strings, numbers and booleans cannot fail; if it
        // ever did, the client still gets a JSON error rather than a broken body.
        let body = (try? encoder.encode(value)) ?? Data(#"{"error":"internal","message":"cannot encode the answer"}"#.utf8)
        var headers = headers
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The answer with `json` (already JSON text) as its body.
    static func make(json: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
    }

    static let contentType = "application/json; charset=utf-8"

    /// Decodes a JSON request body.
    /// - Throws: `ServerError.badRequest` naming what was expected.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, expected: String) async throws -> T {
        // The body limit middleware has already collected the body into one buffer.
        var request = request
        let buffer = try await request.collectBody(upTo: .max)
        do {
            return try JSONDecoder().decode(type, from: Data(buffer.readableBytesView))
        } catch {
            throw ServerError(.badRequest, "the body must be JSON \(expected)")
        }
    }
}
