/// A CertLogic date-time: an instant with millisecond precision, as made by `plusTime` and
/// `dccDateOfBirth` (CertLogic 1.3.3 "Dates and date-times"). Rules cannot write one literally.
///
/// Arithmetic follows the JavaScript `Date` methods the spec names (`setUTCFullYear` etc.,
/// ECMA-262 §21.4.1 `MakeDay`/`MakeDate`) on the proleptic Gregorian calendar in UTC, and the
/// range is that of a JavaScript `Date`: ±8.64 × 10¹⁵ ms around 1970 (ECMA-262 §21.4.1.31).
struct CertLogicDateTime: Hashable, Sendable, Comparable {
    /// Milliseconds since 1970-01-01T00:00:00.000Z.
    let milliseconds: Int64

    /// ECMA-262 §21.4.1.31 TimeClip: a `Date` holds at most 8.64 × 10¹⁵ ms either way.
    static let maxMilliseconds: Int64 = 8_640_000_000_000_000
    private static let millisecondsPerDay: Int64 = 86_400_000
    private static let millisecondsPerHour: Int64 = 3_600_000

    /// The `plusTime` time units (CertLogic 1.3.3 "Offset date-time").
    enum Unit: String, CaseIterable {
        case year, month, day, hour
    }

    init?(milliseconds: Int64) {
        guard milliseconds >= -Self.maxMilliseconds, milliseconds <= Self.maxMilliseconds else { return nil }
        self.milliseconds = milliseconds
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.milliseconds < rhs.milliseconds }

    // MARK: Parsing

    /// Parses one of the `plusTime` formats (CertLogic 1.3.3 "Offset date-time"): a partial date
    /// as `dccDateOfBirth` reads it, a missing time as `00:00:00.000`, a missing offset as `Z`,
    /// fractions truncated to milliseconds. Anything else, including impossible dates such as
    /// `2021-09-99` (whose meaning the spec leaves undefined), gives `nil`.
    static func parse(_ text: String) -> CertLogicDateTime? {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.digits(exactly: 4) else { return nil }
        guard scanner.take(UInt8(ascii: "-")) else {
            return scanner.isAtEnd ? lastDay(year: year, month: 12) : nil
        }
        guard let month = scanner.digits(exactly: 2), (1...12).contains(month) else { return nil }
        guard scanner.take(UInt8(ascii: "-")) else {
            return scanner.isAtEnd ? lastDay(year: year, month: month) : nil
        }
        guard let day = scanner.digits(exactly: 2), (1...daysInMonth(year: year, month: month)).contains(day) else {
            return nil
        }
        let date = daysFromCivil(year: year, month: month, day: day) * millisecondsPerDay
        if scanner.isAtEnd { return CertLogicDateTime(milliseconds: date) }

        guard scanner.take(UInt8(ascii: "T")),
            let hour = scanner.digits(exactly: 2), hour < 24, scanner.take(UInt8(ascii: ":")),
            let minute = scanner.digits(exactly: 2), minute < 60, scanner.take(UInt8(ascii: ":")),
            let second = scanner.digits(exactly: 2), second < 60
        else { return nil }
        var millisecond: Int64 = 0
        if scanner.take(UInt8(ascii: ".")) {
            // "any number of decimals", "rounding down to the nearest millisecond".
            let fraction = scanner.digitRun()
            guard !fraction.isEmpty else { return nil }
            for (index, digit) in fraction.prefix(3).enumerated() {
                millisecond += Int64(digit) * [100, 10, 1][index]
            }
        }
        var offsetMinutes: Int64 = 0
        if scanner.take(UInt8(ascii: "Z")) {
            offsetMinutes = 0
        } else if let sign = scanner.takeSign() {
            guard let minutes = scanner.offsetMinutes() else { return nil }
            offsetMinutes = sign * minutes
        }
        guard scanner.isAtEnd else { return nil }
        let local = date + ((hour * 60 + minute) * 60 + second) * 1000 + millisecond
        return CertLogicDateTime(milliseconds: local - offsetMinutes * 60_000)
    }

    /// `dccDateOfBirth` (CertLogic 1.3.3): `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as the last
    /// instant-at-midnight consistent with it (`YYYY` → `YYYY-12-31`, `YYYY-MM` → the month's
    /// last day).
    static func parseDateOfBirth(_ text: String) -> CertLogicDateTime? {
        let bytes = Array(text.utf8)
        guard [4, 7, 10].contains(bytes.count) else { return nil }
        return parse(text)
    }

    private static func lastDay(year: Int64, month: Int64) -> CertLogicDateTime? {
        let day = daysInMonth(year: year, month: month)
        return CertLogicDateTime(milliseconds: daysFromCivil(year: year, month: month, day: day) * millisecondsPerDay)
    }

    // MARK: Arithmetic

