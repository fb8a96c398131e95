import Foundation
import Hummingbird
import Logging
import Synchronization

/// An issuer that serves whatever a test puts at each path — good objects, tampered ones,
/// older ones — over real HTTP on loopback, with `ETag`s, as the node meets it.
final class FakeIssuer: Sendable {
    private let objects = Mutex<[String: [UInt8]]>([:])
    private let requests = Mutex<[String]>([])
    private let cacheControls = Mutex<[String?]>([])
    private let dribbled = Mutex<[String: Duration]>([:])
    private let statuses = Mutex<[String: HTTPResponse.Status]>([:])

    /// Serves `bytes` at `path` (query included) from now on; `nil` answers 404.
    func serve(_ path: String, _ bytes: [UInt8]?) {
        objects.withLock { $0[path] = bytes }
    }

    /// Serves the body at `path` one byte every `interval` from now on, as a stalling server
    /// does: the head at once, the body never whole in time.
    func dribble(_ path: String, every interval: Duration) {
        dribbled.withLock { $0[path] = interval }
    }

    /// Answers `status`, with no body, at `path` from now on, whatever is served there: a 500
    /// storm, or a 304 to every request, as a broken cache in front of the issuer gives.
    func answer(_ path: String, _ status: HTTPResponse.Status?) {
        statuses.withLock { $0[path] = status }
    }

    /// The paths asked for so far.
    var requested: [String] { requests.withLock { $0 } }

    /// The `Cache-Control` header of each request so far.
    var requestedCacheControl: [String?] { cacheControls.withLock { $0 } }

    /// Runs the issuer on a free port while `body` runs with its base URL.
    func run<T: Sendable>(_ body: @Sendable (URL) async throws -> T) async throws -> T {
        let router = Router()
        router.get("**") { [self] request, _ -> Response in
            let path = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            requests.withLock { $0.append(path) }
            cacheControls.withLock { $0.append(request.headers[.cacheControl]) }
            if let status = statuses.withLock({ $0[path] }) { return Response(status: status) }
            guard let bytes = objects.withLock({ $0[path] }) else { return Response(status: .notFound) }
            let tag = "\"\(bytes.count)-\(bytes.reduce(into: UInt64(14_695_981_039_346_656_037)) { $0 = ($0 ^ UInt64($1)) &* 1_099_511_628_211 })\""
            if request.headers[.ifNoneMatch] == tag { return Response(status: .notModified, headers: [.eTag: tag]) }
            if let interval = dribbled.withLock({ $0[path] }) {
                return Response(status: .ok, headers: [.eTag: tag], body: ResponseBody(contentLength: bytes.count) { writer in
                    for byte in bytes {
                        try await writer.write(ByteBuffer(bytes: [byte]))
                        try await Task.sleep(for: interval)
                    }
                    try await writer.finish(nil)
                })
            }
            return Response(status: .ok, headers: [.eTag: tag], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        let port = Mutex<Int?>(nil)
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port } },
            logger: Logger(label: "fake-issuer", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await application.runService(gracefulShutdownSignals: [])
                return nil
            }
            while port.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
            let base = URL(string: "http://127.0.0.1:\(port.withLock { $0 } ?? 0)")!
            let result = try await body(base)
            group.cancelAll()
            return result
        }
    }
}
