import Foundation
import Testing
import ZhucanCatalogue
import ZhucanCertLogic
import ZhucanIdentifiers

@Suite("Entitlements: ages at the validation date, failing clauses, missing facts")
struct EntitlementTests {
    static func date(_ text: String) throws -> CivilDate {
        try CivilDate(text)
    }

    static func child(born: String, household: [HouseholdFact: Bool] = [:]) throws -> HolderFacts {
        HolderFacts(category: 5, level: 3, birthDate: try date(born), region: "330482", sex: "male", household: household)
    }

    /// `holder.age` of a rule input.
    static func age(in input: JSONValue) -> Int64? {
        input.objectValue?["holder"]?.objectValue?["age"]?.integerValue
    }

    func entitlement(_ id: String, _ facts: HolderFacts, on day: String) throws -> Entitlement {
        let catalogue = try Catalogue.pinghu()
        let service = try #require(catalogue.service(id))
        return catalogue.entitlement(to: service, for: facts, on: try Self.date(day))
    }

    @Test("a child ages out of child-rehabilitation-0-6 (0 ≤ age ≤ 6) on the 7th birthday")
    func agingPastTheLimit() throws {
        // The rule is {"<=": [0, age, 6]}: a child born 2019-03-01 is 6 on 2026-02-28 and 7 on 2026-03-01.
        let facts = try Self.child(born: "2019-03-01")
        let before = try entitlement("child-rehabilitation-0-6", facts, on: "2026-02-28")
        #expect(before.isEntitled)
        #expect(before.failedClause == nil)
        let after = try entitlement("child-rehabilitation-0-6", facts, on: "2026-03-01")
        #expect(!after.isEntitled)
        let clause = try #require(after.failedClause)
        #expect(clause.hasPrefix("$.and[0] "), "\(clause)")
        #expect(clause.contains("holder.age"), "\(clause)")
        #expect(clause.contains(#"{"<=":[0,{"var":"holder.age"},6]}"#), "\(clause)")

        // The same birthday moves the child into child-rehabilitation-7-17.
        #expect(!(try entitlement("child-rehabilitation-7-17", facts, on: "2026-02-28").isEntitled))
        #expect(try entitlement("child-rehabilitation-7-17", facts, on: "2026-03-01").isEntitled)
    }

    @Test("the upper age is inclusive: a child born 2020-03-01 (5, then 6) is entitled on both days")
    func upperBoundIsInclusive() throws {
        let facts = try Self.child(born: "2020-03-01")
        #expect(Self.age(in: facts.ruleInput(on: try Self.date("2026-02-28"))) == 5)
        #expect(Self.age(in: facts.ruleInput(on: try Self.date("2026-03-01"))) == 6)
        #expect(try entitlement("child-rehabilitation-0-6", facts, on: "2026-02-28").isEntitled)
        #expect(try entitlement("child-rehabilitation-0-6", facts, on: "2026-03-01").isEntitled)
    }

