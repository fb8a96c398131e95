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
        if let reason { lines.append("→ " + action(reason)) }
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

    /// What the person at the counter should do.
    static func action(_ reason: VerificationReason) -> String {
        switch reason {
        case .valid: "可以办理 / accept: serve the holder."
        case .expired, .notYetValid: "请持证人刷新码后重试；若仍失败请核对本机时间 / ask the holder to refresh the code; if it persists, check this device's clock."
        case .statusUnknown: "无法确认状态：请更新信任列表和状态列表或联网核验，不要直接拒绝 / cannot confirm: update the trust and status lists or verify online; do not simply refuse."
        case .suspended: "证件暂停中，暂不能办理，请联系发证残联 / suspended: do not serve now; the holder should contact the issuing federation."
        case .revoked: "证件已注销，不能办理 / cancelled: do not serve."
        case .wrongService: "请持证人出示本服务的服务码 / ask for a service code for this service."
        case .notEntitled: "不符合本服务条件 / not entitled: refer to the rule named above."
        case .alreadyRedeemed: "该码已使用，请持证人重新申请 / already used: the holder needs a new code."
        default: "不能办理：码无效或被篡改 / refuse: the code is invalid or altered."
        }
    }
}
