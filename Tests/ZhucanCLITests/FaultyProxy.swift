import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A relay on loopback between a node and `zhucan serve`, as a reverse proxy in front of the
/// issuer: it passes each request through, one at a time, and answers 503 for the paths a
/// test says are failing. Every answer closes its connection.
final class FaultyProxy: @unchecked Sendable {
    /// The port it listens on, on 127.0.0.1.
    let port: Int
    private let listener: Int32
    private let upstreamPort: Int
    private let lock = NSLock()
    private var failing: [String] = []

    /// Listens on a free port and relays to 127.0.0.1:`upstreamPort`.
    init(upstreamPort: Int) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard bound == 0, named == 0, listen(descriptor, 16) == 0 else {
            close(descriptor)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        listener = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
        self.upstreamPort = upstreamPort
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Answers 503 from now on for every path that starts with one of `paths` (none: relays all).
    func fail(_ paths: [String]) {
        lock.lock()
        failing = paths
        lock.unlock()
    }

    /// Stops listening; the relaying thread ends.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func isFailing(_ path: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return failing.contains { path.hasPrefix($0) }
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                close(listener)
                return
            }
            Self.setTimeout(client, seconds: 10)
            relay(client)
            close(client)
        }
    }

    private func relay(_ client: Int32) {
        guard let request = Self.readMessage(client), let requestLine = request.head.first else { return }
        let path = requestLine.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        if isFailing(path) {
            Self.send(client, Array("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            return
        }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard upstream >= 0 else { return }
        defer { close(upstream) }
        Self.setTimeout(upstream, seconds: 10)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(upstreamPort).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            Self.send(client, Array("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".utf8))
            return
        }
        Self.send(upstream, Self.closing(request.head))
        guard let response = Self.readMessage(upstream) else { return }
        Self.send(client, Self.closing(response.head) + response.body)
    }

    /// `head` (start line and fields) with `Connection: close` in place of any connection field.
    private static func closing(_ head: [String]) -> [UInt8] {
        let kept = head.filter { !$0.lowercased().hasPrefix("connection:") }
        return Array((kept + ["Connection: close", "", ""]).joined(separator: "\r\n").utf8)
    }

    /// One HTTP/1.1 message: its head lines and a body of its `Content-Length` (none for a GET,
    /// a 304 or a message without one).
    private static func readMessage(_ descriptor: Int32) -> (head: [String], body: [UInt8])? {
        var bytes: [UInt8] = []
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        var bodyLength = 0
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            if let end = headEnd, bytes.count - end >= bodyLength { break }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            bytes += buffer[..<count]
            if headEnd == nil, let range = bytes.firstRange(of: separator) {
                headEnd = range.upperBound
                let head = String(decoding: bytes[..<range.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
                let field = head.first { $0.lowercased().hasPrefix("content-length:") }
                let isNotModified = head.first?.split(separator: " ").dropFirst().first == "304"
                bodyLength = isNotModified ? 0 : field.flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            }
        }
        guard let end = headEnd else { return nil }
        let head = String(decoding: bytes[..<(end - separator.count)], as: UTF8.self).components(separatedBy: "\r\n")
        return (head, Array(bytes[end...].prefix(bodyLength)))
    }

    private static func send(_ descriptor: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return }
            offset += count
        }
    }

    private static func setTimeout(_ descriptor: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}
