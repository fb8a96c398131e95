import ZhucanCatalogue
import ZhucanIdentifiers
import ZhucanRegistry

extension Workspace {
    /// The plan's figures on a date, each beside its target (``PlanTargets``).
    package struct PlanReport: Sendable {
        /// A ratio with its target.
        package struct Figure: Sendable {
            package var numerator: Int
            package var denominator: Int
            /// The target in percent and the plan's words, when the plan sets one.
            package var target: PlanTargets.Target?

            package init(numerator: Int, denominator: Int, target: PlanTargets.Target?) {
                self.numerator = numerator
                self.denominator = denominator
                self.target = target
            }

            /// The percentage, or `nil` when the denominator is 0 or unknown.
            package var percent: Double? {
                denominator > 0 ? 100 * Double(numerator) / Double(denominator) : nil
            }

            /// Whether the figure meets its target (`nil` without a target or a percentage).
            package var meetsTarget: Bool? {
                guard let target, let percent else { return nil }
                return percent + 1e-9 >= target.atLeast
            }
        }

        package let date: CivilDate
        package let catalogueVersion: String
        package let targets: PlanTargets
        /// Certified persons holding an active electronic certificate ÷ certified persons.
        package var eCertificateShare: Figure
        /// Where the denominator comes from: `roster` (with its source and date), `configured`
        /// or `none`.
        package var certifiedPersonsSource: String
        /// The plan's benefit items carried by benefits of the catalogue in force ÷ items.
        package var catalogueCoverage: Figure
        /// The plan's items no benefit of the catalogue carries.
        package var missingItems: [PlanTargets.Item]
        /// Employed ÷ active holders of working age: the recorded `olderThanWorkingAge` when
        /// there is one, as the catalogue's rules read it, else the statutory retirement ages.
        package var employmentRate: Figure
        /// Working-age holders whose employment is not recorded (counted as not employed).
        package var employmentUnknown: Int
        /// Employed ÷ active holders recorded as this year's college graduates.
        package var graduateEmploymentRate: Figure
        /// Entitled → served for every benefit, with the plan's target where it sets one.
        package var services: [(coverage: ServiceCoverage, target: PlanTargets.ServiceTarget?)]
    }

    /// The plan's figures on `date`, over the holders of the catalogue's region (a holder
    /// registered elsewhere is another plan's).
    ///
    /// - Parameters:
    ///   - certifiedPersons: the number of certified persons, when no roster is imported (or to
    ///     override it).
    ///   - redemptions: as for ``coverage(on:redemptions:)``.
    /// - Throws: `IssuerError.invalidInput` when `certifiedPersons` is fewer than the region's
    ///   holders of an active certificate, who are certified persons all.
    package func planReport(on date: CivilDate, certifiedPersons: Int?, redemptions: [String: Set<String>]? = nil) throws -> PlanReport {
        let targets = PlanTargets.pinghu
        let (catalogue, coverage) = try self.coverage(on: date, redemptions: redemptions)
        // The region's active holders, one certificate at a time: who they are, and of those of
        // working age, who is known to be employed.
        let household = try Self.wrap { try registry.allHouseholdFacts() }
        var activeIDs = Set<String>()
        var workingAge = 0, employed = 0, unknown = 0, graduates = 0, employedGraduates = 0
        let today = CivilDate.today()
        try Self.wrap {
            try registry.forEachCertificate(in: [.active]) { certificate in
                guard certificate.isInForce(on: date), certificate.region == catalogue.region else { return }
                activeIDs.insert(certificate.citizenID)
                guard let number = try? DisabilityCertificateNumber(certificate.number, asOf: today) else { return }
                let id = number.citizenID
                let facts = household[certificate.citizenID] ?? [:]
                let isEmployed = facts[HouseholdFact.employed.rawValue]
                if facts[HouseholdFact.graduate.rawValue] == true {
                    graduates += 1
                    if isEmployed == true { employedGraduates += 1 }
                }
                // As the rules read working age (`holder.workingAge`, overridden by a recorded fact).
                let isWorkingAge = switch facts[HouseholdFact.olderThanWorkingAge.rawValue] {
                case true?: false
                case false?: id.birthDate.age(on: date) >= 16
                case nil: RetirementAge.isWorkingAge(bornOn: id.birthDate, sex: id.sex == .male ? "male" : "female", on: date)
                }
                guard isWorkingAge else { return }
                workingAge += 1
                switch isEmployed {
                case true?: employed += 1
                case false?: break
                case nil: unknown += 1
                }
            }
        }

        var share = PlanReport.Figure(numerator: activeIDs.count, denominator: 0, target: targets.eCertificateShare)
        var source = "none"
        if let certifiedPersons {
            guard certifiedPersons >= activeIDs.count else {
                throw IssuerError(.invalidInput, """
                    持证人数 \(certifiedPersons) 少于本地区已持电子证照的 \(activeIDs.count) 人 / --certified-persons \(certifiedPersons) \
                    is fewer than the \(activeIDs.count) holders of an active electronic certificate in region \(catalogue.region), \
                    who are all certified persons: give the number of certified persons in the region
                    """)
            }
            share.denominator = certifiedPersons
            source = "configured"
        } else if let roster = try Self.wrap({ try registry.roster() }) {
            share.numerator = roster.citizenIDs.intersection(activeIDs).count
            share.denominator = roster.citizenIDs.count
            source = "roster \(roster.source) \(roster.asOf)"
        }

        let benefits = Set(catalogue.services.filter { $0.kind == .benefit }.map(\.id))
        let carried = targets.items.filter { !$0.services.isEmpty && $0.services.allSatisfy(benefits.contains) }
        let missing = targets.items.filter { item in !carried.contains { $0.zh == item.zh } }

        return PlanReport(
            date: date, catalogueVersion: catalogue.version, targets: targets,
            eCertificateShare: share, certifiedPersonsSource: source,
            catalogueCoverage: PlanReport.Figure(numerator: carried.count, denominator: targets.items.count, target: targets.catalogueCoverage),
            missingItems: missing,
            employmentRate: PlanReport.Figure(numerator: employed, denominator: workingAge, target: targets.employmentRate),
            employmentUnknown: unknown,
            graduateEmploymentRate: PlanReport.Figure(numerator: employedGraduates, denominator: graduates, target: targets.graduateEmploymentRate),
            services: coverage.map { ($0, targets.target(for: $0.service.id)) }
        )
    }
}
