import Foundation
import Hummingbird
import ZhucanHTTP
import ZhucanRegistry
import ZhucanServiceStore
import ZhucanSigning

/// The transparency log: `GET /v1/log/checkpoint` (public: a signed note commits to nothing
/// personal), `/v1/log/proof/consistency` and `/v1/log/proof/publication` (public: hashes, and
/// the public lists' own entries) and, for the `audit` scope, `GET /v1/log/entries`, `/v1/log/proof/inclusion`
/// and `/v1/log/proof/consistency` (RFC 9162 §2.1.3–2.1.4). Hashes are standard base64, as
/// in C2SP checkpoints.
struct LogController: Sendable {
    let state: ServerState

    /// The most entries one `GET /v1/log/entries` answers; a client pages with `start`.
    static let maxEntriesPerPage: UInt64 = 1_000

    /// `GET /v1/log/checkpoint`: the newest signed checkpoint, as the signed note's text.
    @Sendable func checkpoint(_ request: Request, context: ServerRequestContext) async throws -> Response {
        guard let checkpoint = try registry.latestCheckpoint() else {
            throw ServerError(.notFound, "the log has no checkpoint yet")
        }
        let body = Array(checkpoint.note.utf8)
        let tag = "\"\(Hexadecimal.encode(Digest.sha256(body)))\""
        // A checkpoint changes with every issuance: clients revalidate on every use.
        var headers: HTTPFields = [.eTag: tag, .cacheControl: "no-cache"]
        if PublicationController.matches(request.headers[values: .ifNoneMatch], tag: tag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "text/plain; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// `GET /v1/log/entries?start=&end=`: the stored entries in `[start, end)`, at most
    /// `maxEntriesPerPage` of them (none when `start` is past the last). A client pages
    /// `[start, start + 1000)` until `start` reaches `count`.
    @Sendable func entries(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let start = try Self.number("start", in: request)
        let end = try Self.number("end", in: request)
        guard start < end else { throw ServerError(.badRequest, "start must be below end") }
        let count = try answering { try registry.logEntryCount() }
        // Clamped to the log before any arithmetic: `start + maxEntriesPerPage` overflowed
        // for a start near 2⁶⁴ and trapped, taking the service down.
        let first = min(start, count)
        let last = min(end, count, first + Self.maxEntriesPerPage)
        let entries = first < last ? try answering { try registry.logEntries(in: first..<last) } : []
        return JSONResponse.make(LogEntriesResponse(
            size: try answering { try registry.logSize() }, count: count,
            entries: entries.map { .init(index: $0.index, data: Self.base64($0.data), leafHash: $0.leafHash.map(Self.base64)) }
        ))
    }

    /// `GET /v1/log/proof/inclusion?index=&size=`.
    @Sendable func inclusionProof(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let index = try Self.number("index", in: request)
        let size = try Self.number("size", in: request)
        let (proof, root, leaf) = try answering {
            (try registry.inclusionProof(index: index, size: size), try registry.logRoot(size: size),
             try registry.leafHash(at: index))
        }
        return JSONResponse.make(InclusionProofResponse(
            index: index, size: size, leafHash: Self.base64(leaf), rootHash: Self.base64(root), hashes: proof.map(Self.base64)
        ))
    }

    /// `GET /v1/log/proof/consistency?from=&to=`.
    @Sendable func consistencyProof(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let from = try Self.number("from", in: request)
        let to = try Self.number("to", in: request)
        let (proof, fromRoot, toRoot) = try answering {
            (try registry.consistencyProof(from: from, to: to), try registry.logRoot(size: from), try registry.logRoot(size: to))
        }
        return JSONResponse.make(ConsistencyProofResponse(
            from: from, to: to, fromRootHash: Self.base64(fromRoot), toRootHash: Self.base64(toRoot), hashes: proof.map(Self.base64)
        ))
    }

    /// `GET /v1/log/proof/publication?kind=[&sha256=][&sequence=][&size=]`: that a list served
    /// is in the log (`PublicationProof`): the trust list or status list whose body has that
    /// SHA-256 (hex, its `ETag`; without it, the newest), or catalogue edition `sequence` (with
    /// `sha256`, only as served so), in the tree of `size` leaves (the asker's trusted
    /// checkpoint; by default the newest checkpoint's). 404 when it is not, or only past that
    /// size. Public: a list's entry holds the public list alone.
    @Sendable func publicationProof(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        guard let kind = Registry.PublicationKind(rawValue: query.get("kind") ?? "") else {
            throw ServerError(.badRequest, "kind must be trust-list, status-list or catalogue")
        }
        var digest: [UInt8]?
        if let text = query.get("sha256") {
            guard text.utf8.count == 64, let bytes = Hexadecimal.decode(text) else {
                throw ServerError(.badRequest, "sha256 must be 64 hexadecimal digits")
            }
            digest = bytes
        }
        let sequence = query.get("sequence") == nil ? nil : try Self.number("sequence", in: request)
        let size = query.get("size") == nil ? nil : try Self.number("size", in: request)
        guard sequence.map({ $0 <= UInt64(Int64.max) }) ?? true else { throw ServerError(.badRequest, "sequence is out of range") }
        let proof = try state.answering { try state.workspace.publicationProof(kind, sequence: sequence.map { Int64($0) }, digest: digest, size: size) }
        return JSONResponse.make(proof, headers: [.cacheControl: "no-cache"])
    }

    private var registry: Registry { state.workspace.registry }

    /// Runs a log read; a size or index beyond the log is the client's fault (400).
    private func answering<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as RegistryError where error.code == .invalidInput {
            throw ServerError(.badRequest, error.reason)
        }
    }

    /// A required query parameter that is a non-negative decimal integer.
    static func number(_ name: String, in request: Request) throws -> UInt64 {
        guard let text = request.uri.queryParameters.get(name) else {
            throw ServerError(.badRequest, "the query parameter \(name) is required")
        }
        guard text.count <= 20, text.allSatisfy(\.isASCII), let value = UInt64(text) else {
            throw ServerError(.badRequest, "\(name) must be a non-negative integer")
        }
        return value
    }

    static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
