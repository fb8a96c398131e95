import Foundation

/// Checks a JSON answer against a schema of `Docs/openapi.json` (JSON Schema 2020-12, as
/// OpenAPI 3.1 uses it), for the keywords that document uses. Any other keyword is reported
/// as a violation, so the document cannot come to rely on a rule this check would skip.
struct JSONSchemaChecker: Sendable {
    /// The document whose `#/components/…` references schemas resolve against.
    let document: OpenAPIDocument

    /// The keywords checked, or (the annotations) deliberately ignored.
    static let keywords: Set<String> = [
        "$ref", "type", "properties", "required", "additionalProperties", "items", "enum",
        "minimum", "maximum", "minLength", "maxLength", "pattern",
        "format", "description", "example", "examples", "default", "title", "contentMediaType",
    ]

    /// Every way `value` breaks `schema`, each as `path: problem`; empty when it conforms.
    func violations(of value: JSONValue, against schema: JSONValue, at path: String = "$") -> [String] {
        guard let rules = schema.object else { return ["\(path): the schema is not an object"] }
        if let reference = rules["$ref"]?.string {
            guard let target = document.resolve(reference) else { return ["\(path): unresolved \(reference)"] }
            return violations(of: value, against: target, at: path)
        }
        var found = rules.keys.filter { !Self.keywords.contains($0) }.sorted().map { "\(path): the checker does not know keyword \($0)" }

        if let type = rules["type"] {
            let allowed = Set(type.array?.compactMap(\.string) ?? type.string.map { [$0] } ?? [])
            if allowed.isDisjoint(with: value.schemaTypes) {
                return found + ["\(path): \(Self.describe(value)) is not \(allowed.sorted().joined(separator: " or "))"]
            }
        }
        if let options = rules["enum"]?.array, !options.contains(value) {
            found.append("\(path): \(Self.describe(value)) is not one of the enum")
        }
        switch value {
        case .object(let members):
            for name in rules["required"]?.array?.compactMap(\.string) ?? [] where members[name] == nil {
                found.append("\(path): required property \(name) is missing")
            }
            let properties = rules["properties"]?.object ?? [:]
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let property = properties[name] {
                    found += violations(of: member, against: property, at: "\(path).\(name)")
                } else if rules["additionalProperties"] == .bool(false) {
                    found.append("\(path): property \(name) is not in the schema")
                }
            }
        case .array(let elements):
            if let items = rules["items"] {
                for (index, element) in elements.enumerated() {
                    found += violations(of: element, against: items, at: "\(path)[\(index)]")
                }
            }
        case .string(let text):
            if case .integer(let minimum) = rules["minLength"], text.count < minimum { found.append("\(path): shorter than \(minimum)") }
            if case .integer(let maximum) = rules["maxLength"], text.count > maximum { found.append("\(path): longer than \(maximum)") }
            if let pattern = rules["pattern"]?.string, !Self.matches(text, pattern) {
                found.append("\(path): \(Self.describe(value)) does not match \(pattern)")
            }
            if let format = rules["format"]?.string, !Self.hasFormat(text, format) {
                found.append("\(path): \(Self.describe(value)) is not a \(format)")
            }
        case .integer(let number):
            if case .integer(let minimum) = rules["minimum"], number < minimum { found.append("\(path): \(number) < \(minimum)") }
            if case .integer(let maximum) = rules["maximum"], number > maximum { found.append("\(path): \(number) > \(maximum)") }
        default:
            break
        }
        return found
    }

    /// JSON Schema `pattern`: an ECMA-262 regular expression, unanchored.
    static func matches(_ text: String, _ pattern: String) -> Bool {
        guard let expression = try? NSRegularExpression(pattern: pattern) else { return false }
        return expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }

    /// The formats the document uses: RFC 3339 `date-time` (as the service writes it, UTC) and `date`.
    static func hasFormat(_ text: String, _ format: String) -> Bool {
        switch format {
        case "date-time": matches(text, #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$"#)
        case "date": matches(text, #"^\d{4}-\d{2}-\d{2}$"#)
        case "byte": text.count % 4 == 0 && matches(text, #"^[A-Za-z0-9+/]*={0,2}$"#)
        default: false
        }
    }

    /// A short rendering of a value for messages.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): String(flag)
        case .integer(let number): String(number)
        case .number(let number): String(number)
        case .string(let text): "\"\(text.prefix(40))\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}
