import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback HTTP/1.1 server whose answers a test scripts, to stand in for a hostile or
/// broken service: each request is relayed to `zhucan serve` or answered with a made-up
/// message, one sent a byte at a time, or one longer than any reader should take. It serves
/// one connection at a time, closes each after its answer, and keeps every request it got.
final class ScriptedHTTPServer: @unchecked Sendable {
    /// A request as received.
    struct Request: Sendable {
        /// The request target: path and query (`/v1/log/entries?start=0&end=20`).
        let target: String
        /// The header lines, as sent.
        let fields: [String]

        /// The path, without the query.
        var path: String { String(target.prefix { $0 != "?" }) }

        /// The value of the header field `name` (any case), if sent.
        func field(_ name: String) -> String? {
            let prefix = name.lowercased() + ":"
            return fields.first { $0.lowercased().hasPrefix(prefix) }.map { $0.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces) }
        }
    }

    /// How to answer a request.
    enum Reply: Sendable {
        /// What `zhucan serve` answers.
        case relay
        /// `status` with `fields` and `body` (a `Content-Length` is added).
        case answer(status: Int, fields: [String], body: [UInt8])
        /// 200 declaring a body of `length` bytes, sent one byte every `interval` seconds.
        case drip(length: Int, interval: TimeInterval)
        /// 200 with a body of `length` bytes, sent as fast as the client takes them.
        case flood(length: Int)
    }

    /// The port it listens on, on 127.0.0.1.
    let port: Int
    private let listener: Int32
    private let upstreamPort: Int?
    private let reply: @Sendable (Request) -> Reply
    private let lock = NSLock()
    private var received: [Request] = []

    /// Listens on a free port; `reply` says how to answer each request, and `.relay` passes it
    /// to 127.0.0.1:`upstreamPort`.
    init(upstreamPort: Int? = nil, reply: @escaping @Sendable (Request) -> Reply) throws {
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
        self.reply = reply
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Every request received so far, in order.
    var requests: [Request] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Stops listening; the serving thread ends after the answer it is sending.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
    }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 {
                if errno == EINTR { continue }
                close(listener)
                return
            }
            Self.setTimeouts(client, seconds: 10)
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        guard let head = Self.readMessage(client)?.head, let requestLine = head.first else { return }
        let target = requestLine.split(separator: " ").dropFirst().first.map(String.init) ?? ""
        let request = Request(target: target, fields: Array(head.dropFirst()))
        lock.lock()
        received.append(request)
        lock.unlock()
        switch reply(request) {
        case .relay:
            guard let response = relay(head) else {
                _ = Self.send(client, Self.message(status: 502, fields: [], body: []))
                return
            }
            _ = Self.send(client, Self.closing(response.head, bodyLength: response.body.count) + response.body)
        case .answer(let status, let fields, let body):
            _ = Self.send(client, Self.message(status: status, fields: fields, body: body))
        case .drip(let length, let interval):
            guard Self.send(client, Self.message(status: 200, fields: ["Content-Type: application/json", "Content-Length: \(length)"], body: nil)) else { return }
            for _ in 0..<length {
                guard Self.send(client, [0x20]) else { return }
                Thread.sleep(forTimeInterval: interval)
            }
        case .flood(let length):
            guard Self.send(client, Self.message(status: 200, fields: ["Content-Type: application/json", "Content-Length: \(length)"], body: nil)) else { return }
            let chunk = [UInt8](repeating: 0x41, count: 1 << 16)
            var sent = 0
            while sent < length {
                let count = min(chunk.count, length - sent)
                guard Self.send(client, Array(chunk[..<count])) else { return }
                sent += count
            }
        }
    }

    /// The upstream's answer to the request `head` (which has no body: a GET).
    private func relay(_ head: [String]) -> (head: [String], body: [UInt8])? {
        guard let upstreamPort else { return nil }
        let upstream = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard upstream >= 0 else { return nil }
        defer { close(upstream) }
        Self.setTimeouts(upstream, seconds: 10)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(upstreamPort).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(upstream, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let kept = head.filter { !$0.lowercased().hasPrefix("connection:") }
        guard Self.send(upstream, Array((kept + ["Connection: close", "", ""]).joined(separator: "\r\n").utf8)) else { return nil }
        return Self.readMessage(upstream)
    }

    /// A whole answer, or with `body` nil only its head (the caller sends the body).
    private static func message(status: Int, fields: [String], body: [UInt8]?) -> [UInt8] {
        var lines = ["HTTP/1.1 \(status) Scripted"] + fields
        if let body { lines.append("Content-Length: \(body.count)") }
        lines += ["Connection: close", "", ""]
        return Array(lines.joined(separator: "\r\n").utf8) + (body ?? [])
    }

    /// `head` (status line and fields) with its length and connection fields replaced.
    private static func closing(_ head: [String], bodyLength: Int) -> [UInt8] {
        let kept = head.filter {
            let field = $0.lowercased()
            return !field.hasPrefix("connection:") && !field.hasPrefix("content-length:") && !field.hasPrefix("transfer-encoding:")
        }
        return Array((kept + ["Content-Length: \(bodyLength)", "Connection: close", "", ""]).joined(separator: "\r\n").utf8)
    }

    /// One HTTP/1.1 message: its head lines and a body of its `Content-Length` (none for a GET
    /// or a message without one).
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
                bodyLength = field.flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            }
        }
        guard let end = headEnd else { return nil }
        let head = String(decoding: bytes[..<(end - separator.count)], as: UTF8.self).components(separatedBy: "\r\n")
        return (head, Array(bytes[end...].prefix(bodyLength)))
    }

    /// Sends all of `bytes`; false when the peer is gone.
    private static func send(_ descriptor: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }

    private static func setTimeouts(_ descriptor: Int32, seconds: Int) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }
}
