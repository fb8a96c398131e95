/// A disability category (残疾类别, GB/T 26341-2010 §4), the 19th character of a
/// second-generation certificate number.
package enum DisabilityCategory: Int, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// 视力残疾.
    case visual = 1
    /// 听力残疾.
    case hearing = 2
    /// 言语残疾.
    case speech = 3
    /// 肢体残疾.
    case physical = 4
    /// 智力残疾.
    case intellectual = 5
    /// 精神残疾.
    case mental = 6
    /// 多重残疾: two or more categories; the certificate takes the most severe level
    /// (残疾人证管理办法 Art. 13).
    case multiple = 7

    /// Reads a category digit `1`…`7`.
    ///
    /// - Throws: ``IdentifierError/Code/invalidCategory``.
    package init(digit: Character) throws(IdentifierError) {
        guard let byte = IdentifierText.ascii(digit), IdentifierText.isDigit(byte),
              let category = DisabilityCategory(rawValue: Int(byte - UInt8(ascii: "0")))
        else {
            throw .invalidCategory("a disability category is a digit 1–7, got \(IdentifierText.describe(digit))")
        }
        self = category
    }

    /// The Chinese name as printed in the certificate's 残疾类别 field, e.g. 肢体.
    package var chineseName: String {
        switch self {
        case .visual: "视力"
        case .hearing: "听力"
        case .speech: "言语"
        case .physical: "肢体"
        case .intellectual: "智力"
        case .mental: "精神"
        case .multiple: "多重"
        }
    }

    /// The full Chinese term, e.g. 肢体残疾.
    package var chineseFullName: String { chineseName + "残疾" }

    /// The English name, e.g. `physical`.
    package var englishName: String {
        switch self {
        case .visual: "visual"
        case .hearing: "hearing"
        case .speech: "speech"
        case .physical: "physical"
        case .intellectual: "intellectual"
        case .mental: "mental"
        case .multiple: "multiple"
        }
    }

    /// The digit `1`…`7`.
    package var digit: Character {
        Character(Unicode.Scalar(UInt8(ascii: "0") + UInt8(rawValue)))
    }

    /// The English name.
    package var description: String { englishName }
}
