import Foundation
import Logging

/// Log lines kept in memory, for tests that read what a service logged.
package final class LogRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []

    package init() {}

    /// Every line so far: message and metadata.
    package var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }

    package func append(_ line: String) {
        lock.lock()
        stored.append(line)
        lock.unlock()
    }

    /// A logger writing here.
    package var logger: Logger {
        Logger(label: "zhucan.test") { _ in Handler(recorder: self) }
    }

    struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { $1 }
            recorder.append("\(event.level) \(event.message) \(all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        }
    }
}
