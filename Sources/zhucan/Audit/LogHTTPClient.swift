import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ZhucanAudit
import ZhucanTransparency

/// Reads a service's transparency log over HTTP: `GET /v1/log/checkpoint` (public) and
/// `GET /v1/log/entries` (an API key with the `audit` scope), page by page.
///
/// The service is not trusted to behave: each answer is read within a size limit and a
/// deadline and never through a redirect (`BoundedHTTPGet`), and how far to read comes from
/// the signed checkpoint, never from the service's own count.
struct LogHTTPClient {
    /// The service's base URL, e.g. `http://127.0.0.1:8080`.
    let base: URL
    /// `Authorization: Bearer` value.
    let apiKey: String?
    /// The longest one request may take, its whole answer included.
    let requestTimeout: Duration

    /// Entries asked for per request (the service answers at most 1,000).
    static let pageSize: UInt64 = 1_000
    /// The largest checkpoint read: the signed-note parser's own limit.
    static let maxCheckpointBytes = SignedNote.Limits().maxBytes
    /// The largest page of entries read: `pageSize` entries, each the largest record an audit
    /// reads (`LogRecord.maxEncodedBytes`) in base64, with its leaf hash, index and the JSON
    /// around them; some 84 MiB. A page of certificates is some 3 MB.
    static let maxPageBytes = Int(pageSize) * ((LogRecord.maxEncodedBytes + 2) / 3 * 4 + 256)

    /// The latest checkpoint, as signed.
    func checkpoint() async throws -> String {
        String(decoding: try await get("v1/log/checkpoint", query: [], authenticated: false, maxBytes: Self.maxCheckpointBytes), as: UTF8.self)
    }

    /// Feeds `auditor` the entries `0..<size`, in index order: the log as the checkpoint of
    /// that size signed it. Entries logged since are not covered by it and are the next
    /// audit's; a note says how many there were.
    ///
    /// A hostile service steers nothing: the pages asked for stop at `size`, whatever count
    /// the service claims; a page holding no entry ends the reading (the entries not read are
    /// then missing); and a page that is not the documented JSON, holds an entry outside the
    /// range asked for, or none with an index, is a problem (`malformed_page`) and ends it too.
    /// An entry that cannot be read is a problem (`malformed_record`) and the reading goes on,
    /// as in an export file.
    /// - Throws: `CommandFailure.input` when the service cannot be reached, answers other than
    ///   200, too much, too slowly, or redirects.
    func readEntries(upTo size: UInt64, into auditor: inout LogAuditor) async throws {
        var start: UInt64 = 0
        var stored: (tree: UInt64, count: UInt64)?
        while start < size {
            // Each page covers [start, end): missing rows leave gaps, not shifts.
            let end = start + min(Self.pageSize, size - start)
            let asked = "/v1/log/entries?start=\(start)&end=\(end)"
            let data = try await get(
                "v1/log/entries", query: [("start", "\(start)"), ("end", "\(end)")], authenticated: true, maxBytes: Self.maxPageBytes
            )
            guard let page = try? JSONDecoder().decode(Page.self, from: data) else {
                auditor.addMalformedPage("\(asked) did not answer the documented JSON")
                return
            }
            if let tree = page.size, let count = page.count { stored = (tree, count) }
            guard !page.entries.isEmpty else { break }
            var placed = false
            for (position, entry) in page.entries.enumerated() {
                guard let index = entry.index else {
                    auditor.addUnreadable("\(asked): its entry \(position + 1) has no index")
                    continue
                }
                placed = true
                guard (start..<end).contains(index) else {
                    auditor.addMalformedPage("\(asked) answered entry \(index), outside the range asked for")
                    return
                }
                guard let text = entry.data, let bytes = Data(base64Encoded: text) else {
                    auditor.addUnreadable("entry \(index) from \(asked): its data is not base64", index: index)
                    continue
                }
                let leafHash: [UInt8]?
                switch entry.leafHash {
                case .absent:
                    leafHash = nil
                case .hash(let hash):
                    leafHash = hash
                case .unreadable:
                    // Not taken for absent: that would name a garbled entry not_in_tree.
                    auditor.addUnreadable("entry \(index) from \(asked): its leafHash is not base64", index: index)
                    continue
                }
                auditor.add(LogEntry(index: index, data: [UInt8](bytes), leafHash: leafHash))
            }
            guard placed else {
                // No progress: the next page could be the same again.
                auditor.addMalformedPage("\(asked) answered no entry with an index")
                return
            }
            start = end
        }
        guard let stored else { return }
        // The service reads its count, then its tree's size, and an entry and its leaf commit
        // together: a count beyond the tree means rows written behind the log's back, which
        // the entries read (up to the checkpoint) would not show.
        let covered = max(stored.tree, size)
        if stored.count > covered { auditor.addEntriesOutsideTree(covered..<stored.count) }
        if stored.tree > size {
            auditor.addNote("the log has grown to \(stored.tree) entries since its checkpoint of size \(size): the \(stored.tree - size) after it are for the next audit")
        }
    }

