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
    package init(certificateNumber: DisabilityCertificateNumber, region: RegionCode, household: [HouseholdFact: Bool] = [:]) {
        self.init(
            category: certificateNumber.category.rawValue, level: certificateNumber.level.rawValue,
            birthDate: certificateNumber.citizenID.birthDate, region: region.value,
            sex: certificateNumber.citizenID.sex == .male ? "male" : "female", household: household
        )
    }

    /// The rule input at `date`:
    /// `{"holder": {category, level, age, region, sex}, "household": {fact: bool, …}, "validationDate": "yyyy-MM-dd"}`.
    package func ruleInput(on date: CivilDate) -> JSONValue {
        .object([
            "holder": .object([
                "category": .integer(Int64(category)),
                "level": .integer(Int64(level)),
                "age": .integer(Int64(birthDate.age(on: date))),
                "region": .string(region),
                "sex": .string(sex),
            ]),
            "household": .object(Dictionary(uniqueKeysWithValues: household.map { ($0.key.rawValue, JSONValue.bool($0.value)) })),
            "validationDate": .string(date.description),
        ])
    }
}