    /// `plusTime`: `dateTime.setUTC<unit>(dateTime.getUTC<unit>() + amount)`; a day past the end
    /// of the month rolls over as `MakeDay` does (2020-02-29 + 1 year = 2021-03-01), and the
    /// time of day is kept. `nil` when the result leaves the `Date` range.
    func adding(_ amount: Int64, _ unit: Unit) -> CertLogicDateTime? {
        let (days, timeOfDay) = Self.floorDivide(milliseconds, Self.millisecondsPerDay)
        // Bounds far outside the Date range keep the arithmetic below from overflowing.
        switch unit {
        case .hour:
            guard amount.magnitude <= UInt64(2 * Self.maxMilliseconds / Self.millisecondsPerHour) else { return nil }
            return CertLogicDateTime(milliseconds: milliseconds + amount * Self.millisecondsPerHour)
        case .day:
            guard amount.magnitude <= UInt64(2 * Self.maxMilliseconds / Self.millisecondsPerDay) else { return nil }
            return CertLogicDateTime(milliseconds: milliseconds + amount * Self.millisecondsPerDay)
        case .month, .year:
            guard amount.magnitude <= 10_000_000 else { return nil }
            let (year, month, day) = Self.civilFromDays(days)
            let monthIndex = year * 12 + (month - 1) + (unit == .year ? amount * 12 : amount)
            let (newYear, newMonth0) = Self.floorDivide(monthIndex, 12)
            let newDays = Self.daysFromCivil(year: newYear, month: newMonth0 + 1, day: 1) + (day - 1)
            return CertLogicDateTime(milliseconds: newDays * Self.millisecondsPerDay + timeOfDay)
        }
    }

    // MARK: Formatting

    /// `Date.prototype.toISOString` (ECMA-262 §21.4.4.36): `YYYY-MM-DDThh:mm:ss.sssZ`, with a
    /// signed six-digit year outside 0000–9999.
    var iso8601: String {
        let (days, timeOfDay) = Self.floorDivide(milliseconds, Self.millisecondsPerDay)
        let (year, month, day) = Self.civilFromDays(days)
        let yearText: String
        if (0...9999).contains(year) {
            yearText = Self.padded(year, 4)
        } else {
            yearText = (year < 0 ? "-" : "+") + Self.padded(abs(year), 6)
        }
        let hour = timeOfDay / Self.millisecondsPerHour
        let minute = timeOfDay / 60_000 % 60
        let second = timeOfDay / 1000 % 60
        let millisecond = timeOfDay % 1000
        return "\(yearText)-\(Self.padded(month, 2))-\(Self.padded(day, 2))T"
            + "\(Self.padded(hour, 2)):\(Self.padded(minute, 2)):\(Self.padded(second, 2)).\(Self.padded(millisecond, 3))Z"
    }

    private static func padded(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    // MARK: Calendar

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
    /// Low-Level Date Algorithms", `days_from_civil`). Inputs here stay within ±10⁹ years.
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of ``daysFromCivil(year:month:day:)`` (Hinnant, `civil_from_days`).
    static func civilFromDays(_ days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        let month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2:
            let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return isLeap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (quotient: Int64, remainder: Int64) {
        var quotient = value / divisor
        var remainder = value % divisor
        if remainder < 0 {
            quotient -= 1
            remainder += divisor
        }
        return (quotient, remainder)
    }
}

extension CertLogicDateTime {
    /// A cursor over the ASCII bytes of a date-time string.
    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var isAtEnd: Bool { index == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func takeSign() -> Int64? {
            if take(UInt8(ascii: "+")) { return 1 }
            if take(UInt8(ascii: "-")) { return -1 }
            return nil
        }

        /// The digits at the cursor, up to the first non-digit.
        mutating func digitRun() -> [UInt8] {
            var run: [UInt8] = []
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                run.append(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            return run
        }

        mutating func digits(exactly count: Int) -> Int64? {
            guard index + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[index..<index + count] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }

        /// The offset after its sign: `h`, `hh`, `hmm`, `hhmm`, `h:mm` or `hh:mm`, in minutes.
        mutating func offsetMinutes() -> Int64? {
            let run = digitRun()
            let hours: Int64
            var minutes: Int64 = 0
            switch run.count {
            case 1, 2:
                hours = run.reduce(0) { $0 * 10 + Int64($1) }
                if take(UInt8(ascii: ":")) {
                    guard let value = digits(exactly: 2) else { return nil }
                    minutes = value
                }
            case 3, 4:
                hours = run.dropLast(2).reduce(0) { $0 * 10 + Int64($1) }
                minutes = run.suffix(2).reduce(0) { $0 * 10 + Int64($1) }
            default:
                return nil
            }
            guard hours < 24, minutes < 60 else { return nil }
            return hours * 60 + minutes
        }
    }
}
