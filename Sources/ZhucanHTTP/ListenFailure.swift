import Foundation
import NIOCore

/// A service that could not listen where it was told, in words that name the option to change
/// (NIO's own says `bind(descriptor:ptr:bytes:): Address already in use) (errno: 98)`).
package struct ListenFailure: Error, CustomStringConvertible {
    package let description: String

    /// Runs `body`, a service listening on `host`:`port`, turning a refused bind (bind(2):
    /// `EADDRINUSE`, `EADDRNOTAVAIL`, `EACCES`) into a ``ListenFailure``.
    package static func naming(host: String, port: Int, _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as IOError where [EADDRINUSE, EADDRNOTAVAIL, EACCES].contains(error.errnoCode) {
            let reason = switch error.errnoCode {
            case EADDRINUSE: "another process is listening on that port: choose another with --port, or stop that process"
            case EADDRNOTAVAIL: "no network interface of this machine has that address: check --host"
            default: "permission denied: ports below 1024 need privileges, so choose one above with --port"
            }
            throw ListenFailure(description: "cannot listen on \(host):\(port): \(reason)")
        }
    }
}
