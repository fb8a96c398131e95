import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Fetches the issuer's public objects with conditional GETs (RFC 9110 §13.1.2: `ETag` and
/// `If-None-Match`), so that an unchanged list costs a 304 and no body.
package struct IssuerClient: Sendable {
    /// What a fetch came to.
    package enum Answer: Sendable, Equatable {
        /// 200: the body and its entity tag.
        case fetched([UInt8], etag: String?)
        /// 304: what the node holds is current.
        case notModified
        /// 404: the issuer has no such object.
        case notFound
    }

    /// Why a fetch failed: the issuer is down, slow or answered something else.
    package struct Failure: Error, CustomStringConvertible, Sendable {
        package let description: String
    }

    let base: URL
    let timeout: Duration
    let maxBytes: Int
    let client: HTTPClient

    package init(base: URL, timeout: Duration, maxBytes: Int, client: HTTPClient = .shared) {
        self.base = base
        self.timeout = timeout
        self.maxBytes = maxBytes
        self.client = client
    }

    /// GETs `path` (with its query), conditionally on `etag`, within `timeout` for the whole
    /// exchange, body included: the client's own deadline ends with the response head, so a
    /// server that sent its body a byte at a time could hold a refresh round for hours.
    package func get(_ path: String, etag: String? = nil) async throws(Failure) -> Answer {
        var request = HTTPClientRequest(url: url(path))
        request.headers.add(name: "User-Agent", value: "zhucan-node")
        // A cache between node and issuer (a CDN, Docs/deployment.md) must ask the issuer
        // before answering (RFC 9111 §5.2.1.4): else a revocation reaches nodes only when
        // its copy of the status list goes stale, up to the list's max-age later.
        request.headers.add(name: "Cache-Control", value: "no-cache")
        if let etag { request.headers.add(name: "If-None-Match", value: etag) }
        let prepared = request
        do {
            return try await withThrowingTaskGroup(of: Answer?.self) { group in
                group.addTask { try await exchange(prepared, path: path) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let answer = first else {
                    throw Failure(description: "GET \(path): no whole answer within \(timeout)")
                }
                return answer
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "GET \(path): \(error)")
        }
    }

    /// The address of `path` (with its query) at the issuer, beneath any path prefix of `base`.
    package func url(_ path: String) -> String {
        base.absoluteString.trimmingSuffix("/") + path
    }

    private func exchange(_ request: HTTPClientRequest, path: String) async throws -> Answer {
        let response = try await client.execute(request, timeout: TimeAmount(timeout))
        switch response.status {
        case .ok:
            let body = try await response.body.collect(upTo: maxBytes)
            return .fetched(Array(buffer: body), etag: response.headers.first(name: "ETag"))
        case .notModified:
            return .notModified
        case .notFound:
            return .notFound
        default:
            throw Failure(description: "GET \(path): HTTP \(response.status.code)")
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
