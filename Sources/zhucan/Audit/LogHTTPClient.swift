import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ZhucanTransparency

/// Reads a service's transparency log over HTTP: `GET /v1/log/checkpoint` (public) and
/// `GET /v1/log/entries` (an API key with the `audit` scope), page by page.
struct LogHTTPClient {
    /// The service's base URL, e.g. `http://127.0.0.1:8080`.
    let base: URL
    /// `Authorization: Bearer` value.
    let apiKey: String?

    /// Entries asked for per request (the service answers at most 1,000).
    static let pageSize: UInt64 = 1_000

    /// The latest checkpoint, as signed.
    func checkpoint() async throws -> String {
        String(decoding: try await get("v1/log/checkpoint", query: [], authenticated: false), as: UTF8.self)
    }

    /// Calls `body` with every stored entry, in index order.
    func entries(_ body: (LogEntry) throws -> Void) async throws {
        var start: UInt64 = 0
        var count: UInt64 = 1
        while start < count {
            let data = try await get("v1/log/entries", query: [("start", "\(start)"), ("end", "\(start + Self.pageSize)")], authenticated: true)
            guard let page = try? JSONDecoder().decode(Page.self, from: data) else {
                throw CommandFailure.input("\(base.absoluteString): /v1/log/entries did not answer the documented JSON")
            }
            count = page.count
            for entry in page.entries {
                guard let bytes = Data(base64Encoded: entry.data) else {
                    throw CommandFailure.input("\(base.absoluteString): entry \(entry.index) is not base64")
                }
                try body(LogEntry(index: entry.index, data: [UInt8](bytes), leafHash: entry.leafHash.flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }))
            }
            // Each page covers [start, start + pageSize): missing rows leave gaps, not shifts.
            start += Self.pageSize
        }
    }

    private struct Page: Decodable {
        struct Entry: Decodable {
            let index: UInt64
            let data: String
            let leafHash: String?
        }
        let count: UInt64
        let entries: [Entry]
    }

    private func get(_ path: String, query: [(String, String)], authenticated: Bool) async throws -> Data {
        guard var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false) else {
            throw CommandFailure.input("\(base.absoluteString) is not a usable URL")
        }
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = components.url else { throw CommandFailure.input("\(base.absoluteString) is not a usable URL") }
        var request = URLRequest(url: url, timeoutInterval: 60)
        if authenticated, let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        let (data, response): (Data, URLResponse)
        do {
            (data, response) = try await URLSession.shared.data(for: request)
        } catch {
            throw CommandFailure.input("cannot reach \(url.absoluteString): \(error.localizedDescription)")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            let message = (try? JSONDecoder().decode([String: String].self, from: data))?["message"] ?? ""
            let hint = status == 401 || status == 403 ? " (give an API key with the audit scope: --api-key or $ZHUCAN_API_KEY)" : ""
            throw CommandFailure.input("\(url.path) answered \(status) \(message)\(hint)")
        }
        return data
    }
}
