/// A point in time typed by a person (`zhucan verify --at`), parsed strictly: one of three
/// forms, and nothing dropped silently.
///
/// - RFC 3339 §5.6 with a zone: `2026-12-03T09:15:30Z`, `2026-12-03T09:15:30.250+08:00`;
/// - a date alone: `2026-12-03`, meaning 00:00:00 China Standard Time (UTC+8) that day;
/// - a date-time without a zone: `2026-12-03T09:15:30[.fff]`, read as China Standard Time
///   (UTC+8), the zone of the plan, its issuers and its holders.
///
/// Fractional seconds are accepted and truncated: verification works in whole seconds
/// (RFC 8392 NumericDate). ``interpretation`` echoes what was understood, with its seconds
/// and its zone, so that a reader can see which instant was used.
package struct TimeInput: Sendable, Hashable {
    /// How the text gave its zone.
    package enum Form: Sendable, Hashable {
        /// RFC 3339 with `Z` or a numeric offset.
        case zoned
        /// A date alone: midnight China Standard Time.
        case date
        /// A date-time without a zone: China Standard Time.
        case local
    }

    /// Seconds since 1970-01-01T00:00:00Z, fractions truncated.
    package let seconds: Int64
    /// How the zone was given.
    package let form: Form
    /// The offset from UTC, seconds, that the text was read in.
    package let offsetSeconds: Int

    /// China Standard Time (UTC+8), which a time without a zone is read in.
    package static let defaultOffsetSeconds = 8 * 3_600

    /// The accepted forms, for error messages and help text.
    package static let acceptedForms = """
        RFC 3339 with a zone (2026-12-03T09:15:30Z, 2026-12-03T09:15:30+08:00), \
        a date (2026-12-03: 00:00:00 China Standard Time, UTC+8), \
        or a date-time without a zone (2026-12-03T09:15:30, read as China Standard Time, UTC+8)
        """

    /// Parses `text`.
    /// - Throws: ``EnvelopeError/Code/invalidTime``, saying what is wrong and naming the
    ///   accepted forms.
    package init(_ text: String) throws(EnvelopeError) {
        let bytes = Array(text.utf8)
        func fail(_ what: String) -> EnvelopeError {
            EnvelopeError(.invalidTime, reason: "\(what); accepted forms: \(Self.acceptedForms)")
        }
        var index = 0
        func digits(_ count: Int, _ name: String) throws(EnvelopeError) -> Int {
            guard index + count <= bytes.count else { throw fail("'\(text)' ends before its \(name)") }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                    throw fail("'\(text)': the \(name) must be \(count) digits")
                }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }
        func expect(_ separator: Character, after name: String) throws(EnvelopeError) {
            guard index < bytes.count, bytes[index] == separator.asciiValue else {
                throw fail("'\(text)': expected '\(separator)' after the \(name)")
            }
            index += 1
        }
        let year = try digits(4, "year")
        try expect("-", after: "year")
        let month = try digits(2, "month")
        try expect("-", after: "month")
        let day = try digits(2, "day")
        guard (1...12).contains(month) else { throw fail("'\(text)': month \(month) does not exist") }
        guard (1...Self.daysInMonth(year: year, month: month)).contains(day) else {
            throw fail("'\(text)': day \(day) does not exist in that month")
        }
        var secondOfDay = 0
        var offset = Self.defaultOffsetSeconds
        var form = Form.date
        if index < bytes.count {
            // RFC 3339 §5.6 NOTE: "T" may be lower case, or a space by agreement.
            guard [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[index]) else {
                throw fail("'\(text)': expected 'T' and a time after the date")
            }
            index += 1
            let hour = try digits(2, "hour")
            try expect(":", after: "hour")
            let minute = try digits(2, "minute")
            try expect(":", after: "minute")
            let second = try digits(2, "second")
            guard hour <= 23, minute <= 59 else { throw fail("'\(text)': \(hour):\(minute) is not a time of day") }
            // A leap second (60) cannot be told apart from the next second in NumericDate.
            guard second <= 59 else { throw fail("'\(text)': second \(second) is not supported (0–59)") }
            secondOfDay = hour * 3_600 + minute * 60 + second
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                let start = index
                while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
                guard index > start, index - start <= 9 else { throw fail("'\(text)': a fraction of a second needs 1 to 9 digits") }
            }
            form = .local
            if index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "Z"), UInt8(ascii: "z"):
                    index += 1
                    offset = 0
                case UInt8(ascii: "+"), UInt8(ascii: "-"):
                    let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
                    index += 1
                    let hours = try digits(2, "zone's hours")
                    try expect(":", after: "zone's hours")
                    let minutes = try digits(2, "zone's minutes")
                    guard hours <= 23, minutes <= 59 else { throw fail("'\(text)': the zone offset is out of range") }
                    offset = sign * (hours * 3_600 + minutes * 60)
                default:
                    throw fail("'\(text)': expected Z, +hh:mm or -hh:mm after the time")
                }
                form = .zoned
            }
        }
        guard index == bytes.count else { throw fail("'\(text)' has extra characters after the time") }
        seconds = Self.daysFromCivil(year: year, month: month, day: day) * 86_400 + Int64(secondOfDay - offset)
        self.form = form
        offsetSeconds = offset
    }

    /// What was understood, with seconds and zone: `2026-12-03T09:15:30+08:00`, plus
    /// ` (no zone given: China Standard Time)` for the forms without a zone.
    package var interpretation: String {
        let local = Timestamp.iso(seconds + Int64(offsetSeconds)).dropLast()  // drop the "Z"
        let sign = offsetSeconds < 0 ? "-" : "+"
        let magnitude = abs(offsetSeconds)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let zone = offsetSeconds == 0 ? "Z" : "\(sign)\(two(magnitude / 3_600)):\(two(magnitude % 3_600 / 60))"
        return local + zone + (form == .zoned ? "" : " (no zone given: China Standard Time)")
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms",
    /// days_from_civil), the inverse of ``Timestamp/iso(_:)``'s arithmetic.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64(month > 2 ? month - 3 : month + 9)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
