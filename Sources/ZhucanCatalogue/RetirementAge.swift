import ZhucanIdentifiers

/// The statutory retirement age, which ends working age for the catalogue's employment rules.
///
/// Before 2025: men 60, women workers 50, women cadres 55 (国发〔1978〕104号). The Standing
/// Committee of the National People's Congress decided on 2024-09-13 (关于实施渐进式延迟法定
/// 退休年龄的决定, in force 2025-01-01) to raise them gradually over fifteen years:
/// - men: 60 → 63, one month later for every four months of birth from January 1965;
/// - women cadres: 55 → 58, one month for every four months of birth from January 1970;
/// - women workers: 50 → 55, one month for every two months of birth from January 1975.
///
/// A woman is taken to be a worker unless told otherwise: the registry does not know her job,
/// and the worker's age is the statutory one the issue of working age turns on for most
/// certified women. A recorded `household.olderThanWorkingAge` fact still overrides the rule.
package enum RetirementAge {
    /// The kinds of statutory age.
    package enum Track: Sendable {
        case man
        case womanWorker
        case womanCadre
    }

    /// The statutory retirement age in months for someone born in `birth`'s month.
    package static func months(bornOn birth: CivilDate, track: Track) -> Int {
        let (original, reformFromYear, monthsPerStep, maximumDelay) = switch track {
        case .man: (60 * 12, 1965, 4, 36)
        case .womanCadre: (55 * 12, 1970, 4, 36)
        case .womanWorker: (50 * 12, 1975, 2, 60)
        }
        let monthsSinceReform = (birth.year - reformFromYear) * 12 + (birth.month - 1)
        guard monthsSinceReform >= 0 else { return original }
        return original + min(maximumDelay, monthsSinceReform / monthsPerStep + 1)
    }

    /// Whether someone of `sex` (`male` / `female`) born on `birth` is of working age on
    /// `date`: at least 16 and not yet at the statutory retirement age.
    package static func isWorkingAge(bornOn birth: CivilDate, sex: String, on date: CivilDate) -> Bool {
        guard birth.age(on: date) >= 16 else { return false }
        let limit = months(bornOn: birth, track: sex == "male" ? .man : .womanWorker)
        var monthsOld = (date.year - birth.year) * 12 + (date.month - birth.month)
        if date.day < birth.day { monthsOld -= 1 }
        return monthsOld < limit
    }
}
