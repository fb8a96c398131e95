import ZhucanIdentifiers

/// Judges many holders against one catalogue at one date: each rule runs once per distinct
/// rule input (``HolderFacts/ruleInputKey(on:)``), not once per holder, so a registry of
/// 100,000 holders is judged in seconds.
package struct EntitlementJudge {
    /// The catalogue judged against.
    package let catalogue: Catalogue
    /// The validation date.
    package let date: CivilDate
    /// The indices of the catalogue's benefits (procedures left out).
    package let benefitIndices: [Int]
    private var cache: [HolderFacts.RuleInputKey: [Bool]] = [:]

    /// A judge of `catalogue` on `date`.
    package init(catalogue: Catalogue, date: CivilDate) {
        self.catalogue = catalogue
        self.date = date
        self.benefitIndices = catalogue.services.indices.filter { catalogue.services[$0].kind == .benefit }
    }

    /// Whether the holder is entitled to each service, in catalogue order.
    package mutating func entitled(_ facts: HolderFacts) -> [Bool] {
        let key = facts.ruleInputKey(on: date)
        if let known = cache[key] { return known }
        let judged = catalogue.entitlements(for: facts, on: date).map(\.isEntitled)
        cache[key] = judged
        return judged
    }

    /// The ids of the benefits the holder is entitled to.
    package mutating func entitledBenefits(_ facts: HolderFacts) -> [String] {
        let judged = entitled(facts)
        return benefitIndices.filter { judged[$0] }.map { catalogue.services[$0].id }
    }
}
