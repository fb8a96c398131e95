import Dispatch
import Foundation
import Logging

/// A bound on graceful shutdown. SIGTERM or SIGINT asks a service to finish the requests in
/// flight and stop (swift-service-lifecycle); this gives it `seconds` to do so, then exits the
/// process, logging why. Every answered request's event and redemption is already committed,
/// so nothing answered is lost; what is cut is a client still sending, or a fetch or
/// connection that does not let go (a node was once seen waiting forever after its issuer
/// stopped). An operator's `systemctl stop` and a test's SIGTERM are then bounded.
///
/// `ZHUCAN_SHUTDOWN_SECONDS` sets the bound (default 20 s, under systemd's 90 s before SIGKILL).
enum ShutdownDeadline {
    static let defaultSeconds = 20

    /// Installs the bound; keep the returned sources alive for the service's lifetime.
    static func arm(logger: Logger) -> [any DispatchSourceSignal] {
        let seconds = ProcessInfo.processInfo.environment["ZHUCAN_SHUTDOWN_SECONDS"].flatMap(Int.init).map { max(1, $0) } ?? defaultSeconds
        return [SIGTERM, SIGINT].map { signalNumber in
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds)) {
                    logger.error("graceful shutdown did not finish within \(seconds) s; exiting", metadata: ["signal": .stringConvertible(signalNumber)])
                    exit(1)
                }
            }
            source.resume()
            return source
        }
    }
}