    @Test("the rule input is the documented one")
    func ruleInputShape() throws {
        let facts = HolderFacts(category: 4, level: 3, birthDate: try Self.date("1970-11-21"), region: "330482", sex: "female",
                                household: [.dibaoEdge: true, .dibao: false])
        let input = facts.ruleInput(on: try Self.date("2026-11-20"))
        #expect(input == [
            // A woman worker born 1970 retired at 50 (before the 2025 reform): not of working age.
            "holder": ["category": 4, "level": 3, "age": 55, "workingAge": false, "region": "330482", "sex": "female"],
            "household": ["dibaoEdge": true, "dibao": false],
            "validationDate": "2026-11-20",
        ])
        #expect(Self.age(in: facts.ruleInput(on: try Self.date("2026-11-21"))) == 56)
    }

    @Test("facts from a certificate number: category, level, birth date and sex")
    func factsFromACertificate() throws {
        let number = try DisabilityCertificateNumber("36012119701121001343")
        let facts = HolderFacts(certificateNumber: number, region: try RegionCode("330482"))
        #expect(facts.category == 4)
        #expect(facts.level == 3)
        #expect(facts.birthDate == (try Self.date("1970-11-21")))
        #expect(facts.sex == "male")
        #expect(facts.household.isEmpty)
        let catalogue = try Catalogue.pinghu()
        let all = catalogue.entitlements(for: facts, on: try Self.date("2026-03-01"))
        #expect(all.map(\.service.id) == catalogue.services.map(\.id))
        let entitled = Set(all.filter(\.isEntitled).map(\.service.id))
        #expect(entitled.contains("free-bus"))
        #expect(entitled.contains("job-registration"))  // male, 55: of working age by the statistical fallback
        #expect(!entitled.contains("child-allowance"))
        #expect(!entitled.contains("living-subsidy"))
        #expect(!entitled.contains("edge-family-allowance"))
        for entitlement in all {
            #expect(entitlement.isEntitled == (entitlement.failedClause == nil), "\(entitlement.service.id)")
        }
        let childAllowance = try #require(all.first { $0.service.id == "child-allowance" })
        #expect(childAllowance.failedClause?.contains("holder.age") == true)
    }

    @Test("living-subsidy: nothing recorded grants nothing; a recorded 低保 grants")
    func livingSubsidyNeedsARecordedFact() throws {
        let adult = HolderFacts(category: 4, level: 3, birthDate: try Self.date("1970-11-21"), region: "330482", sex: "male")
        let missing = try entitlement("living-subsidy", adult, on: "2026-03-01")
        #expect(!missing.isEntitled)
        #expect(missing.failedClause?.contains("household.dibao") == true, "\(missing.failedClause ?? "")")
        #expect(missing.failedReason == "须为以下之一：低保家庭、单人户施保 / must be one of: a minimum-living-security (dibao) household; covered by dibao as a single-person household",
                "\(missing.failedReason ?? "")")
        var recorded = adult
        recorded.household = [.dibao: false, .singlePerson: false]
        #expect(!(try entitlement("living-subsidy", recorded, on: "2026-03-01").isEntitled))
        recorded.household = [.dibao: true]
        #expect(try entitlement("living-subsidy", recorded, on: "2026-03-01").isEntitled)
        recorded.household = [.singlePerson: true]
        #expect(try entitlement("living-subsidy", recorded, on: "2026-03-01").isEntitled)
    }

    @Test("child-allowance needs 低保 and 低保-edge recorded as false, and a distressed-child answer under 18")
    func childAllowanceNeedsRecordedNegatives() throws {
        let child = HolderFacts(category: 4, level: 1, birthDate: try Self.date("2016-05-05"), region: "330482", sex: "female")
        let missing = try entitlement("child-allowance", child, on: "2026-03-01")
        #expect(!missing.isEntitled)
        #expect(missing.failedClause?.contains("household.dibao") == true, "\(missing.failedClause ?? "")")
        var partial = child
        partial.household = [.dibao: false, .dibaoEdge: false]
        let asked = try entitlement("child-allowance", partial, on: "2026-03-01")
        #expect(!asked.isEntitled)
        #expect(asked.failedClause?.contains("household.distressedChild") == true, "\(asked.failedClause ?? "")")
        partial.household[.distressedChild] = false
        #expect(try entitlement("child-allowance", partial, on: "2026-03-01").isEntitled)
    }

    @Test("edge-family-allowance: the demo adult with 低保-edge recorded and the rest recorded false")
    func edgeFamilyAllowance() throws {
        var adult = HolderFacts(category: 4, level: 3, birthDate: try Self.date("1970-11-21"), region: "330482", sex: "male")
        #expect(!(try entitlement("edge-family-allowance", adult, on: "2026-03-01").isEntitled))
        adult.household = [.dibaoEdge: true, .dibao: false, .singlePerson: false, .distressedChild: false]
        #expect(try entitlement("edge-family-allowance", adult, on: "2026-03-01").isEntitled)
        adult.household = [.dibaoEdge: true, .dibao: true, .singlePerson: false]  // a 低保 household: living-subsidy, not this
        let dibao = try entitlement("edge-family-allowance", adult, on: "2026-03-01")
        #expect(!dibao.isEntitled)
        #expect(dibao.failedReason == "须不是低保家庭 / must not be a minimum-living-security (dibao) household", "\(dibao.failedReason ?? "")")
        adult.household = [.dibaoEdge: true, .dibao: false]  // single-person 低保 not recorded: not granted
        let missing = try entitlement("edge-family-allowance", adult, on: "2026-03-01")
        #expect(!missing.isEntitled)
        #expect(missing.failedClause?.contains("household.singlePerson") == true, "\(missing.failedClause ?? "")")
        adult.household = [.dibaoEdge: true, .dibao: false, .singlePerson: false]  // an adult is not asked about 困境儿童
        #expect(try entitlement("edge-family-allowance", adult, on: "2026-03-01").isEntitled)
        adult.household[.householdMoved] = true  // registered elsewhere now: this region's benefits end
        let moved = try entitlement("edge-family-allowance", adult, on: "2026-03-01")
        #expect(!moved.isEntitled)
        #expect(moved.failedReason == "户籍须在本地（330482） / the household must be registered here (330482)")
        #expect(try entitlement("certificate-renewal-transfer", adult, on: "2026-03-01").isEntitled, "and the certificate is to be transferred")
        adult.household[.householdMoved] = false
        #expect(try entitlement("edge-family-allowance", adult, on: "2026-03-01").isEntitled)
        adult.region = "330402"
        let elsewhere = try entitlement("edge-family-allowance", adult, on: "2026-03-01")
        #expect(!elsewhere.isEntitled)
        #expect(elsewhere.failedClause?.contains("holder.region") == true)
        #expect(elsewhere.failedReason == "户籍须在本地（330482） / the household must be registered here (330482)")
    }

    /// Holders covering every category and level, the age thresholds of the catalogue, both
    /// sexes, Pinghu and elsewhere.
    static let holders: [HolderFacts] = {
        var holders: [HolderFacts] = []
        let ages = [5, 6, 7, 15, 16, 17, 18, 54, 55, 59, 60]
        for category in [4, 5, 6, 7] {
            for level in 1...4 {
                for age in ages {
                    for sex in ["male", "female"] {
                        for region in ["330482", "330402"] {
                            // Born on 1 January, so the age on 2026-03-01 is 2026 - year.
                            guard let birth = try? CivilDate(year: 2026 - age, month: 1, day: 1) else { continue }
                            holders.append(HolderFacts(category: category, level: level, birthDate: birth, region: region, sex: sex))
                        }
                    }
                }
            }
        }
        return holders
    }()

    /// Whether `service`'s rule holds for `facts` (the evaluation `entitlement(to:for:on:)`
    /// makes, without its failing-clause search, to keep the property tests fast).
    static func grants(_ service: CatalogueService, _ facts: HolderFacts, on day: CivilDate) throws -> Bool {
        CertLogic.isTruthy(try CertLogic.evaluate(service.rule, data: facts.ruleInput(on: day)))
    }

    static let serviceIDs: [String] = (try? Catalogue.pinghu().services.map(\.id)) ?? []

    /// Docs/catalogue.md §3, "Missing facts never grant": if a rule grants with a fact missing,
    /// it grants with the fact recorded false and recorded true (for `olderThanWorkingAge`,
    /// recorded false). Checked fact by fact, from a holder with nothing recorded, and from one
    /// with everything else recorded.
    @Test("a missing household fact never grants", arguments: serviceIDs)
    func missingFactsNeverGrant(_ id: String) throws {
        #expect(Self.serviceIDs.count == 59)
        #expect(Self.holders.count > 500)
        let catalogue = try Catalogue.pinghu()
        let service = try #require(catalogue.service(id))
        let day = try Self.date("2026-03-01")
        let used = service.variablesUsed
        let facts = HouseholdFact.allCases.filter { used.contains("household.\($0.rawValue)") }
        // Backgrounds for the other facts: none recorded, all false, all true.
        let backgrounds: [(HouseholdFact) -> [HouseholdFact: Bool]] = [
            { _ in [:] },
            { fact in Dictionary(uniqueKeysWithValues: facts.filter { $0 != fact }.map { ($0, false) }) },
            { fact in Dictionary(uniqueKeysWithValues: facts.filter { $0 != fact }.map { ($0, true) }) },
        ]
        var grantsWithSomethingMissing = 0
        for holder in Self.holders {
            for fact in facts {
                for background in backgrounds {
                    var missing = holder
                    missing.household = background(fact)
                    guard try Self.grants(service, missing, on: day) else { continue }
                    grantsWithSomethingMissing += 1
                    let values: [Bool] = fact == .olderThanWorkingAge ? [false] : [false, true]
                    for value in values {
                        var recorded = missing
                        recorded.household[fact] = value
                        let granted = try Self.grants(service, recorded, on: day)
                        #expect(granted, "\(id) grants with \(fact.rawValue) missing but not with it \(value): \(missing.ruleInput(on: day).jsonString)")
                        if !granted { return }
                    }
                }
            }
        }
        _ = grantsWithSomethingMissing
    }

    @Test("every rule yields true or false, and an entitlement exactly when it yields true", arguments: serviceIDs)
    func rulesAreBoolean(_ id: String) throws {
        let catalogue = try Catalogue.pinghu()
        let service = try #require(catalogue.service(id))
        let day = try Self.date("2026-03-01")
        var entitledSomewhere = false
        // Nothing recorded, everything true (but a household still registered here: a moved
        // one's regional benefits end), everything false, and one fact true among false.
        let allFalse = Dictionary(uniqueKeysWithValues: HouseholdFact.allCases.map { ($0, false) })
        let allTrue = allFalse.mapValues { _ in true }.merging([.householdMoved: false]) { $1 }
        let households: [[HouseholdFact: Bool]] = [[:], allTrue, allFalse]
            + HouseholdFact.allCases.map { fact in allFalse.merging([fact: true]) { $1 } }
        // Every category and level around the age thresholds that matter most; the full set
        // of ages is covered by the missing-facts property above.
        let holders = Self.holders.filter { [4, 5, 6].contains($0.category) && [6, 7, 18, 60].contains(2026 - $0.birthDate.year) }
        for (index, holder) in holders.enumerated() {
            for household in households {
                var facts = holder
                facts.household = household
                let result = try CertLogic.evaluate(service.rule, data: facts.ruleInput(on: day))
                #expect(result == .bool(true) || result == .bool(false), "\(id): \(result.jsonString)")
                if result != .bool(true) && result != .bool(false) { return }
                entitledSomewhere = entitledSomewhere || result == .bool(true)
                // The product's entitlement agrees, on a sample (it also searches the failing clause).
                if index % 7 == 0 {
                    #expect(catalogue.entitlement(to: service, for: facts, on: day).isEntitled == (result == .bool(true)))
                }
            }
        }
        #expect(entitledSomewhere, "\(id) grants no holder at all")
    }
}

