import ZhucanCertLogic
import ZhucanIdentifiers

/// A rule's failing clause in words, Chinese then English, for the staff and the holder who
/// read why a service is refused: `{"in": [{"var": "household.dibaoEdge"}, [true]]}` is
/// "须为低保边缘家庭 / must be a household just above the dibao line".
///
/// It knows the shapes the shipped catalogues use (Docs/catalogue.md §6): a fact in a list,
/// one of several facts true, a fact equal to a value, an age range or bound, and `and` and
/// `if(A, true, B)` (an `or`) of those. Any other clause has no words, and its CertLogic is
/// shown as before.
package enum RuleClauseWords {
    /// The clause in words, or `nil` for a shape not known here.
    package static func describe(_ clause: JSONValue) -> LocalizedText? {
        guard case .object(let members) = clause, members.count == 1, let (operation, operand) = members.first,
            case .array(let operands) = operand
        else { return nil }
        switch operation {
        case "and":
            // Every part must hold: "A，且 B" / "A, and B".
            let parts = operands.map(describe)
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
            let known = parts.compactMap { $0 }
            return LocalizedText(zh: known.map(\.zh).joined(separator: "，且"), en: known.map(\.en).joined(separator: ", and "))
        case "if":
            // {"if": [{"in": [F, [true, false]]}, C, D]}: "C when the fact F is recorded, else D".
            if operands.count == 3, isRecordedTest(operands[0]), let recorded = describe(operands[1]), let otherwise = describe(operands[2]) {
                return LocalizedText(zh: "\(recorded.zh)（未记录时：\(otherwise.zh)）", en: "\(recorded.en) (when not recorded: \(otherwise.en))")
            }
            // {"if": [A, B, true]}: "B applies only when A", e.g. only under 18 is 困境儿童 asked.
            if operands.count == 3, operands[2] == .bool(true), let condition = describe(operands[0]), let then = describe(operands[1]) {
                let when = condition.zh.replacingOccurrences(of: "须", with: "")
                return LocalizedText(zh: "\(when)的，\(then.zh)", en: "when \(condition.en.replacingOccurrences(of: " must be", with: " is")): \(then.en)")
            }
            // {"if": [A, true, B]} is "A, or else B" — how the catalogue writes an `or`.
            guard operands.count == 3, operands[1] == .bool(true), let first = describe(operands[0]), let second = describe(operands[2]) else {
                return nil
            }
            return LocalizedText(zh: "\(first.zh)；或\(second.zh)", en: "\(first.en); or \(second.en)")
        case "in":
            guard operands.count == 2, case .array(let values) = operands[1] else { return nil }
            if let path = variable(operands[0]) {
                return isIn(path, values)
            }
            // {"in": [true, [{"var": a}, {"var": b}]]}: one of several facts holds.
            if operands[0] == .bool(true) {
                let facts = values.compactMap(variable).compactMap(fact)
                guard facts.count == values.count, !facts.isEmpty else { return nil }
                return LocalizedText(
                    zh: "须为以下之一：" + facts.map(\.words.zh).joined(separator: "、"),
                    en: "must be one of: " + facts.map(\.words.en).joined(separator: "; ")
                )
            }
            return nil
        case "===":
            guard operands.count == 2, let path = variable(operands[0]) else { return nil }
            return isIn(path, [operands[1]])
        case "<=", "<":
            let strict = operation == "<"
            if operands.count == 3, variable(operands[1]) == "holder.age", let low = operands[0].integerValue, let high = operands[2].integerValue {
                return LocalizedText(zh: "年龄须在 \(low)—\(high) 周岁", en: "age must be \(low)–\(high)")
            }
            if operands.count == 2, variable(operands[0]) == "holder.age", let bound = operands[1].integerValue {
                return strict
                    ? LocalizedText(zh: "年龄须小于 \(bound) 周岁", en: "age must be under \(bound)")
                    : LocalizedText(zh: "年龄须不超过 \(bound) 周岁", en: "age must be at most \(bound)")
            }
            return nil
        case ">=", ">":
            guard operands.count == 2, variable(operands[0]) == "holder.age", let bound = operands[1].integerValue else { return nil }
            return operation == ">="
                ? LocalizedText(zh: "年龄须满 \(bound) 周岁", en: "age must be at least \(bound)")
                : LocalizedText(zh: "年龄须大于 \(bound) 周岁", en: "age must be over \(bound)")
        default:
            return nil
        }
    }

    /// Whether a clause is `{"in": [{"var": "household.F"}, [true, false]]}`: "F is recorded".
    private static func isRecordedTest(_ clause: JSONValue) -> Bool {
        guard case .object(let members) = clause, members.count == 1, case .array(let operands)? = members["in"], operands.count == 2,
            let path = variable(operands[0]), fact(path) != nil, case .array(let values) = operands[1]
        else { return false }
        return values == [.bool(true), .bool(false)] || values == [.bool(false), .bool(true)]
    }

    /// `path` must take one of `values`.
    private static func isIn(_ path: String, _ values: [JSONValue]) -> LocalizedText? {
        if let fact = fact(path) {
            switch values {
            case [.bool(true)]: return LocalizedText(zh: "须为\(fact.words.zh)", en: "must be \(fact.words.en)")
            case [.bool(false)]: return LocalizedText(zh: "须不是\(fact.words.zh)", en: "must not be \(fact.words.en)")
            default: return nil
            }
        }
        switch path {
        case "holder.workingAge" where values == [.bool(true)]:
            return LocalizedText(zh: "须在法定劳动年龄内（年满 16 周岁且未到法定退休年龄）", en: "must be of working age (16 or over, below the statutory retirement age)")
        case "holder.renewalDue" where values == [.bool(true)]:
            return LocalizedText(
                zh: "残疾人证须在有效期满前 \(HolderFacts.renewalWindowDays) 日内或已到期", en: "the certificate must expire within \(HolderFacts.renewalWindowDays) days, or have expired")
        case "holder.category":
            let names = values.compactMap { $0.integerValue.flatMap { DisabilityCategory(rawValue: Int($0)) } }
            guard names.count == values.count else { return nil }
            if names.count == DisabilityCategory.allCases.count { return LocalizedText(zh: "须持有效残疾人证", en: "must hold a valid disability certificate") }
            return LocalizedText(
                zh: "残疾类别须为" + names.map(\.chineseFullName).joined(separator: "、"),
                en: "the category must be " + names.map(\.englishName).joined(separator: " or ")
            )
        case "holder.level":
            let levels = values.compactMap { $0.integerValue.flatMap { DisabilityLevel(rawValue: Int($0)) } }
            guard levels.count == values.count else { return nil }
            return LocalizedText(
                zh: "残疾等级须为" + levels.map(\.chineseName).joined(separator: "、"),
                en: "the level must be " + levels.map { String($0.rawValue) }.joined(separator: " or ")
            )
        case "holder.region":
            guard values.count == 1, let region = values[0].stringValue else { return nil }
            return LocalizedText(zh: "户籍须在本地（\(region)）", en: "the household must be registered here (\(region))")
        default:
            return nil
        }
    }

    private static func variable(_ value: JSONValue) -> String? {
        guard case .object(let members) = value, members.count == 1 else { return nil }
        return members["var"]?.stringValue
    }

    private static func fact(_ path: String) -> HouseholdFact? {
        guard path.hasPrefix("household.") else { return nil }
        return HouseholdFact(rawValue: String(path.dropFirst("household.".count)))
    }
}
