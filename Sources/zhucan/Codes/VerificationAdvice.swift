import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIdentifiers

/// The bilingual human answer of `zhucan verify`, ending with what the verifier should do.
enum VerificationAdvice {
    static func human(_ report: VerificationReport) -> String {
        // The report's reason is always one of the closed set.
        let reason = VerificationReason(rawValue: report.reason)
        var lines = [(report.valid ? "✔ " : "✘ ") + (reason?.bilingualDescription ?? report.reason) + "  [\(report.reason)]"]
        if let name = report.holder.name {
            var line = "持证人 / holder: \(name)"
            if let category = report.holder.category.flatMap(DisabilityCategory.init(rawValue:)),
                let level = report.holder.level.flatMap(DisabilityLevel.init(rawValue:)) {
                line += " · \(category.chineseName)\(level.chineseName) / \(category.englishName), level \(level.rawValue)"
            }
            lines.append(line)
        }
        if let agent = report.agent, let relation = CodeAgent.Relation(rawValue: agent.relation) {
            lines.append(CodeAgent(maskedName: agent.name, relation: relation).bilingualDescription)
        }
        if let type = report.type { lines.append("类型 / type: \(typeName(type))") }
        if let services = report.services { lines.append("服务 / service: \(services.joined(separator: ", "))") }
        if let check = report.service {
            var line = "资格 / entitlement: \(check.id)\(check.name.map { " \($0)" } ?? "") — "
            line += check.entitled ? "符合条件 / entitled" : "不符合 / not entitled: \(check.failedReason.map { "\($0) — " } ?? "")\(check.failedClause ?? "")"
            if let version = report.catalogueVersion { line += " (catalogue \(version))" }
            lines.append(line)
        }
        lines.append("说明 / detail: \(report.detail)")
        var checked = "checked at \(report.checkedAt) (\(report.at.map { "--at \($0)" } ?? report.clock), skew \(report.skewSeconds) s)"
        if let expires = report.trustListExpires { checked += "; trust list expires \(expires)" }
        if let expires = report.statusListExpires { checked += "; status list expires \(expires)" }
        lines.append(checked)
        lines.append("→ " + report.advice)
        return lines.joined(separator: "\n")
    }

    /// A report's type for people: `身份码 / identity code` for `identity_code`.
    static func typeName(_ type: String) -> String {
        switch type {
        case "certificate": "残疾人电子证照 / certificate"
        case "identity_code": "身份码 / identity code"
        case "service_code": "助残服务码 / service code"
        default: type
        }
    }
}
