import Foundation
import Hummingbird
import ZhucanCertLogic
import ZhucanIdentifiers

/// JSON answers: keys sorted, slashes and non-ASCII unescaped, `application/json`.
package enum JSONResponse {
    /// The answer with `value` as its body.
    package static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
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
    package static func make(json: [UInt8], status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: json)))
    }

    package static let contentType = "application/json; charset=utf-8"

    /// Decodes a JSON request body, strictly: the body must be `application/json` (else 415,
    /// RFC 9110 §15.5.16), one JSON object (RFC 8259) with no duplicated member name — which
    /// `JSONDecoder` would silently resolve one way and another parser the other — and no
    /// `null` member: an optional member is left out, not null.
    /// - Throws: `ServerError.unsupportedMediaType`, or `.badRequest` naming what was expected.
    package static func decode<T: Decodable>(_ type: T.Type, from request: Request, expected: String) async throws -> T {
        guard isJSON(request.headers[.contentType]) else {
            throw ServerError(.unsupportedMediaType, "the body must be application/json: \(expected)")
        }
        // The body limit middleware has already collected the body into one buffer.
        var request = request
        let buffer = try await request.collectBody(upTo: .max)
        let data = Data(buffer.readableBytesView)
        let parsed: JSONValue
        do {
            parsed = try JSONValue(parsing: data, limits: .init(maxBytes: data.count, maxDepth: 8))
        } catch {
            throw ServerError(.badRequest, "the body is not valid JSON (\(error.reason)); expected \(expected)")
        }
        guard let members = parsed.objectValue else { throw ServerError(.badRequest, "the body must be a JSON object \(expected)") }
        if let name = members.keys.sorted().first(where: { members[$0] == .null }) {
            throw ServerError(.badRequest, "\"\(FreeText.escapingControls(String(name.prefix(64))))\" must not be null (leave an optional member out); expected \(expected)")
        }
        if let bodyType = type as? any JSONObjectBody.Type {
            guard let body = bodyType.init(members: members) as? T else { throw ServerError(.badRequest, "the body must be JSON \(expected)") }
            return body
        }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw ServerError(.badRequest, "the body must be JSON \(expected)")
        }
    }

    /// Whether a `Content-Type` is `application/json` or a `+json` type (RFC 6839 §3.1), with
    /// any parameters.
    ///
    /// Compared byte by byte (header values are ASCII): Foundation's trimming and lowercasing
    /// went through UTF-16 and were 2% of a verification request.
    package static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let isBlank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        var essence = contentType.utf8.prefix { $0 != UInt8(ascii: ";") }[...]
        while let first = essence.first, isBlank(first) { essence = essence.dropFirst() }
        while let last = essence.last, isBlank(last) { essence = essence.dropLast() }
        let lowered = essence.map { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) ? $0 | 0x20 : $0 }
        let type = Array("application/".utf8), suffix = Array("+json".utf8)
        return lowered.elementsEqual("application/json".utf8)
            || (lowered.starts(with: type) && lowered.suffix(suffix.count).elementsEqual(suffix))
    }
}
