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

    /// The China civil date of `seconds` since the epoch: the inverse of `startOfDay`, by
    /// arithmetic (H. Hinnant's civil_from_days; a Foundation Calendar lookup was a fortieth of
    /// a batch row). Years outside 1…9999 are clamped to them, for any `seconds`: a signed
    /// object may carry any integer as a time.
    package static func date(of seconds: Int64) -> CivilDate {
        guard seconds >= firstSecond else { return CivilDate(checkedYear: 1, month: 1, day: 1) }
        guard seconds < endOfTime else { return CivilDate(checkedYear: 9999, month: 12, day: 31) }
        let days = (seconds + offsetSeconds).floorDivided(by: 86_400) + 719_468
        let era = days.floorDivided(by: 146_097)
        let dayOfEra = days - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        let year = Int(yearOfEra + era * 400 + (month <= 2 ? 1 : 0))
        guard (1...9999).contains(year) else {
            return year < 1 ? CivilDate(checkedYear: 1, month: 1, day: 1) : CivilDate(checkedYear: 9999, month: 12, day: 31)
        }
        return CivilDate(checkedYear: year, month: month, day: day)
    }

    /// 00:00 China time on 0001-01-01, and on the day after 9999-12-31: the range `date(of:)`
    /// computes in; outside it, it clamps (so the arithmetic never meets Int64's limits).
    private static let firstSecond = startOfDay(CivilDate(checkedYear: 1, month: 1, day: 1))
    private static let endOfTime = startOfDay(after: CivilDate(checkedYear: 9999, month: 12, day: 31))
}

extension Int64 {
    /// The quotient rounded towards minus infinity.
    fileprivate func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return self % divisor < 0 ? quotient - 1 : quotient
    }
}
