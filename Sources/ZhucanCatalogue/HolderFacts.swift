import ZhucanCertLogic
import ZhucanIdentifiers

/// What a rule may know about a holder: the certificate's facts and the recorded household
/// facts. `ruleInput(on:)` is the documented rule input (`Docs/catalogue.md`).
package struct HolderFacts: Sendable, Hashable {
    /// Disability category 1–7.
    package var category: Int
    /// Disability level 1–4.
    package var level: Int
    /// Birth date, for the age at the validation date.
    package var birthDate: CivilDate
    /// Household region (GB/T 2260).
    package var region: String
    /// `male` or `female`.
    package var sex: String
    /// Recorded household facts.
    package var household: [HouseholdFact: Bool]
    /// The last day of the certificate's validity, when the facts are a certificate's.
    package var validUntil: CivilDate?

    /// Makes facts.
    package init(category: Int, level: Int, birthDate: CivilDate, region: String, sex: String, household: [HouseholdFact: Bool] = [:]) {
        self.category = category
        self.level = level
        self.birthDate = birthDate
        self.region = region
        self.sex = sex
        self.household = household
    }

    /// The facts of a certificate holder.
    package init(
        certificateNumber: DisabilityCertificateNumber, region: RegionCode, household: [HouseholdFact: Bool] = [:], validUntil: CivilDate? = nil
    ) {
        self.init(
            category: certificateNumber.category.rawValue, level: certificateNumber.level.rawValue,
            birthDate: certificateNumber.citizenID.birthDate, region: region.value,
            sex: certificateNumber.citizenID.sex == .male ? "male" : "female", household: household
        )
        self.validUntil = validUntil
    }

    /// How many days before the end of validity a renewal (换领) is offered.
    package static let renewalWindowDays = 90

    /// Whether the certificate's renewal is due on `date`: it expires within
    /// ``renewalWindowDays`` days, or has expired. `nil` when the end of validity is unknown.
    package func renewalDue(on date: CivilDate) -> Bool? {
        validUntil.map { Self.renewalDue(validUntil: $0, on: date) }
    }

    /// Whether a certificate valid until `validUntil` is due for renewal on `date`: it expires
    /// within ``renewalWindowDays`` days, or has expired.
    package static func renewalDue(validUntil: CivilDate, on date: CivilDate) -> Bool {
        validUntil.daysSinceEpoch - date.daysSinceEpoch <= renewalWindowDays
    }

    /// The region rules read: the certificate's, or none (empty) once the household is recorded
    /// as moved away (`householdMoved`): it is registered elsewhere, the certificate is to be
    /// transferred, and benefits tied to this region end.
    var ruleRegion: String { household[.householdMoved] == true ? "" : region }

    /// The rule input at `date`:
    /// `{"holder": {category, level, age, workingAge, region, sex, renewalDue?}, "household": {fact: bool, …}, "validationDate": "yyyy-MM-dd"}`.
    /// `workingAge` follows the statutory retirement ages (``RetirementAge``); `region` is
    /// ``ruleRegion``.
    package func ruleInput(on date: CivilDate) -> JSONValue {
        var holder: [String: JSONValue] = [
            "category": .integer(Int64(category)),
            "level": .integer(Int64(level)),
            "age": .integer(Int64(birthDate.age(on: date))),
            "workingAge": .bool(RetirementAge.isWorkingAge(bornOn: birthDate, sex: sex, on: date)),
            "region": .string(ruleRegion),
            "sex": .string(sex),
        ]
        if let due = renewalDue(on: date) {
            holder["renewalDue"] = .bool(due)
        }
        return .object([
            "holder": .object(holder),
            "household": .object(Dictionary(uniqueKeysWithValues: household.map { ($0.key.rawValue, JSONValue.bool($0.value)) })),
            "validationDate": .string(date.description),
        ])
    }

    /// What the rule input depends on at `date`: holders with equal keys get equal
    /// judgements, so a registry is judged once per distinct key, not once per holder.
    package func ruleInputKey(on date: CivilDate) -> RuleInputKey {
        RuleInputKey(
            category: category, level: level, age: birthDate.age(on: date),
            workingAge: RetirementAge.isWorkingAge(bornOn: birthDate, sex: sex, on: date), region: ruleRegion, sex: sex,
            household: household, renewalDue: renewalDue(on: date)
        )
    }

    /// The rule-relevant part of ``HolderFacts`` at a date.
    package struct RuleInputKey: Hashable, Sendable {
        let category: Int
        let level: Int
        let age: Int
        let workingAge: Bool
        let region: String
        let sex: String
        let household: [HouseholdFact: Bool]
        let renewalDue: Bool?
    }
}
