import ZhucanCBOR

/// Who showed a code for the holder (the plan's 帮办代办): a guardian of a child or of a person
/// with an intellectual or mental disability, a family member, or a caseworker. A code minted
/// on an agent's enrolled device carries the agent, so that the verifier knows who stands at
/// the counter.
///
/// ```
/// "ag" => { "nm" => tstr,                             ; masked agent name, e.g. 张*
///           "rel" => "guardian" / "family" / "caseworker" }
/// ```
package struct CodeAgent: Sendable, Hashable {
    /// How the agent stands to the holder.
    package enum Relation: String, Sendable, Hashable, CaseIterable {
        case guardian, family, caseworker

        /// 监护人 / 亲属 / 社工（网格员）.
        package var chineseName: String {
            switch self {
            case .guardian: "监护人"
            case .family: "亲属"
            case .caseworker: "社工"
            }
        }
    }

    /// The agent's name, masked.
    package var maskedName: String
    package var relation: Relation

    package init(maskedName: String, relation: Relation) {
        self.maskedName = maskedName
        self.relation = relation
    }

    /// "代办人 / agent: 张** (监护人 / guardian)".
    package var bilingualDescription: String {
        "代办人 / agent: \(maskedName) (\(relation.chineseName) / \(relation.rawValue))"
    }

    var cbor: CBOR {
        var map = ContentMap()
        map.set("nm", .text(maskedName))
        map.set("rel", .text(relation.rawValue))
        return map.cbor
    }

    /// Reads the `ag` member of a code's content, if present.
    static func read(from content: ContentMap) throws(CredentialError) -> CodeAgent? {
        guard let value = content.value("ag") else { return nil }
        let map = try ContentMap(value)
        guard let relation = Relation(rawValue: try map.text("rel")) else {
            throw CredentialError(.invalidValue, "\"ag\".\"rel\" must be guardian, family or caseworker")
        }
        let name = try map.text("nm")
        guard (1...64).contains(name.count) else { throw CredentialError(.invalidValue, "\"ag\".\"nm\" must be 1–64 characters") }
        return CodeAgent(maskedName: name, relation: relation)
    }
}
