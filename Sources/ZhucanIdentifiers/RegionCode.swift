/// A six-digit administrative division code (行政区划代码, GB/T 2260).
///
/// Validation is structural: six ASCII digits whose first two form a province-level code that
/// exists in GB/T 2260 (11–15, 21–23, 31–37, 41–46, 50–54, 61–65, 71, 81, 82), or 83, which
/// begins the residence-permit numbers of Taiwan residents (港澳台居民居住证, 2018: 810000 Hong
/// Kong, 820000 Macao, 830000 Taiwan). The lower four
/// digits are not checked against the code table, because the table changes every year and
/// citizen ID numbers keep the code of the year they were issued.
package struct RegionCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The six digits.
    package let value: String

    /// Parses a six-digit code with a valid province-level prefix.
    ///
    /// - Throws: ``IdentifierError/Code/wrongLength``, ``IdentifierError/Code/invalidCharacter``
    ///   or ``IdentifierError/Code/invalidRegion``.
    package init(_ string: String) throws(IdentifierError) {
        let bytes = try IdentifierText.asciiBytes(
            of: string, lengths: 6...6, kind: "a region code", expected: "6 digits")
        try RegionCode.check(bytes[...], field: "region code", offset: 0)
        self.value = IdentifierText.string(bytes)
    }

    /// Parses a household region (户籍地): a county-level code (`330482` 平湖市, not `330400`
    /// 嘉兴市 or `330000` 浙江省), the level at which households are registered and benefits
    /// administered.
    ///
    /// - Throws: as ``init(_:)``, and ``IdentifierError/Code/invalidRegion`` for a province- or
    ///   prefecture-level code.
    package init(household string: String) throws(IdentifierError) {
        try self.init(string)
        guard level == .county else {
            throw .invalidRegion(
                "household region \(value) is a \(level == .province ? "province" : "prefecture")-level code; give the county-level code, e.g. 330482 (平湖市)")
        }
    }

    /// Parses a region code, returning `nil` when it is not valid.
    package init?(validating string: String) {
        guard let code = try? RegionCode(string) else { return nil }
        self = code
    }

    /// Wraps six bytes already checked by ``check(_:field:offset:)``.
    init(checkedBytes bytes: ArraySlice<UInt8>) {
        self.value = IdentifierText.string(bytes)
    }

    /// Checks six bytes as a region code inside a larger identifier.
    ///
    /// - Parameters:
    ///   - field: the name used in reasons ("region code").
    ///   - offset: the 0-based position of the first byte in the whole string, for reasons.
    static func check(_ bytes: ArraySlice<UInt8>, field: String, offset: Int) throws(IdentifierError) {
        for (index, byte) in zip(bytes.indices, bytes) where !IdentifierText.isDigit(byte) {
            throw .invalidCharacter(
                "\(field): expected a digit at position \(offset + index - bytes.startIndex + 1), got \(IdentifierText.describe(byte))")
        }
        let province = IdentifierText.number(bytes.prefix(2))
        guard RegionCode.provinceNames[province] != nil else {
            throw .invalidRegion(
                "\(field): positions \(offset + 1)–\(offset + 2) are not a GB/T 2260 province-level code")
        }
    }

    /// The first two digits: the province-level division.
    package var provinceCode: String { String(value.prefix(2)) }

    /// The name of the province-level division, e.g. 浙江省.
    package var provinceName: String {
        RegionCode.provinceNames[IdentifierText.number(Array(value.utf8).prefix(2))] ?? ""
    }

    /// The administrative level the code denotes, from its trailing zeros.
    package var level: Level {
        if value.hasSuffix("0000") { return .province }
        if value.hasSuffix("00") { return .prefecture }
        return .county
    }

    /// The province-level code (`XX0000`).
    package var province: RegionCode {
        RegionCode(checkedBytes: Array((provinceCode + "0000").utf8)[...])
    }

    /// The prefecture-level code (`XXXX00`), or `nil` for a province-level code.
    package var prefecture: RegionCode? {
        level == .province ? nil : RegionCode(checkedBytes: Array((value.prefix(4) + "00").utf8)[...])
    }

    /// The name of the division when this module knows it: every province-level code and the
    /// Pinghu ones this project serves; `nil` otherwise.
    package var name: String? {
        if level == .province { return provinceName }
        return RegionCode.knownNames[value]
    }

    /// `value`: region codes are public, not personal data.
    package var description: String { value }

    /// Numeric order of the codes.
    package static func < (lhs: RegionCode, rhs: RegionCode) -> Bool {
        lhs.value < rhs.value
    }

    /// The administrative level of a region code.
    package enum Level: String, Hashable, Sendable, Codable {
        /// 省级: province, autonomous region, municipality, SAR (`XX0000`).
        case province
        /// 地级: prefecture-level city, or a municipality's district group (`XXXX00`).
        case prefecture
        /// 县级: county, county-level city, district.
        case county
    }

    /// 浙江省.
    package static let zhejiang = RegionCode(checkedBytes: Array("330000".utf8)[...])
    /// 嘉兴市.
    package static let jiaxing = RegionCode(checkedBytes: Array("330400".utf8)[...])
    /// 平湖市.
    package static let pinghu = RegionCode(checkedBytes: Array("330482".utf8)[...])

    // GB/T 2260 province-level divisions (71 Taiwan, 81 Hong Kong, 82 Macao are listed in the
    // standard and appear in mainland-issued ID numbers of residents from there).
    static let provinceNames: [Int: String] = [
        11: "北京市", 12: "天津市", 13: "河北省", 14: "山西省", 15: "内蒙古自治区",
        21: "辽宁省", 22: "吉林省", 23: "黑龙江省",
        31: "上海市", 32: "江苏省", 33: "浙江省", 34: "安徽省", 35: "福建省", 36: "江西省", 37: "山东省",
        41: "河南省", 42: "湖北省", 43: "湖南省", 44: "广东省", 45: "广西壮族自治区", 46: "海南省",
        50: "重庆市", 51: "四川省", 52: "贵州省", 53: "云南省", 54: "西藏自治区",
        61: "陕西省", 62: "甘肃省", 63: "青海省", 64: "宁夏回族自治区", 65: "新疆维吾尔自治区",
        71: "台湾省", 81: "香港特别行政区", 82: "澳门特别行政区",
        // Not a division: the prefix of Taiwan residents' residence-permit numbers (830000),
        // which have the citizen ID number's form and check character.
        83: "台湾居民居住证",
    ]

    static let knownNames: [String: String] = [
        "330400": "嘉兴市",
        "330482": "平湖市",
    ]
}

extension RegionCode: Codable {
    /// Decodes the six-digit string.
    package init(from decoder: any Decoder) throws {
        self = try IdentifierCoding.decode(from: decoder) { (string) throws(IdentifierError) in
            try RegionCode(string)
        }
    }

    /// Encodes the six-digit string.
    package func encode(to encoder: any Encoder) throws {
        try IdentifierCoding.encode(value, to: encoder)
    }
}
