/// A disability certificate's term (《残疾人证管理办法》: valid ten years): the day it ends,
/// and the start dates an issuer may give.
package enum CertificateTerm {
    /// Years a certificate is valid.
    package static let years = 10

    /// The last valid day of a certificate valid from `start`: the same day ten years on, or
    /// the last day of that month when it has no such day (《民法典》第二百零二条:
    /// 没有对应日的，月末日为期间的最后一日), so 2024-02-29 gives 2034-02-28.
    /// - Throws: ``IdentifierError/Code/invalidDate`` past the year 9999.
    package static func lastDay(startingOn start: CivilDate) throws(IdentifierError) -> CivilDate {
        let year = start.year + years
        return try CivilDate(year: year, month: start.month, day: min(start.day, CivilDate.daysInMonth(year: year, month: start.month)))
    }

    /// The first day a term ending on `last` may be renewed (换领): a year before it ends. The
    /// regulation says only that an expired certificate is renewed (管理办法 Art. 19); local
    /// rules open renewal six months before, or after nine years. The new term starts on the
    /// day of the renewal, so an early renewal gives up the rest of the old term.
    package static func renewalOpens(termEndingOn last: CivilDate) -> CivilDate {
        let year = max(last.year - 1, 1)
        return (try? CivilDate(year: year, month: last.month, day: min(last.day, CivilDate.daysInMonth(year: year, month: last.month)))) ?? last
    }

    /// Why `start` cannot begin the certificate of someone born on `birthDate`, judged on
    /// `today` (China time); nil when it can. A start in the past is allowed (a paper
    /// certificate carried over keeps its dates), but not one before birth, nor one so early
    /// that the certificate would already have expired; nor one more than a year ahead, which
    /// is a slip (and past 9989 has no last day).
    package static func problem(startingOn start: CivilDate, bornOn birthDate: CivilDate, today: CivilDate) -> (zh: String, en: String)? {
        if start < birthDate {
            return ("早于出生日期", "before the holder's birth date")
        }
        let yearAhead = min(today.year + 1, 9989)
        let latest = (try? CivilDate(year: yearAhead, month: today.month, day: min(today.day, CivilDate.daysInMonth(year: yearAhead, month: today.month)))) ?? today
        if start > latest {
            return ("晚于一年之后", "more than a year ahead")
        }
        if let last = try? lastDay(startingOn: start), last < today {
            return ("过早：十年有效期已过", "so early that the ten-year certificate would already have expired")
        }
        return nil
    }
}
