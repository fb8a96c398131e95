import Foundation
import Hummingbird
import ZhucanHTTP
import ZhucanIssuer
import ZhucanRegistry
import ZhucanSigning

/// The public signed objects: `GET /v1/trust-list`, `/v1/status-lists/{id}`, `/v1/catalogue`
/// and `/v1/catalogue/{sequence}`. No key is needed: verifiers fetch them to work offline,
/// and the signatures, not the transport, make them trustworthy.
///
/// Each answer carries `Cache-Control: public, max-age=<ttl>` (never past the object's own
/// expiry) and a strong `ETag` — SHA-256 of the body — and a matching `If-None-Match` gets
/// 304 without a body (RFC 9110 §13.1.2, §15.4.5).
struct PublicationController: Sendable {
    let state: ServerState

    /// `GET /v1/trust-list`: the latest trust list, as envelope text.
    @Sendable func trustList(_ request: Request, context: ServerRequestContext) async throws -> Response {
        guard let publication = try state.workspace.registry.latestPublication(.trustList) else {
            throw ServerError(.notFound, "no trust list is published")
        }
        return try answer(request, publication: publication, contentType: "text/plain; charset=utf-8")
    }

    /// `GET /v1/status-lists/{id}`: the latest status list token, binary COSE_Sign1
    /// (draft-ietf-oauth-status-list §8: `application/statuslist+cwt`). A workspace has one
    /// list, id 1, the last path segment of its status-list URI.
    @Sendable func statusList(_ request: Request, context: ServerRequestContext) async throws -> Response {
        let id = context.parameters.get("id") ?? ""
        let listID = state.workspace.configuration.statusListURI.split(separator: "/").last.map(String.init) ?? "1"
        guard id == listID, let publication = try state.workspace.registry.latestPublication(.statusList) else {
            throw ServerError(.notFound, "no status list \(String(id.prefix(32)))")
        }
        return try answer(request, publication: publication, contentType: "application/statuslist+cwt")
    }

    /// `GET /v1/catalogue`: the current catalogue, as envelope text.
    @Sendable func catalogue(_ request: Request, context: ServerRequestContext) async throws -> Response {
        guard let publication = try state.workspace.registry.latestPublication(.catalogue) else {
            throw ServerError(.notFound, "no catalogue is published")
        }
        return try answer(request, publication: publication, contentType: "text/plain; charset=utf-8")
    }

    /// `GET /v1/catalogue/{sequence}`: one published version, by its sequence number.
    @Sendable func catalogueVersion(_ request: Request, context: ServerRequestContext) async throws -> Response {
        guard let sequence = context.parameters.get("sequence").flatMap({ Int64($0) }), sequence > 0 else {
            throw ServerError(.badRequest, "the catalogue sequence must be a positive integer")
        }
        guard let publication = try state.workspace.registry.publication(.catalogue, sequence: sequence) else {
            throw ServerError(.notFound, "no catalogue \(sequence)")
        }
        return try answer(request, publication: publication, contentType: "text/plain; charset=utf-8")
    }

    /// The publication as served (`Workspace.servedBody`), its tag the SHA-256 of that body,
    /// which `GET /v1/log/proof/publication?sha256=` names.
    private func answer(_ request: Request, publication: Registry.Publication, contentType: String) throws -> Response {
        guard let body = Workspace.servedBody(of: publication) else {
            throw ServerError(.notFound, "no \(publication.kind.rawValue) can be served")
        }
        let tag = "\"\(Hexadecimal.encode(Digest.sha256(body)))\""
        let ttl = state.configuration.publicCacheSeconds ?? state.workspace.configuration.statusListTimeToLive
        let maxAge = max(0, min(Int64(ttl), publication.expiresAt - state.clock()))
        var headers: HTTPFields = [.eTag: tag, .cacheControl: "public, max-age=\(maxAge)"]
        if Self.matches(request.headers[values: .ifNoneMatch], tag: tag) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = contentType
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// RFC 9110 §13.1.2: `If-None-Match` matches on `*` or any listed tag, compared weakly.
    static func matches(_ values: [String], tag: String) -> Bool {
        for value in values {
            for candidate in value.split(separator: ",") {
                var candidate = candidate.trimmingCharacters(in: .whitespaces)
                if candidate == "*" { return true }
                if candidate.hasPrefix("W/") { candidate.removeFirst(2) }
                if candidate == tag { return true }
            }
        }
        return false
    }
}