@Suite("The signed form of a catalogue")
struct CatalogueClaimsTests {
    @Test func claimsRoundTrip() throws {
        let catalogue = try Catalogue.pinghu()
        let claims = catalogue.claims(issuerCode: "330482-CDPF", issuedAt: 1_772_323_200, edition: 3)
        #expect(claims.issuer == "330482-CDPF")
        #expect(claims.issuedAt == 1_772_323_200)
        // Expires at the end of validUntil (2026-12-31) in China time: 2027-01-01T00:00+08:00.
        #expect(claims.expiration == 1_798_732_800)
        let back = try Catalogue(claims: claims)
        #expect(back == catalogue)
        #expect(back.services.map(\.rule) == catalogue.services.map(\.rule))
        #expect(back.json == catalogue.json)
        #expect(try Catalogue.edition(in: claims) == 3)
        #expect(try Catalogue.edition(in: catalogue.claims(issuerCode: "330482-CDPF", issuedAt: 0, edition: nil)) == nil)

        // Through the CWT payload map a verifier decodes (the type is named through the value:
        // this target does not depend on ZhucanEnvelope).
        let decoded = try type(of: claims).init(claims.cbor)
        #expect(try Catalogue(claims: decoded) == catalogue)
    }

    @Test("claims without the catalogue content are refused")
    func claimsWithoutContent() throws {
        var claims = try Catalogue.pinghu().claims(issuerCode: "330482-CDPF", issuedAt: 0, edition: 1)
        claims.otherClaims = []
        let error = try #require(try catalogueError { _ = try Catalogue(claims: claims) })
        #expect(error.code == .malformed)
    }

