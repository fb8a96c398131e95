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
    /// 特困 conditions other than inability to work (民发〔2021〕43号): no means of living, and no
    /// legal supporter (赡养、抚养、扶养义务人) or none able to support. Rules derive the
    /// inability to work from the certificate and age.
    case extremePoverty
    /// 住房困难: the household's housing is below the local standard for housing aid.
    case housingHardship
    /// 基本生活暂时出现严重困难: a sudden event, a serious illness or a sudden necessary expense
    /// has left the household in temporary severe hardship (临时救助).
    case temporaryHardship
    /// 应届高校毕业生: the holder is a college graduate of this year.
    case graduate
    /// 农村家庭: the holder lives in a rural household (a village, not an urban community).
    case rural
    /// 户籍迁出: the household registration moved away, so the certificate is transferred (迁移).
    case householdMoved

    /// `facts` (by raw value) with what they imply of each other: a household is a 低保 one or a
    /// 低保-edge one, never both (民发〔2021〕57号: the edge is the households just above the 低保
    /// line), so recording one of them true records the other false. A list of 低保 households
    /// then ends an edge record made before, and an edge list needs no 低保 column.
    /// - Returns: nil when `facts` records both true.
    package static func withExclusions(_ facts: [String: Bool]) -> [String: Bool]? {
        var facts = facts
        switch (facts[Self.dibao.rawValue], facts[Self.dibaoEdge.rawValue]) {
        case (true?, true?): return nil
        case (true?, nil): facts[Self.dibaoEdge.rawValue] = false
        case (nil, true?): facts[Self.dibao.rawValue] = false
        default: break
        }
        return facts
    }

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
        case .extremePoverty: LocalizedText(zh: "无生活来源且无有履行能力的法定赡养、抚养、扶养义务人", en: "without means of living and without a legal supporter able to support them")
        case .housingHardship: LocalizedText(zh: "住房困难", en: "in housing hardship")
        case .temporaryHardship: LocalizedText(zh: "基本生活暂时出现严重困难", en: "in temporary severe hardship")
        case .graduate: LocalizedText(zh: "应届高校毕业生", en: "a college graduate of this year")
        case .rural: LocalizedText(zh: "农村家庭", en: "a rural household")
        case .householdMoved: LocalizedText(zh: "户籍已迁出", en: "registered in a new household elsewhere")
        }
    }

    /// The short Chinese name a spreadsheet column is headed by (低保边缘), besides the key.
    package var columnName: String {
        switch self {
        case .dibao: "低保"
        case .dibaoEdge: "低保边缘"
        case .singlePerson: "单人户施保"
        case .distressedChild: "困境儿童"
        case .employed: "在职"
        case .needsLongTermCare: "长期照护"
        case .studying: "在读"
        case .olderThanWorkingAge: "超过劳动年龄"
        case .extremePoverty: "特困"
        case .housingHardship: "住房困难"
        case .temporaryHardship: "临时困难"
        case .graduate: "应届毕业生"
        case .rural: "农村"
        case .householdMoved: "户籍迁出"
        }
    }
}
