import Foundation
import ZhucanIdentifiers

/// Civil dates in China Standard Time (UTC+8, no daylight saving) as CWT NumericDates.
public enum ChinaTime {
    /// UTC+8.
    public static let offsetSeconds: Int64 = 8 * 3600

    /// 00:00 China time on `date`, seconds since the epoch.
    public static func startOfDay(_ date: CivilDate) -> Int64 {
        var components = DateComponents()
        components.year = date.year
        components.month = date.month
        components.day = date.day
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let midnightUTC = Int64(calendar.date(from: components)!.timeIntervalSince1970)
        return midnightUTC - offsetSeconds
    }

    /// 00:00 China time on the day after `date`: the first moment `date` is over.
    public static func startOfDay(after date: CivilDate) -> Int64 {
        startOfDay(date) + 86_400
    }

    /// The China civil date of `seconds` since the epoch.
    public static func date(of seconds: Int64) -> CivilDate {
        CivilDate(Date(timeIntervalSince1970: TimeInterval(seconds)), in: CivilDate.chinaStandardTime)
    }
}
