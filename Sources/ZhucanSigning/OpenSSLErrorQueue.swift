internal import COpenSSL

/// OpenSSL's thread-local error queue, drained in one place so that no error is left queued
/// for an unrelated later call to find.
enum OpenSSLErrorQueue {
    /// Removes every queued error and returns their reasons joined by "; " (empty if none).
    static func drain() -> String {
        var reasons: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            ERR_error_string_n(code, &buffer, buffer.count)
            reasons.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return reasons.joined(separator: "; ")
    }

    /// Discards queued errors: used where a failure is an expected answer (a bad signature).
    static func clear() {
        ERR_clear_error()
    }

    /// Drains the queue into a `SigningError` with the given context.
    static func error(
        _ code: SigningError.Code,
        _ context: String,
        file: String = #fileID,
        line: UInt = #line
    ) -> SigningError {
        let queued = drain()
        return SigningError(code, queued.isEmpty ? context : "\(context): \(queued)", file: file, line: line)
    }

    /// Drains the queue into a `SigningError.openSSL` with the given context.
    static func error(_ context: String, file: String = #fileID, line: UInt = #line) -> SigningError {
        error(.openSSL, context, file: file, line: line)
    }
}
