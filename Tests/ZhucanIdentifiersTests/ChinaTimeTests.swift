import Foundation
import Testing
import ZhucanIdentifiers

@Suite("China time")
struct ChinaTimeTests {
    @Test("Any Int64 is a date: times beyond 1…9999 clamp, and nothing overflows (a signed object may carry any integer)")
    func extremes() throws {
        #expect(ChinaTime.date(of: .max) == (try CivilDate("9999-12-31")))
        #expect(ChinaTime.date(of: .max - 28_000) == (try CivilDate("9999-12-31")))
        #expect(ChinaTime.date(of: .min) == (try CivilDate("0001-01-01")))
        let end = ChinaTime.startOfDay(after: try CivilDate("9999-12-31"))
        #expect(ChinaTime.date(of: end - 1) == (try CivilDate("9999-12-31")))
        #expect(ChinaTime.date(of: ChinaTime.startOfDay(try CivilDate("0001-01-01"))) == (try CivilDate("0001-01-01")))
    }

    /// The day arithmetic agrees with Foundation's Gregorian calendar in UTC+8 for every day
    /// from 1900 to 2100, and `date(of:)` inverts it for every second of each day.
    @Test func startOfDayMatchesTheCalendar() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(secondsFromGMT: 8 * 3600))
        var day = try #require(calendar.date(from: DateComponents(year: 1900, month: 1, day: 1)))
        let end = try #require(calendar.date(from: DateComponents(year: 2100, month: 12, day: 31)))
        var checked = 0
        var previous = try CivilDate(year: 1899, month: 12, day: 31)
        while day <= end {
            let parts = calendar.dateComponents([.year, .month, .day], from: day)
            let date = try CivilDate(year: parts.year!, month: parts.month!, day: parts.day!)
            let seconds = ChinaTime.startOfDay(date)
            #expect(seconds == Int64(day.timeIntervalSince1970), "\(date)")
            #expect(ChinaTime.date(of: seconds) == date)
            #expect(ChinaTime.date(of: seconds + 86_399) == date, "the day's last second, \(date)")
            #expect(ChinaTime.date(of: seconds - 1) == previous, "the previous day's last second, \(date)")
            previous = date
            #expect(ChinaTime.startOfDay(after: date) == seconds + 86_400)
            day = try #require(calendar.date(byAdding: .day, value: 1, to: day))
            checked += 1
        }
        #expect(checked == 73_414)
    }

    /// Times beyond the years a `CivilDate` holds are clamped to its first and last day.
    @Test func datesOutsideTheYearsAreClamped() throws {
        #expect(ChinaTime.date(of: .min / 2) == (try CivilDate(year: 1, month: 1, day: 1)))
        #expect(ChinaTime.date(of: .max / 2) == (try CivilDate(year: 9999, month: 12, day: 31)))
        #expect(ChinaTime.date(of: 0) == (try CivilDate(year: 1970, month: 1, day: 1)))
        #expect(ChinaTime.date(of: -8 * 3600 - 1) == (try CivilDate(year: 1969, month: 12, day: 31)))
    }
}
