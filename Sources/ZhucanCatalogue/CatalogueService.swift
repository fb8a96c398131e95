import ZhucanCertLogic

/// One service of the one-thing catalogue (残疾人全周期服务"一件事").
package struct CatalogueService: Sendable, Hashable {
    /// The benefit, with an amount and period where known.
    package struct Benefit: Sendable, Hashable {
        /// Amount, when fixed.
        package var amount: Double?
        /// Currency of the amount (`CNY`).
        package var currency: String?
        /// `month`, `year`, `once`, …
        package var period: String?
        /// What the benefit is.
        package var description: LocalizedText
    }

    /// Where the eligibility rule comes from.
    package enum RuleSource: String, Sendable, Hashable, CaseIterable {
        /// The Pinghu plan states the rule.
        case seed
        /// A documented national rule.
        case national
        /// Common local practice where neither is exact.
        case localPractice = "local-practice"
    }

    /// What a service is to the holder.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A benefit or service the holder receives (惠残事项): counted by coverage and by the
        /// plan's targets.
        case benefit
        /// A procedure on the certificate itself (new, renewal, replacement, change,
        /// cancellation): offered, never "unserved".
        case procedure
    }

    /// Stable id: `a-z0-9-`, at most 48 characters.
    package var id: String
    /// Benefit (the default) or procedure.
    package var kind: Kind = .benefit
    /// Name.
    package var name: LocalizedText
    /// Responsible department.
    package var department: LocalizedText
    /// Legal or policy basis.
    package var basis: String
    /// The benefit.
    package var benefit: Benefit
    /// Required materials.
    package var materials: [LocalizedText]
    /// Whether a service code for it is single-use.
    package var isOneTime: Bool
    /// Where the rule comes from.
    package var ruleSource: RuleSource
    /// Notes on the rule's source.
    package var ruleNote: LocalizedText?
    /// The eligibility rule (CertLogic) over the documented input (`RuleInput`).
    package var rule: JSONValue

    /// The `var` paths the rule reads (`holder.level`, `household.dibao`): what a service code
    /// must disclose for an offline verifier to evaluate it, and nothing more.
    package var variablesUsed: Set<String> {
        var paths = Set<String>()
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let members):
                if let path = members["var"]?.stringValue { paths.insert(path) }
                members.values.forEach(walk)
            case .array(let items):
                items.forEach(walk)
            default:
                break
            }
        }
        walk(rule)
        return paths
    }
}
