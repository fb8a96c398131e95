/// A holder's sex as encoded in a citizen ID number (GB 11643-1999 §4.3: an odd sequence code
/// is male, an even one female).
package enum Sex: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Male (odd sequence code).
    case male
    /// Female (even sequence code).
    case female

    /// 男 or 女.
    package var chineseName: String {
        switch self {
        case .male: "男"
        case .female: "女"
        }
    }

    /// The GB/T 2261.1-2003 code: 1 male, 2 female.
    package var gbCode: Int {
        switch self {
        case .male: 1
        case .female: 2
        }
    }

    /// `male` or `female`.
    package var description: String { rawValue }
}
