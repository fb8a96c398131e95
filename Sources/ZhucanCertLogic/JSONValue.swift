/// A JSON value (RFC 8259), used for CertLogic rules, their data and their results.
///
/// Numbers come in two cases because CertLogic 1.3.3 works on *integers* ("Literal values":
/// integers as a subset of JavaScript's `Number`; comparisons, `+` and `plusTime` amounts
/// require integers): ``integer(_:)`` keeps every integer that fits in 64 bits exact, and
/// ``number(_:)`` holds the rest (fractions, and integers too large for `Int64`). The parser
/// puts an integral number such as `1.0` or `1e3` in ``integer(_:)``; equality and hashing
/// compare numbers by value, so `.number(1.0) == .integer(1)` even when built by hand.
///
/// Object keys are unordered, as in RFC 8259 §4; ``jsonString`` writes them sorted.
package enum JSONValue: Hashable, Sendable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number with an integral value that fits in `Int64`.
    case integer(Int64)
    /// Any other (finite) number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object; RFC 8259 §4 recommends unique names, and the parser requires them.
    case object([String: JSONValue])

    /// The integer this value holds, also for a `.number` with an integral value in range.
    package var integerValue: Int64? {
        switch self {
        case .integer(let value): value
        case .number(let value): Int64(exactly: value)
        default: nil
        }
    }

    /// The string this value holds.
    package var stringValue: String? {
        if case .string(let value) = self { value } else { nil }
    }

    /// The elements of this array.
    package var arrayValue: [JSONValue]? {
        if case .array(let value) = self { value } else { nil }
    }

    /// The members of this object.
    package var objectValue: [String: JSONValue]? {
        if case .object(let value) = self { value } else { nil }
    }

    /// The JSON type name, for messages (`"integer"`, `"object"`, …).
    package var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .integer: "integer"
        case .number: integerValue == nil ? "number" : "integer"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case let (.bool(l), .bool(r)): l == r
        case let (.string(l), .string(r)): l == r
        case let (.array(l), .array(r)): l == r
        case let (.object(l), .object(r)): l == r
        case (.integer, .integer), (.integer, .number), (.number, .integer), (.number, .number):
            Self.numbersEqual(lhs, rhs)
        default: false
        }
    }

    package func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(1); hasher.combine(value)
        case .integer, .number:
            // Hash integral numbers as integers so that equal values hash alike.
            if let integer = integerValue {
                hasher.combine(2); hasher.combine(integer)
            } else if case .number(let value) = self {
                hasher.combine(3); hasher.combine(value)
            }
        case .string(let value): hasher.combine(4); hasher.combine(value)
        case .array(let value): hasher.combine(5); hasher.combine(value)
        case .object(let value): hasher.combine(6); hasher.combine(value)
        }
    }

    private static func numbersEqual(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        if let l = lhs.integerValue, let r = rhs.integerValue { return l == r }
        if case .number(let l) = lhs, case .number(let r) = rhs { return l == r }
        // One is an integer and the other a non-integral (or out-of-range) number.
        return false
    }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    /// `null`.
    package init(nilLiteral: ()) { self = .null }
    /// A boolean.
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    /// An integer.
    package init(integerLiteral value: Int64) { self = .integer(value) }
    /// A number; integral values become ``integer(_:)``.
    package init(floatLiteral value: Double) { self = JSONValue(number: value) }
    /// A string.
    package init(stringLiteral value: String) { self = .string(value) }
    /// An array.
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    /// An object; a repeated key keeps its last value.
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// A number, as ``integer(_:)`` when it is integral and fits in `Int64`.
    package init(number: Double) {
        if let integer = Int64(exactly: number) {
            self = .integer(integer)
        } else {
            self = .number(number)
        }
    }
}
