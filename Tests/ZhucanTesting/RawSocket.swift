import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking TCP client on loopback, for requests no polite HTTP client would send.
package final class RawSocket {
    private let descriptor: Int32
    /// Whether the server closed the connection (a read returned end of file or an error).
    package private(set) var isClosed = false

    /// Connects to 127.0.0.1:`port`.
    package init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard descriptor >= 0, connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    deinit { close(descriptor) }

    /// Sends `text` in pieces, reading between them, and returns the answer: a server may
    /// answer (413) and close before a long body is all sent. Each piece waits up to 50 ms
    /// for an answer first: bytes sent after the server closed make its kernel reset the
    /// connection, and a reset discards the answer not yet read (so a loaded machine, where
    /// the answer comes late, would lose it).
    package func exchange(_ text: String, timeout: Duration) throws -> String {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 4_096, bytes.count)
            let count = bytes[offset..<end].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count <= 0 || hasMore(waiting: 50) { break }
            offset += count
        }
        return try receive(timeout: timeout)
    }

    package func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else {
                isClosed = true
                throw POSIXError(.EPIPE)
            }
            offset += count
        }
    }

    /// What arrives within `timeout` (at least one read), "" if nothing does.
    package func receive(timeout: Duration) throws -> String {
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let remaining = deadline - ContinuousClock.now
            let milliseconds = Int32(remaining.components.seconds * 1_000 + remaining.components.attoseconds / 1_000_000_000_000_000)
            guard poll(&poller, 1, max(1, milliseconds)) > 0 else { break }
            var buffer = [UInt8](repeating: 0, count: 65_536)
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else {
                isClosed = true
                break
            }
            received += buffer[..<count]
            // Enough for a status line and a small body.
            if received.count > 12 { usleep(50_000); if !hasMore() { break } }
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Whether the server closed the connection within `timeout` (reading and discarding
    /// whatever it sent first).
    package func receiveUntilClosed(timeout: Duration) throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) >= 0 else { return true }
            if poller.revents != 0 {
                var buffer = [UInt8](repeating: 0, count: 65_536)
                if recv(descriptor, &buffer, buffer.count, 0) <= 0 { return true }
            }
        }
        return false
    }

    private func hasMore(waiting milliseconds: Int32 = 0) -> Bool {
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&poller, 1, milliseconds) > 0
    }
}
