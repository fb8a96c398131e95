/// A value during evaluation: JSON from the rule or the data, a date-time (which JSON cannot
/// hold), or a container built by evaluation (an evaluated array literal, or the
/// `{ "current", "accumulator" }` context of a `reduce` lambda).
///
/// Built containers record their ``Extent``: how deeply they nest built containers, so that a
/// lambda such as `{ "var": "" }` cannot nest its accumulator once per data element and make a
/// value deep enough to exhaust the stack when it is later compared, converted or freed; and
/// how many values they hold at every level, so that a lambda such as `[{ "var":
/// "accumulator" }, { "var": "accumulator" }]`, which doubles its accumulator each round while
/// sharing it, cannot make a value whose comparison or JSON form visits 2⁴⁰ of them.
enum CertLogicValue {
    case json(JSONValue)
    case dateTime(CertLogicDateTime)
    case list([CertLogicValue], Extent)
    case record([String: CertLogicValue], Extent)

    /// A built container's nesting and size.
    struct Extent {
        /// How many built containers nest here, itself included.
        var depth: Int
        /// How many values it holds, itself and what it holds at every level; a value held
        /// twice counts twice, as comparing or converting it visits it twice.
        var size: Int
    }

    static let null = CertLogicValue.json(.null)

    /// How many built containers nest here (data and literals count as 0: their depth is
    /// bounded by the JSON parser and the rule validator).
    var builtDepth: Int {
        switch self {
        case .json, .dateTime: 0
        case .list(_, let extent), .record(_, let extent): extent.depth
        }
    }

    /// How many values this is, counting what it holds at every level.
    var size: Int {
        switch self {
        case .json(let json): json.size
        case .dateTime: 1
        case .list(_, let extent), .record(_, let extent): extent.size
        }
    }

    /// CertLogic 1.3.3 "Truthy and falsy values".
    enum Truth {
        case truthy, falsy, neither
    }

    /// Falsy: `false`, `null`, `""`, `0`, `[]`, `{}`; truthy: `true`, a non-empty string, a
    /// non-zero integer, a non-empty array or object. A date-time, and a number that is not an
    /// integer, is neither (the spec defines truthiness for integers only).
    var truth: Truth {
        switch self {
        case .json(let json):
            switch json {
            case .null: .falsy
            case .bool(let value): value ? .truthy : .falsy
            case .integer, .number:
                json.integerValue.map { $0 == 0 ? .falsy : .truthy } ?? .neither
            case .string(let value): value.isEmpty ? .falsy : .truthy
            case .array(let value): value.isEmpty ? .falsy : .truthy
            case .object(let value): value.isEmpty ? .falsy : .truthy
            }
        case .dateTime: .neither
        case .list(let values, _): values.isEmpty ? .falsy : .truthy
        case .record(let values, _): values.isEmpty ? .falsy : .truthy
        }
    }

    /// The integer held, if any.
    var integerValue: Int64? {
        if case .json(let json) = self { json.integerValue } else { nil }
    }

    /// The string held, if any.
    var stringValue: String? {
        if case .json(.string(let value)) = self { value } else { nil }
    }

    /// The elements, if this is an array.
    var elements: [CertLogicValue]? {
        switch self {
        case .json(.array(let values)): values.map(CertLogicValue.json)
        case .list(let values, _): values
        default: nil
        }
    }

    /// The number of elements, if this is an array (without building them).
    var elementCount: Int? {
        switch self {
        case .json(.array(let values)): values.count
        case .list(let values, _): values.count
        default: nil
        }
    }

    /// The type name, for messages.
    var kindName: String {
        switch self {
        case .json(let json): json.kindName
        case .dateTime: "date-time"
        case .list: "array"
        case .record: "object"
        }
    }

    /// One step of `var` (CertLogic 1.3.3 "Data access"): an object member, or an array element
    /// when the fragment is an integer; anything else, including a missing member or index,
    /// is `null`.
    func member(_ fragment: Substring) -> CertLogicValue {
        switch self {
        case .json(.object(let members)):
            return members[String(fragment)].map(CertLogicValue.json) ?? .null
        case .record(let members, _):
            return members[String(fragment)] ?? .null
        case .json(.array(let values)):
            guard let index = Self.index(fragment), index < values.count else { return .null }
            return .json(values[index])
        case .list(let values, _):
            guard let index = Self.index(fragment), index < values.count else { return .null }
            return values[index]
        default:
            return .null
        }
    }

    /// An array index: ASCII digits only (a negative index never matches, as in JavaScript).
    private static func index(_ fragment: Substring) -> Int? {
        guard !fragment.isEmpty, fragment.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int(fragment)
    }

    /// `===`: equality without type coercion. The spec only promises it for strings and
    /// integers; here arrays and objects compare by content and date-times by instant
    /// (JavaScript would compare object identity, which no rule can rely on).
    static func strictlyEqual(_ lhs: CertLogicValue, _ rhs: CertLogicValue) -> Bool {
        switch (lhs, rhs) {
        case let (.json(l), .json(r)):
            return l == r
        case let (.dateTime(l), .dateTime(r)):
            return l == r
        case (.list, .list), (.list, .json(.array)), (.json(.array), .list):
            guard let l = lhs.elements, let r = rhs.elements, l.count == r.count else { return false }
            return zip(l, r).allSatisfy { strictlyEqual($0, $1) }
        case (.record, .record), (.record, .json(.object)), (.json(.object), .record):
            guard let l = lhs.members, let r = rhs.members, l.count == r.count else { return false }
            return l.allSatisfy { key, value in r[key].map { strictlyEqual(value, $0) } ?? false }
        default:
            return false
        }
    }

    private var members: [String: CertLogicValue]? {
        switch self {
        case .json(.object(let values)): values.mapValues(CertLogicValue.json)
        case .record(let values, _): values
        default: nil
        }
    }

    /// The JSON form of a result: a date-time becomes its `toISOString` text.
    var jsonValue: JSONValue {
        switch self {
        case .json(let json): json
        case .dateTime(let dateTime): .string(dateTime.iso8601)
        case .list(let values, _): .array(values.map(\.jsonValue))
        case .record(let values, _): .object(values.mapValues(\.jsonValue))
        }
    }
}
