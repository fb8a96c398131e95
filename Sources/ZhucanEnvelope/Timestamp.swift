import Foundation

/// Seconds since the epoch as ISO 8601 text, for messages and JSON.
public enum Timestamp {
    /// `2026-11-29T14:00:00Z` for `seconds` since 1970-01-01T00:00:00Z.
    public static func iso(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// Parses ISO 8601 with a time zone (`2021-05-03T18:00:00Z`, fractional seconds allowed) or
    /// a plain date (`2021-05-03`, taken as midnight UTC).
    public static func parse(_ text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        for options: ISO8601DateFormatter.Options in [
            [.withInternetDateTime], [.withInternetDateTime, .withFractionalSeconds], [.withFullDate],
        ] {
            formatter.formatOptions = options
            if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970.rounded(.down)) }
        }
        return nil
    }
}
