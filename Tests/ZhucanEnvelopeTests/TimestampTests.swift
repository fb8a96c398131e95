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

@Suite("TimeInput")
struct TimeInputTests {
    @Test("every accepted form keeps its time of day, seconds and zone")
    func acceptedForms() throws {
        let cases: [(text: String, iso: String, form: TimeInput.Form, interpretation: String)] = [
            ("2026-12-03T09:15:30Z", "2026-12-03T09:15:30Z", .zoned, "2026-12-03T09:15:30Z"),
            ("2026-12-03t09:15:30.250z", "2026-12-03T09:15:30Z", .zoned, "2026-12-03T09:15:30Z"),
            ("2026-12-03T09:15:30.250+08:00", "2026-12-03T01:15:30Z", .zoned, "2026-12-03T09:15:30+08:00"),
            ("2026-12-03T09:15:30-05:30", "2026-12-03T14:45:30Z", .zoned, "2026-12-03T09:15:30-05:30"),
            // The reproducer of the defect: the time part was silently dropped.
            ("2026-12-03T09:15:30.250", "2026-12-03T01:15:30Z", .local, "2026-12-03T09:15:30+08:00 (no zone given: China Standard Time)"),
            ("2026-12-03 09:15:30", "2026-12-03T01:15:30Z", .local, "2026-12-03T09:15:30+08:00 (no zone given: China Standard Time)"),
            ("2026-12-03", "2026-12-02T16:00:00Z", .date, "2026-12-03T00:00:00+08:00 (no zone given: China Standard Time)"),
            ("2024-02-29T23:59:59Z", "2024-02-29T23:59:59Z", .zoned, "2024-02-29T23:59:59Z"),
        ]
        for check in cases {
            let input = try TimeInput(check.text)
            #expect(Timestamp.iso(input.seconds) == check.iso, "\(check.text)")
            #expect(input.form == check.form, "\(check.text)")
            #expect(input.interpretation == check.interpretation, "\(check.text)")
        }
    }

    @Test("anything else is refused, naming the accepted forms")
    func refusals() {
        for text in [
            "", "yesterday", "2026-12-03T09:15", "2026-12-03T9:15:30Z", "2026-13-01", "2026-02-29", "2026-12-03T24:00:00Z",
            "2026-12-03T09:15:60Z", "2026-12-03T09:15:30+0800", "2026-12-03T09:15:30.Z", "2026-12-03T09:15:30Z ",
            " 2026-12-03", "2026-12-03T09:15:30+08:00x", "20261203", "2026-12-03T", "2026-12-03T09:15:30.1234567890Z",
            "２０２６-12-03", "2026-12-03T09:15:30+24:00",
        ] {
            #expect(throws: EnvelopeError(.invalidTime, reason: "")) { try TimeInput(text) }
            #expect(Timestamp.parse(text) == nil, "\(text)")
            do { _ = try TimeInput(text) } catch {
                #expect(error.reason.contains("accepted forms: RFC 3339 with a zone"), "\(text)")
            }
        }
    }
}
