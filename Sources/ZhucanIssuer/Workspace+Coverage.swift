import ZhucanCatalogue
import ZhucanIdentifiers

extension Workspace {
    /// For one service: who is entitled, and who of them has not received it.
    package struct ServiceCoverage: Sendable {
        /// The service.
        package let service: CatalogueService
        /// Holders entitled on the date.
        package var entitled = 0
        /// Of those, holders with a recorded redemption of this service.
        package var served = 0
        /// Entitled holders not yet served, by their certificates' e-license identifiers
        /// (GB/T 36904): a reference the issuer's staff can follow up in the registry, which names
        /// neither the person nor the disability. (A masked certificate number cannot be
        /// followed up: it keeps only the first four characters.)
        package var unserved: [String] = []
    }

    /// The proactive-discovery report (主动感知): for every benefit of the current catalogue,
    /// how many active holders are entitled on `date`, how many have received it, and who has
    /// not — by e-license identifier. Procedures on the certificate are left out.
    ///
    /// Rules are evaluated once per distinct set of facts (category, level, age, region, sex,
    /// household), not once per holder, so a registry of 100,000 holders takes seconds.
    package func coverage(on date: CivilDate) throws -> (catalogue: Catalogue, services: [ServiceCoverage]) {
        let catalogue = try catalogueInForce(on: date)
        let certificates = try Self.wrap { try registry.allCertificates() }.filter { $0.state == .active }
        let household = try Self.wrap { try registry.allHouseholdFacts() }
        let served = try Self.wrap { try registry.redemptionsByService() }
        // Benefits only: procedures on the certificate (renewal, cancellation …) are offered,
        // not owed, and nobody is "unserved" for not having used one.
        let benefits = catalogue.services.indices.filter { catalogue.services[$0].kind == .benefit }
        var report = benefits.map { ServiceCoverage(service: catalogue.services[$0]) }
        var cache: [HolderFacts: [Bool]] = [:]
        for certificate in certificates {
            let facts = try holderFacts(certificate, household: household[certificate.citizenID] ?? [:])
            // Age, not birth date, is what rules see: key the cache on the rule input.
            var key = facts
            key.birthDate = (try? CivilDate(year: date.year - facts.birthDate.age(on: date), month: 1, day: 1)) ?? facts.birthDate
            let entitled = cache[key] ?? catalogue.entitlements(for: facts, on: date).map(\.isEntitled)
            cache[key] = entitled
            for (index, service) in benefits.enumerated() where entitled[service] {
                report[index].entitled += 1
                if served[report[index].service.id]?.contains(certificate.licenseID) == true {
                    report[index].served += 1
                } else {
                    report[index].unserved.append(certificate.licenseID)
                }
            }
        }
        return (catalogue, report)
    }
}
