/// A disability level (残疾等级, GB/T 26341-2010 §5), the 20th character of a
/// second-generation certificate number; level 1 is the most severe.
package enum DisabilityLevel: Int, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// 一级, the most severe.
    case one = 1
    /// 二级.
    case two = 2
    /// 三级.
    case three = 3
    /// 四级, the least severe.
    case four = 4

    /// Reads a level digit `1`…`4`.
    ///
    /// - Throws: ``IdentifierError/Code/invalidLevel``.
    package init(digit: Character) throws(IdentifierError) {
        guard let byte = IdentifierText.ascii(digit), IdentifierText.isDigit(byte),
              let level = DisabilityLevel(rawValue: Int(byte - UInt8(ascii: "0")))
        else {
            throw .invalidLevel("a disability level is a digit 1–4, got \(IdentifierText.describe(digit))")
        }
        self = level
    }

    /// 一级 … 四级.
    package var chineseName: String {
        switch self {
        case .one: "一级"
        case .two: "二级"
        case .three: "三级"
        case .four: "四级"
        }
    }

    /// `level 1` … `level 4`.
    package var englishName: String { "level \(rawValue)" }

    /// Whether this is a severe disability (重度残疾): levels 1 and 2, the threshold of the
    /// care subsidy and of government-paid pension contributions.
    package var isSevere: Bool { self == .one || self == .two }

    /// Whether this level is more severe than `other` (a smaller number).
    package func isMoreSevere(than other: DisabilityLevel) -> Bool {
        rawValue < other.rawValue
    }

    /// The digit `1`…`4`.
    package var digit: Character {
        Character(Unicode.Scalar(UInt8(ascii: "0") + UInt8(rawValue)))
    }

    /// `level N`.
    package var description: String { englishName }
}
