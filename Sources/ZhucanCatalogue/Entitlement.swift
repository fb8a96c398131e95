import ZhucanCertLogic
import ZhucanIdentifiers

/// Whether a holder is entitled to one service, and if not, the first rule clause that
/// excluded them.
package struct Entitlement: Sendable, Hashable {
    /// The service.
    package let service: CatalogueService
    /// Whether the rule holds.
    package let isEntitled: Bool
    /// The first failing `and` clause (its JSON path and the clause as compact JSON), or the
    /// evaluation error, when not entitled.
    package let failedClause: String?
    /// That clause in words, Chinese then English ("须为低保边缘家庭 / must be …"), when
    /// `RuleClauseWords` knows its shape.
    package var failedReason: String? = nil

    /// Makes an answer.
    package init(service: CatalogueService, isEntitled: Bool, failedClause: String?, failedReason: String? = nil) {
        self.service = service
        self.isEntitled = isEntitled
        self.failedClause = failedClause
        self.failedReason = failedReason
    }
}

extension Catalogue {
    /// Evaluates `service`'s rule for `facts` at `date`. A rule that cannot be evaluated (a
    /// type mismatch in the data, a limit) counts as not entitled, with the reason.
    package func entitlement(to service: CatalogueService, for facts: HolderFacts, on date: CivilDate) -> Entitlement {
        let input = facts.ruleInput(on: date)
        do {
            let result = try CertLogic.evaluate(service.rule, data: input)
            if CertLogic.isTruthy(result) {
                return Entitlement(service: service, isEntitled: true, failedClause: nil)
            }
            let failing = CertLogic.firstFailingClause(of: service.rule, data: input)
            let clause = failing.map { "\($0.path) \($0.clause.jsonString)" }
            return Entitlement(
                service: service, isEntitled: false, failedClause: clause ?? "$ \(service.rule.jsonString)",
                failedReason: failing.flatMap { RuleClauseWords.describe($0.clause) }.map { "\($0.zh) / \($0.en)" }
            )
        } catch {
            return Entitlement(service: service, isEntitled: false, failedClause: "cannot evaluate: \(error.reason)")
        }
    }

    /// Every service's entitlement for `facts` at `date`, in catalogue order.
    package func entitlements(for facts: HolderFacts, on date: CivilDate) -> [Entitlement] {
        services.map { entitlement(to: $0, for: facts, on: date) }
    }
}