    @Test("a changed catalogue gives different claims")
    func claimsFollowTheContent() throws {
        let original = try Catalogue.pinghu()
        let text = try PinghuFiles.replacingOnce(
            PinghuFiles.childRehabilitationRule, with: PinghuFiles.childRehabilitationRuleUpTo7, in: try PinghuFiles.catalogueText())
        let changed = try Catalogue(parsing: Data(text.utf8))
        #expect(changed != original)
        let claims = changed.claims(issuerCode: "330482-CDPF", issuedAt: 0, edition: 1)
        #expect(claims != original.claims(issuerCode: "330482-CDPF", issuedAt: 0, edition: 1))
        #expect(try Catalogue(claims: claims) == changed)
    }

    @Test("Every clause of every shipped rule has its reason in words: a refusal never shows staff raw CertLogic")
    func everyShippedClauseHasWords() throws {
        let catalogue = try Catalogue.pinghu()
        var missing: [String] = []
        for service in catalogue.services {
            let clauses: [JSONValue]
            if case .object(let members) = service.rule, let operands = members["and"]?.arrayValue, members.count == 1 {
                clauses = operands
            } else {
                clauses = [service.rule]
            }
            for (index, clause) in clauses.enumerated() where RuleClauseWords.describe(clause) == nil {
                missing.append("\(service.id) $.and[\(index)] \(clause.jsonString)")
            }
        }
        #expect(missing.isEmpty, "clauses without words:\n\(missing.joined(separator: "\n"))")
        let wording = try #require(RuleClauseWords.describe(JSONValue(parsing: #"{"if": [{"in": [{"var": "household.olderThanWorkingAge"}, [true, false]]}, {"in": [{"var": "household.olderThanWorkingAge"}, [false]]}, {"in": [{"var": "holder.workingAge"}, [true]]}]}"#)))
        #expect(wording.zh == "须不是已超过劳动年龄（未记录时：须在法定劳动年龄内（年满 16 周岁且未到法定退休年龄））", "\(wording.zh)")
        let child = try #require(RuleClauseWords.describe(JSONValue(parsing: #"{"if": [{"<": [{"var": "holder.age"}, 18]}, {"in": [{"var": "household.distressedChild"}, [false]]}, true]}"#)))
        #expect("\(child.zh) / \(child.en)" == "年龄小于 18 周岁的，须不是困境儿童 / when age is under 18: must not be a child in difficult circumstances")
    }

