import Foundation
import ZhucanCertLogic
import ZhucanIdentifiers

/// The one-thing service catalogue: a version, a validity, and services with CertLogic
/// eligibility rules (see `Docs/catalogue.md` and `Docs/catalogue.schema.json`).
package struct Catalogue: Sendable, Hashable {
    /// The version, e.g. `pinghu-2026.1`.
    package var version: String
    /// First day of validity (yyyy-MM-dd).
    package var validFrom: String
    /// Last day of validity (yyyy-MM-dd).
    package var validUntil: String
    /// The publishing body.
    package var issuer: LocalizedText
    /// Region code the catalogue applies to.
    package var region: String
    /// The services, in file order.
    package var services: [CatalogueService]
    /// The file's JSON, as parsed (what is signed on publication).
    package let json: JSONValue

    /// The service with `id`.
    package func service(_ id: String) -> CatalogueService? {
        services.first { $0.id == id }
    }

    /// Parses and checks a catalogue file: strict JSON (no duplicate keys), every field,
    /// unique service ids, and every rule a valid CertLogic expression.
    /// - Throws: `CatalogueError` naming the JSON path of the first fault.
    package init(parsing data: Data) throws(CatalogueError) {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: data)
        } catch {
            throw CatalogueError(.malformed, "not valid JSON: \(error.reason)")
        }
        try self.init(json: json)
    }

    /// Reads a catalogue from parsed JSON (see `init(parsing:)`).
    package init(json: JSONValue) throws(CatalogueError) {
        guard let root = json.objectValue else { throw CatalogueError(.malformed, "$: a catalogue is a JSON object") }
        func text(_ key: String) throws(CatalogueError) -> String {
            guard let value = root[key]?.stringValue, !value.isEmpty else {
                throw CatalogueError(.malformed, "$.\(key): required text")
            }
            return value
        }
        // Docs/catalogue.md §1: no fields beyond the documented ones (a typo must not pass silently).
        let known: Set<String> = ["catalogueVersion", "validFrom", "validUntil", "issuer", "region", "services"]
        if let unknown = root.keys.filter({ !known.contains($0) }).sorted().first {
            throw CatalogueError(.malformed, "$.\(unknown): unknown field")
        }
        version = try text("catalogueVersion")
        guard Self.isVersion(version) else {
            throw CatalogueError(.malformed, "$.catalogueVersion: must look like pinghu-2026.1 (name-year.number)")
        }
        validFrom = try text("validFrom")
        validUntil = try text("validUntil")
        guard let from = try? CivilDate(validFrom) else { throw CatalogueError(.malformed, "$.validFrom: must be a real yyyy-MM-dd date") }
        guard let until = try? CivilDate(validUntil) else { throw CatalogueError(.malformed, "$.validUntil: must be a real yyyy-MM-dd date") }
        guard from <= until else { throw CatalogueError(.malformed, "$.validUntil: is before validFrom") }
        issuer = try LocalizedText(root["issuer"], at: "$.issuer")
        region = try text("region")
        guard let items = root["services"]?.arrayValue, !items.isEmpty else {
            throw CatalogueError(.malformed, "$.services: a non-empty array is required")
        }
        var services: [CatalogueService] = []
        var seen: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let service = try Self.service(item, at: "$.services[\(index)]")
            if let first = seen[service.id] {
                throw CatalogueError(.duplicateID, "$.services[\(index)].id: \"\(service.id)\" is also used by $.services[\(first)]")
            }
            seen[service.id] = index
            services.append(service)
        }
        self.services = services
        self.json = json
    }

    private static func service(_ json: JSONValue, at path: String) throws(CatalogueError) -> CatalogueService {
        guard let object = json.objectValue else { throw CatalogueError(.malformed, "\(path): a service is an object") }
        guard let id = object["id"]?.stringValue, isServiceID(id) else {
            throw CatalogueError(.malformed, "\(path).id: 1–48 characters of a-z, 0-9 and '-'")
        }
        guard let basis = object["basis"]?.stringValue, !basis.isEmpty else {
            throw CatalogueError(.malformed, "\(path).basis: required text")
        }
        guard let benefitObject = object["benefit"]?.objectValue else {
            throw CatalogueError(.malformed, "\(path).benefit: required object")
        }
        let benefit = CatalogueService.Benefit(
            amount: benefitObject["amount"].flatMap { value -> Double? in
                switch value {
                case .integer(let int): Double(int)
                case .number(let number): number
                default: nil
                }
            },
            currency: benefitObject["currency"]?.stringValue,
            period: benefitObject["period"]?.stringValue,
            description: try LocalizedText(benefitObject["description"], at: "\(path).benefit.description")
        )
        var materials: [LocalizedText] = []
        for (index, material) in (object["materials"]?.arrayValue ?? []).enumerated() {
            materials.append(try LocalizedText(material, at: "\(path).materials[\(index)]"))
        }
        guard case .bool(let oneTime)? = object["oneTime"] else {
            throw CatalogueError(.malformed, "\(path).oneTime: required true or false")
        }
        guard let source = object["ruleSource"]?.stringValue.flatMap(CatalogueService.RuleSource.init(rawValue:)) else {
            throw CatalogueError(.malformed, "\(path).ruleSource: one of \(CatalogueService.RuleSource.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var kind = CatalogueService.Kind.benefit
        if let value = object["kind"] {
            guard let named = value.stringValue.flatMap(CatalogueService.Kind.init(rawValue:)) else {
                throw CatalogueError(.malformed, "\(path).kind: one of benefit, procedure")
            }
            kind = named
        }
        guard let rule = object["rule"] else { throw CatalogueError(.malformed, "\(path).rule: required CertLogic expression") }
        if let finding = CertLogic.validate(rule).first {
            throw CatalogueError(.invalidRule, "\(path).rule\(finding.path.dropFirst()): \(finding.message)")
        }
        return CatalogueService(
            id: id, kind: kind, name: try LocalizedText(object["name"], at: "\(path).name"),
            department: try LocalizedText(object["department"], at: "\(path).department"),
            basis: basis, benefit: benefit, materials: materials, isOneTime: oneTime, ruleSource: source,
            ruleNote: try object["ruleNote"].map { json throws(CatalogueError) in try LocalizedText(json, at: "\(path).ruleNote") },
            rule: rule
        )
    }

    /// Whether `id` is a service id: 1–48 characters of `a-z`, `0-9` and `-`
    /// (Docs/catalogue.schema.json). Ids that clients send are held to it before they reach a
    /// log line, an event or a report.
    package static func isServiceID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 48 && id.utf8.allSatisfy {
            ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-")
        }
    }

    /// `^[a-z][a-z0-9-]*-[0-9]{4}\.[1-9][0-9]*$` (Docs/catalogue.schema.json).
    static func isVersion(_ text: String) -> Bool {
        text.wholeMatch(of: /[a-z][a-z0-9-]*-[0-9]{4}\.[1-9][0-9]*/) != nil
    }

    /// Whether the catalogue is in force on `date` (validFrom ≤ date ≤ validUntil).
    package func isInForce(on date: CivilDate) -> Bool {
        guard let from = try? CivilDate(validFrom), let until = try? CivilDate(validUntil) else { return false }
        return from <= date && date <= until
    }
}
