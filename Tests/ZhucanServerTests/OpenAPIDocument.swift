import Foundation
import ZhucanTesting

/// `Docs/openapi.json` — the service's OpenAPI 3.1 description — read as plain JSON, with
/// the lookups the conformance tests need.
struct OpenAPIDocument: Sendable {
    /// One documented operation.
    struct Operation: Sendable, Hashable, CustomStringConvertible {
        /// Upper case, as HTTP writes it.
        let method: String
        /// The path template, `{name}` for each parameter.
        let path: String

        var description: String { "\(method) \(path)" }
    }

    /// Where the document is.
    static let url = TestVectors.projectRoot.appendingPathComponent("Docs/openapi.json")

    /// The whole document.
    let root: JSONValue

    /// Reads the document.
    init() throws {
        root = try JSONValue(parsing: Data(contentsOf: Self.url))
    }

    /// The HTTP methods OpenAPI 3.1 allows as keys of a path item (§4.8.9).
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// Every documented operation.
    var operations: [Operation] {
        (root["paths"]?.object ?? [:]).flatMap { path, item in
            Self.methods.filter { item[$0] != nil }.map { Operation(method: $0.uppercased(), path: path) }
        }
    }

    /// The Operation Object of `operation`.
    func object(_ operation: Operation) -> JSONValue? {
        root["paths"]?[operation.path]?[operation.method.lowercased()]
    }

    /// The scope an operation needs (the role listed in its security requirement, OpenAPI 3.1
    /// §4.8.30), or nil for a public one.
    func scope(_ operation: Operation) -> String? {
        object(operation)?["security"]?.array?.first?["apiKey"]?.array?.first?.string
    }

    /// Whether `operation` takes an API key of any scope (`apiKey` with no scope named).
    func takesAnyKey(_ operation: Operation) -> Bool {
        object(operation)?["security"]?.array?.first?["apiKey"]?.array?.isEmpty == true
    }

    /// Whether `operation` is proved by a device's DPoP proof instead of an API key.
    func isProvedByDevice(_ operation: Operation) -> Bool {
        object(operation)?["security"]?.array?.first?["dpop"] != nil
    }

    /// The documented status codes of `operation`.
    func statuses(_ operation: Operation) -> [Int] {
        (object(operation)?["responses"]?.object ?? [:]).keys.compactMap { Int($0) }.sorted()
    }

    /// The Response Object for `status`, references followed.
    func response(_ operation: Operation, status: Int) -> JSONValue? {
        object(operation)?["responses"]?[String(status)].flatMap(followed)
    }

    /// `value`, or what its `$ref` points to.
    func followed(_ value: JSONValue) -> JSONValue? {
        guard let reference = value["$ref"]?.string else { return value }
        return resolve(reference)
    }

    /// A local reference `#/a/b/c` (RFC 6901 JSON pointer, without escapes: the document
    /// uses none).
    func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = root
        for token in reference.dropFirst(2).split(separator: "/") { node = node?[String(token)] }
        return node
    }
}
