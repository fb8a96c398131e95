import HTTPTypes
import Hummingbird
import ZhucanHTTP

/// The people's pages, served by the service itself: `GET /holder` (the holder's phone page),
/// `GET /window` (the service window's scan page) and `GET /assets/{file}` (their script and
/// style). Server-rendered HTML and small plain JavaScript, compiled into the binary: no CDN,
/// no external font, no build step.
///
/// Every answer carries a Content-Security-Policy that allows this origin only, no inline
/// script and no framing, and `Referrer-Policy: no-referrer`: the holder's page must never
/// leak its address (an enrolment link's secret lives in the fragment, which browsers never
/// send, and the page removes it from the address bar at once).
struct PageController: Sendable {
    /// The assets by file name, with their media types.
    static let assets: [String: (bytes: [UInt8], type: String)] = [
        "holder.js": (PackageResources.holder_js, "text/javascript; charset=utf-8"),
        "window.js": (PackageResources.window_js, "text/javascript; charset=utf-8"),
        "pages.css": (PackageResources.pages_css, "text/css; charset=utf-8"),
    ]

    static let securityHeaders: HTTPFields = [
        .contentSecurityPolicy:
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        HTTPField.Name("Referrer-Policy")!: "no-referrer",
        .xContentTypeOptions: "nosniff",
        .cacheControl: "no-cache",
    ]

    @Sendable func holder(_ request: Request, context: ServerRequestContext) async throws -> Response {
        Self.page(PackageResources.holder_html)
    }

    @Sendable func window(_ request: Request, context: ServerRequestContext) async throws -> Response {
        Self.page(PackageResources.window_html)
    }

    @Sendable func asset(_ request: Request, context: ServerRequestContext) async throws -> Response {
        guard let name = context.parameters.get("file"), let asset = Self.assets[name] else {
            throw ServerError(.notFound, "no such asset")
        }
        var headers = Self.securityHeaders
        headers[.contentType] = asset.type
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: asset.bytes)))
    }

    static func page(_ bytes: [UInt8]) -> Response {
        var headers = securityHeaders
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
