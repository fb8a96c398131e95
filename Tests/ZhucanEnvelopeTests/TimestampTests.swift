import Foundation
import Testing
import ZhucanEnvelope

@Suite("Timestamp")
struct TimestampTests {
    /// From 1583 on: before the Gregorian reform Foundation switches to the Julian calendar,
    /// while ISO 8601 (and `iso`) stays proleptic Gregorian.
    @Test("iso agrees with Foundation's ISO 8601 formatter from 1583 to 9999, and parse inverts it")
    func agreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        var generator = SystemRandomNumberGenerator()
        let samples: [Int64] = [0, -1, 86_399, 86_400, -86_400, 951_782_400, 1_798_732_800, 4_107_542_399, 253_402_300_799, -12_212_553_600]
            + (0..<5_000).map { _ in Int64.random(in: -12_212_553_600...253_402_300_799, using: &generator) }
        for seconds in samples {
            let expected = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
            #expect(Timestamp.iso(seconds) == expected, "\(seconds)")
            #expect(Timestamp.parse(Timestamp.iso(seconds)) == seconds, "\(seconds)")
        }
    }

    @Test("iso is total: the extremes of Int64 format without trapping")
    func extremes() {
        #expect(Timestamp.iso(.max).hasSuffix("Z"))
        #expect(Timestamp.iso(.min).hasPrefix("-"))
        #expect(Timestamp.iso(1_798_732_800) == "2026-12-31T16:00:00Z")
        #expect(Timestamp.iso(-62_135_596_800) == "0001-01-01T00:00:00Z")  // proleptic Gregorian
    }
}