    @Test("A failing clause is given in words, Chinese then English, for the shapes the catalogue uses; other shapes have none")
    func clausesInWords() throws {
        func words(_ json: String) throws -> String? {
            try RuleClauseWords.describe(JSONValue(parsing: json)).map { "\($0.zh) / \($0.en)" }
        }
        #expect(try words(#"{"in": [{"var": "household.dibaoEdge"}, [true]]}"#) == "须为低保边缘家庭 / must be a household just above the dibao line")
        #expect(try words(#"{"in": [{"var": "household.employed"}, [false]]}"#) == "须不是在职 / must not be employed")
        #expect(try words(#"{"in": [{"var": "holder.level"}, [1, 2]]}"#) == "残疾等级须为一级、二级 / the level must be 1 or 2")
        #expect(try words(#"{"===": [{"var": "holder.category"}, 6]}"#) == "残疾类别须为精神残疾 / the category must be mental")
        #expect(try words(#"{"<=": [0, {"var": "holder.age"}, 18]}"#) == "年龄须在 0—18 周岁 / age must be 0–18")
        #expect(try words(#"{">=": [{"var": "holder.age"}, 16]}"#) == "年龄须满 16 周岁 / age must be at least 16")
        #expect(try words(#"{"if": [{"in": [{"var": "holder.level"}, [1, 2]]}, true, {"and": [{"in": [{"var": "holder.category"}, [5, 6]]}, {"in": [{"var": "holder.level"}, [3, 4]]}]}]}"#)
                == "残疾等级须为一级、二级；或残疾类别须为智力残疾、精神残疾，且残疾等级须为三级、四级 / the level must be 1 or 2; or the category must be intellectual or mental, and the level must be 3 or 4")
        #expect(try words(#"{"if": [true, true, false]}"#) == nil)
        #expect(try words(#"{"in": [{"var": "household.unknownFact"}, [true]]}"#) == nil)
    }
}

