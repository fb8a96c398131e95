/// Seconds since the epoch as ISO 8601 text, for messages and JSON.
package enum Timestamp {
    /// `2026-11-29T14:00:00Z` for `seconds` since 1970-01-01T00:00:00Z (proleptic Gregorian,
    /// UTC). Pure arithmetic — no formatter per call, as a busy service formats one per answer —
    /// and total over every `Int64` (a hostile log record's time is formatted too).
    package static func iso(_ seconds: Int64) -> String {
        // Days and seconds of day, rounding towards negative infinity.
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        // H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        // Written as bytes, once: a service formats several times per answer, and the padded
        // strings this used to join were 1% of a `POST /v1/verify`.
        var text: [UInt8] = []
        text.reserveCapacity(28)
        func append(_ value: Int64, width: Int, then separator: Unicode.Scalar) {
            if value < 0 { text.append(UInt8(ascii: "-")) }
            let start = text.count
            var magnitude = value.magnitude
            repeat {
                text.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
                magnitude /= 10
            } while magnitude > 0
            while text.count - start < width { text.append(UInt8(ascii: "0")) }
            text[start...].reverse()
            text.append(UInt8(ascii: separator))
        }
        append(year, width: 4, then: "-")
        append(month, width: 2, then: "-")
        append(day, width: 2, then: "T")
        append(secondOfDay / 3_600, width: 2, then: ":")
        append(secondOfDay % 3_600 / 60, width: 2, then: ":")
        append(secondOfDay % 60, width: 2, then: "Z")
        return String(decoding: text, as: UTF8.self)
    }

    /// Parses a time in one of ``TimeInput``'s forms; `nil` for anything else.
    package static func parse(_ text: String) -> Int64? {
        try? TimeInput(text).seconds
    }
}
