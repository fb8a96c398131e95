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
        let hour = secondOfDay / 3_600, minute = secondOfDay % 3_600 / 60, second = secondOfDay % 60
        if (0...9_999).contains(year) {
            // Every time a service formats: 20 bytes written in place, one allocation (the
            // strings concatenated below were 1% of a `POST /v1/verify`).
            return String(unsafeUninitializedCapacity: 20) { text in
                func put(_ value: Int64, _ width: Int, at start: Int) {
                    var value = value
                    for index in (start..<start + width).reversed() {
                        text[index] = UInt8(ascii: "0") + UInt8(value % 10)
                        value /= 10
                    }
                }
                put(year, 4, at: 0)
                text[4] = UInt8(ascii: "-")
                put(month, 2, at: 5)
                text[7] = UInt8(ascii: "-")
                put(day, 2, at: 8)
                text[10] = UInt8(ascii: "T")
                put(hour, 2, at: 11)
                text[13] = UInt8(ascii: ":")
                put(minute, 2, at: 14)
                text[16] = UInt8(ascii: ":")
                put(second, 2, at: 17)
                text[19] = UInt8(ascii: "Z")
                return 20
            }
        }
        func padded(_ value: Int64, _ width: Int) -> String {
            let digits = String(value.magnitude)
            return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return padded(year, 4) + "-" + padded(month, 2) + "-" + padded(day, 2) + "T" + padded(hour, 2) + ":" + padded(minute, 2) + ":"
            + padded(second, 2) + "Z"
    }

    /// Parses a time in one of ``TimeInput``'s forms; `nil` for anything else.
    package static func parse(_ text: String) -> Int64? {
        try? TimeInput(text).seconds
    }
}
