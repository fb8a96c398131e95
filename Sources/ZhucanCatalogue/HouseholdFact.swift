/// Household facts an issuer may record for a holder (精准采集), read by rules as
/// `household.<rawValue>`. A fact not recorded reads as null, which is falsy: a missing fact
/// never grants a benefit that needs it.
package enum HouseholdFact: String, Sendable, Hashable, CaseIterable {
    /// 低保户: the household receives minimum living security.
    case dibao
    /// 低保边缘户: a household just above the minimum living security line.
    case dibaoEdge
    /// The holder is already covered by 低保 as a single-person household (单人户施保).
    case singlePerson
    /// 困境儿童: a child in difficult circumstances.
    case distressedChild
    /// The holder is employed.
    case employed
    /// The holder needs long-term care (长期照护).
    case needsLongTermCare
    /// The holder is in education.
    case studying
    /// The holder is older than working age.
    case olderThanWorkingAge

    /// The fact in words, for the reason a rule gives.
    package var words: LocalizedText {
        switch self {
        case .dibao: LocalizedText(zh: "低保家庭", en: "a minimum-living-security (dibao) household")
        case .dibaoEdge: LocalizedText(zh: "低保边缘家庭", en: "a household just above the dibao line")
        case .singlePerson: LocalizedText(zh: "单人户施保", en: "covered by dibao as a single-person household")
        case .distressedChild: LocalizedText(zh: "困境儿童", en: "a child in difficult circumstances")
        case .employed: LocalizedText(zh: "在职", en: "employed")
        case .needsLongTermCare: LocalizedText(zh: "需要长期照护", en: "in need of long-term care")
        case .studying: LocalizedText(zh: "在读学生", en: "in education")
        case .olderThanWorkingAge: LocalizedText(zh: "已超过劳动年龄", en: "older than working age")
        }
    }
}