    /// A page of `GET /v1/log/entries` (`LogEntriesResponse`), read leniently: an entry with a
    /// field missing or of the wrong type is still placed by its index and reported, rather
    /// than making the whole page unreadable.
    private struct Page: Decodable {
        /// What a page gives as an entry's leaf hash.
        enum LeafHash {
            /// None (absent or null): a row outside the tree.
            case absent
            /// The hash, from standard base64 as documented.
            case hash([UInt8])
            /// Something other than a base64 string.
            case unreadable
        }

        struct Entry: Decodable {
            let index: UInt64?
            let data: String?
            let leafHash: LeafHash

            private enum CodingKeys: String, CodingKey {
                case index, data, leafHash
            }

            init(from decoder: any Decoder) throws {
                guard let fields = try? decoder.container(keyedBy: CodingKeys.self) else {
                    index = nil
                    data = nil
                    leafHash = .unreadable
                    return
                }
                index = try? fields.decode(UInt64.self, forKey: .index)
                data = try? fields.decode(String.self, forKey: .data)
                if !fields.contains(.leafHash) || (try? fields.decodeNil(forKey: .leafHash)) == true {
                    leafHash = .absent
                } else if let text = try? fields.decode(String.self, forKey: .leafHash), let bytes = Data(base64Encoded: text) {
                    leafHash = .hash([UInt8](bytes))
                } else {
                    leafHash = .unreadable
                }
            }
        }

        /// The tree's size when the service read it.
        let size: UInt64?
        /// The number of stored entries (one past the highest index) when the service read it.
        let count: UInt64?
        let entries: [Entry]

        private enum CodingKeys: String, CodingKey {
            case size, count, entries
        }

        init(from decoder: any Decoder) throws {
            let fields = try decoder.container(keyedBy: CodingKeys.self)
            size = try? fields.decode(UInt64.self, forKey: .size)
            count = try? fields.decode(UInt64.self, forKey: .count)
            entries = try fields.decode([Entry].self, forKey: .entries)
        }
    }

    private func get(_ path: String, query: [(String, String)], authenticated: Bool, maxBytes: Int) async throws -> Data {
        guard var components = URLComponents(url: base.appendingPathComponent(path), resolvingAgainstBaseURL: false) else {
            throw CommandFailure.input("\(base.absoluteString) is not a usable URL")
        }
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        guard let url = components.url else { throw CommandFailure.input("\(base.absoluteString) is not a usable URL") }
        // The request's own timeout bounds only silence. Set past the deadline for the whole
        // answer, it never comes first: a silent service and a slow one are named alike.
        let seconds = Double(requestTimeout.components.seconds) + Double(requestTimeout.components.attoseconds) / 1e18
        var request = URLRequest(url: url, timeoutInterval: seconds + 5)
        if authenticated, let apiKey { request.setValue("Bearer \(apiKey)", forHTTPHeaderField: "Authorization") }
        switch await BoundedHTTPGet.get(request, maxBytes: maxBytes, timeout: requestTimeout) {
        case .answered(let status, let data):
            guard status == 200 else {
                let message = (try? JSONDecoder().decode([String: String].self, from: data))?["message"] ?? ""
                let hint = status == 401 || status == 403 ? " (give an API key with the audit scope: --api-key or $ZHUCAN_API_KEY)" : ""
                throw CommandFailure.input("\(url.path) answered \(status) \(message)\(hint)")
            }
            return data
        case .tooLarge:
            throw CommandFailure.input("\(url.absoluteString) answered more than \(maxBytes) bytes, more than this log's API ever sends: is this a Zhucan service or node?")
        case .timedOut:
            throw CommandFailure.input("\(url.absoluteString) did not answer in full within \(requestTimeout) (--request-timeout-seconds)")
        case .redirected(let location):
            throw CommandFailure.input(
                "\(url.absoluteString) redirects to \(location); the log's API never redirects, and the audit does not follow (nor send its API key elsewhere): give its own address"
            )
        case .failed(let reason):
            throw CommandFailure.input("cannot reach \(url.absoluteString): \(reason)")
        }
    }
}
