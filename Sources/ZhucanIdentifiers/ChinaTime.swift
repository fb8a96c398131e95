import Foundation

/// Civil dates in China Standard Time (UTC+8, no daylight saving) as CWT NumericDates.
package enum ChinaTime {
    /// UTC+8.
    package static let offsetSeconds: Int64 = 8 * 3600

    /// 00:00 China time on `date`, seconds since the epoch.
    package static func startOfDay(_ date: CivilDate) -> Int64 {
        // Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's
        // days_from_civil), so no Calendar lookup and no optional to unwrap.
        let year = Int64(date.month <= 2 ? date.year - 1 : date.year)
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let month = Int64(date.month)
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + Int64(date.day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return days * 86_400 - offsetSeconds
    }

    /// 00:00 China time on the day after `date`: the first moment `date` is over.
    package static func startOfDay(after date: CivilDate) -> Int64 {
        startOfDay(date) + 86_400
    }

    /// The China civil date of `seconds` since the epoch.
    package static func date(of seconds: Int64) -> CivilDate {
        CivilDate(Date(timeIntervalSince1970: TimeInterval(seconds)), in: CivilDate.chinaStandardTime)
    }
}
