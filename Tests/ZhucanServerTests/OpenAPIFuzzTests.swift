import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import ZhucanHTTP
import ZhucanServer
import ZhucanTesting

/// Generated hostile requests against every documented operation, in the manner of
/// schemathesis: whatever is sent, the answer is a documented status (never a 5xx) with the
/// documented headers and body shape. The generator is seeded, so a failure repeats.
@Suite("Server: generated requests against Docs/openapi.json")
struct OpenAPIFuzzTests {
    /// Requests per operation.
    static let casesPerOperation = 60

    @Test("Every operation, 60 generated requests each: documented statuses and shapes, no 5xx")
    func generated() async throws {
        let document = try OpenAPIDocument()
        let checker = JSONSchemaChecker(document: document)
        let fixture = try ServerFixture()
        var generator = SplitMix64(seed: 0x7A68_7563_616E)
        var requests: [(OpenAPIDocument.Operation, String, String?)] = []
        for operation in document.operations {
            for _ in 0..<Self.casesPerOperation {
                requests.append((operation, Self.uri(for: operation.path, using: &generator),
                                 operation.method == "POST" ? Self.body(using: &generator) : nil))
            }
        }
        let planned = requests
        let token = fixture.allScopes
        let statuses = try await fixture.application(rateLimit: 1_000_000).test(.router) { client async throws -> [Int: Int] in
            try await Self.send(planned, to: client, token: token, document: document, checker: checker)
        }
        let summary = statuses.keys.sorted().map { status in "\(status): \(statuses[status] ?? 0)" }
        print("generated requests by status: " + summary.joined(separator: ", "))
        #expect(statuses.values.reduce(0, +) >= 12 * Self.casesPerOperation)
        // Both sides of the door were reached: refusals, and answers past validation.
        #expect(statuses[400, default: 0] > 0 && statuses[200, default: 0] > 0)
    }

    /// Sends every request with `token`, checks every answer, and counts the statuses.
    static func send(
        _ requests: [(OpenAPIDocument.Operation, String, String?)], to client: some TestClientProtocol, token: String,
        document: OpenAPIDocument, checker: JSONSchemaChecker
    ) async throws -> [Int: Int] {
        var statuses: [Int: Int] = [:]
        for (operation, uri, body) in requests {
            var headers: HTTPFields = [.authorization: "Bearer \(token)"]
            if body != nil { headers[.contentType] = "application/json" }
            let response = try await client.executeRequest(
                uri: uri, method: HTTPRequest.Method(operation.method)!, headers: headers, body: body.map { ByteBuffer(string: $0) }
            )
            #expect(response.status.code < 500, "\(operation.method) \(uri) \(body?.prefix(200) ?? ""): \(response.text.prefix(200))")
            _ = try OpenAPITests.check(response, operation, document: document, checker: checker)
            statuses[Int(response.status.code), default: 0] += 1
        }
        return statuses
    }

    /// The template with each `{parameter}` replaced by a generated segment, and a generated
    /// query.
    static func uri(for template: String, using generator: inout SplitMix64) -> String {
        var path = template
        while let open = path.firstIndex(of: "{"), let close = path[open...].firstIndex(of: "}") {
            path.replaceSubrange(open...close, with: segment(using: &generator))
        }
        let names = ["purpose", "start", "end", "index", "size", "from", "to", "since", "x"]
        let pairs = (0..<Int.random(in: 0...3, using: &generator)).map { _ in
            "\(names.randomElement(using: &generator)!)=\(segment(using: &generator))"
        }
        return pairs.isEmpty ? path : "\(path)?\(pairs.joined(separator: "&"))"
    }

    /// A path segment or query value: numbers at the edges, encoded bytes, real-looking
    /// values, long runs, text.
    static func segment(using generator: inout SplitMix64) -> String {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0: return ["0", "1", "-1", "2", "18446744073709551616", "9223372036854775807", "1e3", "0x10"].randomElement(using: &generator)!
        case 1: return ["%00", "%FF%FE", "%C3%28", "..%2F..%2Fetc%2Fpasswd", "%E7%8E%8B%E5%B0%8F%E6%98%8E", "%20"].randomElement(using: &generator)!
        case 2: return ["A12345678", "a12345678", "360121197011210013", "36012119701121001343", "2026-11-29", "free-bus"]
            .randomElement(using: &generator)!
        case 3: return String(repeating: "9", count: Int.random(in: 20...2_000, using: &generator))
        case 4: return ""
        default:
            let alphabet = Array("abcXYZ0189-_.~")
            return String((0..<Int.random(in: 1...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
        }
    }

    /// A request body: mostly JSON objects with the documented property names and values of
    /// any type, sometimes other JSON, sometimes not JSON at all.
    static func body(using generator: inout SplitMix64) -> String {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0: return ["", "not json", "{", "{\"code\": \"\u{1}\"}", "\u{FEFF}{}", "nul\u{0}l"].randomElement(using: &generator)!
        case 1: return String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)
        case 2: return json(using: &generator, depth: 0)
        default:
            let names = ["code", "service", "certificate", "showCategory", "oneTime", "ttl", "seconds", "extra"]
            let members = (0..<Int.random(in: 0...4, using: &generator)).map { _ in
                "\"\(names.randomElement(using: &generator)!)\": \(json(using: &generator, depth: 1))"
            }
            return "{\(members.joined(separator: ", "))}"
        }
    }

    /// A JSON value of any type, nested at most three deep.
    static func json(using generator: inout SplitMix64, depth: Int) -> String {
        switch Int.random(in: 0..<(depth >= 3 ? 5 : 7), using: &generator) {
        case 0: return "null"
        case 1: return Bool.random(using: &generator) ? "true" : "false"
        case 2: return ["0", "-1", "1.5", "1e308", "-0", "123456789012345678901234567890"].randomElement(using: &generator)!
        case 3: return "\"\(segment(using: &generator).replacingOccurrences(of: "%", with: "\\u0025"))\""
        case 4: return ["\"ZC1:\"", "\"ZI1:%%%\"", "\"王小明\"", "\"\\ud800\"", "\"" + String(repeating: "A", count: 3_000) + "\""]
            .randomElement(using: &generator)!
        case 5:
            return "[" + (0..<Int.random(in: 0...3, using: &generator)).map { _ in json(using: &generator, depth: depth + 1) }
                .joined(separator: ",") + "]"
        default:
            return "{\"k\": \(json(using: &generator, depth: depth + 1))}"
        }
    }
}
