import ZhucanCatalogue
import ZhucanIdentifiers
import ZhucanRegistry

extension Workspace {
    /// For one service: who is entitled, and who of them has not received it.
    package struct ServiceCoverage: Sendable {
        /// The service.
        package let service: CatalogueService
        /// Holders entitled on the date.
        package var entitled = 0
        /// Of those, holders with a redemption of this service or a recorded delivery.
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
    /// Served means a redeemed service code or a delivery recorded by `zhucan served import`
    /// (a subsidy is paid, not redeemed). Rules run once per distinct rule input
    /// (``EntitlementJudge``).
    /// - Parameter redemptions: what `ServiceStore.redemptionsByService(before:)` answers for
    ///   the end of `date`, from the service's store when it is not this registry (PostgreSQL);
    ///   nil reads this registry's.
    package func coverage(on date: CivilDate, redemptions: [String: Set<String>]? = nil) throws -> (catalogue: Catalogue, services: [ServiceCoverage]) {
        let catalogue = try catalogueInForce(on: date)
        let household = try Self.wrap { try registry.allHouseholdFacts() }
        let served = try servedByService(through: date, redemptions: redemptions)
        var judge = EntitlementJudge(catalogue: catalogue, date: date)
        let today = CivilDate.today()
        // Benefits only: procedures on the certificate (renewal, cancellation …) are offered,
        // not owed, and nobody is "unserved" for not having used one.
        var report = judge.benefitIndices.map { ServiceCoverage(service: catalogue.services[$0]) }
        // One certificate at a time: nothing here touches the registry.
        try Self.wrap {
            try registry.forEachCertificate(in: [.active]) { certificate in
                // An active certificate out of its validity on `date` entitles to nothing.
                guard certificate.isInForce(on: date) else { return }
                let entitled = judge.entitled(try holderFacts(certificate, household: household[certificate.citizenID] ?? [:], today: today))
                for (index, service) in judge.benefitIndices.enumerated() where entitled[service] {
                    report[index].entitled += 1
                    if served[report[index].service.id]?.isServed(certificate) == true {
                        report[index].served += 1
                    } else {
                        report[index].unserved.append(certificate.licenseID)
                    }
                }
            }
        }
        return (catalogue, report)
    }

    /// Who received each service by the end of a day: by a redeemed service code (the
    /// certificate's e-license identifier) or a recorded delivery (the person's citizen ID), by
    /// service id. What came later does not count for that day.
    struct Served {
        var licenseIDs: Set<String> = []
        var citizenIDs: Set<String> = []

        func isServed(_ certificate: StoredCertificate) -> Bool {
            licenseIDs.contains(certificate.licenseID) || citizenIDs.contains(certificate.citizenID)
        }
    }

    func servedByService(through date: CivilDate, redemptions: [String: Set<String>]?) throws -> [String: Served] {
        var served: [String: Served] = [:]
        for (service, licenseIDs) in try redemptions ?? Self.wrap({ try registry.redemptionsByService(before: ChinaTime.startOfDay(after: date)) }) {
            served[service, default: Served()].licenseIDs = licenseIDs
        }
        for (service, citizenIDs) in try Self.wrap({ try registry.deliveriesByService(through: date.description) }) {
            served[service, default: Served()].citizenIDs = citizenIDs
        }
        return served
    }
}