/// Statutory retirement ages and the 2025 reform (全国人大常委会关于实施渐进式延迟法定退休年龄的决定).
@Suite("Working age follows the statutory retirement ages")
struct RetirementAgeTests {
    static func date(_ text: String) throws -> CivilDate { try CivilDate(text) }

    @Test("before the reform: men 60, women workers 50, women cadres 55")
    func beforeTheReform() throws {
        #expect(RetirementAge.months(bornOn: try Self.date("1964-12-31"), track: .man) == 720)
        #expect(RetirementAge.months(bornOn: try Self.date("1974-12-01"), track: .womanWorker) == 600)
        #expect(RetirementAge.months(bornOn: try Self.date("1969-12-01"), track: .womanCadre) == 660)
    }

    @Test("the reform: one month per four (men, cadres) or two (women workers) months of birth, capped")
    func theReform() throws {
        #expect(RetirementAge.months(bornOn: try Self.date("1965-01-10"), track: .man) == 721)
        #expect(RetirementAge.months(bornOn: try Self.date("1965-05-01"), track: .man) == 722)
        #expect(RetirementAge.months(bornOn: try Self.date("1976-12-01"), track: .man) == 756, "63 at most")
        #expect(RetirementAge.months(bornOn: try Self.date("1975-01-01"), track: .womanWorker) == 601)
        #expect(RetirementAge.months(bornOn: try Self.date("1975-03-01"), track: .womanWorker) == 602)
        #expect(RetirementAge.months(bornOn: try Self.date("1984-12-01"), track: .womanWorker) == 660, "55 at most")
        #expect(RetirementAge.months(bornOn: try Self.date("1970-01-01"), track: .womanCadre) == 661)
    }

    @Test("working age: from 16 to the day before the statutory age")
    func workingAge() throws {
        let on = try Self.date("2026-12-01")
        #expect(!RetirementAge.isWorkingAge(bornOn: try Self.date("2010-12-02"), sex: "male", on: on), "15")
        #expect(RetirementAge.isWorkingAge(bornOn: try Self.date("2010-12-01"), sex: "male", on: on), "16 today")
        // A woman worker born 1975-06: 50 years and 3 months.
        #expect(RetirementAge.isWorkingAge(bornOn: try Self.date("1976-09-15"), sex: "female", on: on))
        #expect(!RetirementAge.isWorkingAge(bornOn: try Self.date("1975-06-15"), sex: "female", on: on), "51 and 5 months")
        // A man born 1966-03 retires at 60 and 4 months (14 months after 1965-01: +4); he is 60 and 9.
        #expect(!RetirementAge.isWorkingAge(bornOn: try Self.date("1966-03-01"), sex: "male", on: on))
        // Born 1966-08: retires at 60 and 5 months; he is 60 and 4.
        #expect(RetirementAge.isWorkingAge(bornOn: try Self.date("1966-08-01"), sex: "male", on: on))
    }
}
