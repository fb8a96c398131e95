import Foundation

/// A calendar date without time or time zone in the proleptic Gregorian calendar, such as a
/// birth date; written and coded as ISO 8601 `yyyy-MM-dd`.
package struct CivilDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The year, 1…9999.
    package let year: Int
    /// The month, 1…12.
    package let month: Int
    /// The day of the month, 1…28/29/30/31.
    package let day: Int

    /// Creates a date, checking that it exists in the Gregorian calendar.
    ///
    /// - Throws: ``IdentifierError/Code/invalidDate`` for a month or day that does not exist
    ///   or a year outside 1…9999.
    package init(year: Int, month: Int, day: Int) throws(IdentifierError) {
        guard (1...9999).contains(year) else {
            throw .invalidDate("year \(year) is outside 1–9999")
        }
        guard (1...12).contains(month) else {
            throw .invalidDate("month \(month) is outside 1–12")
        }
        let days = CivilDate.daysInMonth(year: year, month: month)
        guard (1...days).contains(day) else {
            throw .invalidDate("day \(day) does not exist in that month, which has \(days) days")
        }
        self.year = year
        self.month = month
        self.day = day
    }

    /// A date whose parts the caller has computed to exist (`ChinaTime`).
    init(checkedYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses an ISO 8601 calendar date `yyyy-MM-dd` (exactly 10 characters, ASCII digits).
    ///
    /// - Throws: ``IdentifierError/Code/wrongLength``, ``IdentifierError/Code/invalidCharacter``
    ///   or ``IdentifierError/Code/invalidDate``.
    package init(_ string: String) throws(IdentifierError) {
        let bytes = try IdentifierText.asciiBytes(
            of: string, lengths: 10...10, kind: "an ISO 8601 date", expected: "10 characters (yyyy-MM-dd)")
        for (index, byte) in bytes.enumerated() {
            let isSeparator = index == 4 || index == 7
            let ok = isSeparator ? byte == UInt8(ascii: "-") : IdentifierText.isDigit(byte)
            guard ok else {
                throw .invalidCharacter(
                    "an ISO 8601 date: expected \(isSeparator ? "'-'" : "a digit") at position \(index + 1), got \(IdentifierText.describe(byte))")
            }
        }
        try self.init(
            year: IdentifierText.number(bytes[0..<4]),
            month: IdentifierText.number(bytes[5..<7]),
            day: IdentifierText.number(bytes[8..<10]))
    }

    /// Parses a date, returning `nil` when it is not a valid `yyyy-MM-dd` date.
    package init?(validating string: String) {
        guard let date = try? CivilDate(string) else { return nil }
        self = date
    }

    /// The calendar date of `date` in `timeZone` (default China Standard Time, UTC+8).
    package init(_ date: Date, in timeZone: TimeZone = CivilDate.chinaStandardTime) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = calendar.dateComponents([.year, .month, .day], from: date)
        // Calendar always fills these three components for a Gregorian calendar.
        self.year = components.year ?? 1970
        self.month = components.month ?? 1
        self.day = components.day ?? 1
    }

    /// Today's date in `timeZone` (default China Standard Time, where the identifiers are issued).
    package static func today(in timeZone: TimeZone = CivilDate.chinaStandardTime) -> CivilDate {
        CivilDate(Date(), in: timeZone)
    }

    /// China Standard Time (Asia/Shanghai, UTC+8, no daylight saving since 1991).
    package static let chinaStandardTime: TimeZone =
        TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .gmt

    /// `yyyy-MM-dd`.
    package var description: String {
        "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))"
    }

    /// `yyyyMMdd`, ISO 8601's basic format (as an e-licence serial begins).
    package var basicFormat: String {
        Self.pad(year, 4) + Self.pad(month, 2) + Self.pad(day, 2)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Chronological order.
    package static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// The age in completed years on `date`, for someone born on this date.
    ///
    /// A birthday counts as reached when `date`'s (month, day) is at or after this date's; so
    /// someone born on 29 February becomes a year older on 1 March in common years. Negative
    /// when `date` is before this date.
    package func age(on date: CivilDate) -> Int {
        var age = date.year - year
        if (date.month, date.day) < (month, day) {
            age -= 1
        }
        return age
    }

    /// Days since 1970-01-01 (negative before), in the proleptic Gregorian calendar
    /// (H. Hinnant's days_from_civil), for differences between dates.
    package var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` days later (earlier when negative), kept within 0001-01-01 … 9999-12-31.
    package func adding(days: Int) -> CivilDate {
        ChinaTime.date(of: ChinaTime.startOfDay(self) + Int64(days) * 86_400)
    }

    /// Whether `year` is a Gregorian leap year.
    package static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in `month` (1…12) of `year`; 0 for a month outside 1…12.
    package static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: 31
        case 4, 6, 9, 11: 30
        case 2: isLeapYear(year) ? 29 : 28
        default: 0
        }
    }
}

extension CivilDate: Codable {
    /// Decodes an ISO 8601 `yyyy-MM-dd` string.
    package init(from decoder: any Decoder) throws {
        self = try IdentifierCoding.decode(from: decoder) { (string) throws(IdentifierError) in
            try CivilDate(string)
        }
    }

    /// Encodes as an ISO 8601 `yyyy-MM-dd` string.
    package func encode(to encoder: any Encoder) throws {
        try IdentifierCoding.encode(description, to: encoder)
    }
}
