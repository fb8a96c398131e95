import ZhucanCatalogue
import ZhucanIdentifiers
import ZhucanRegistry

extension Workspace {
    /// A holder entitled to a benefit and not yet served: someone for staff to contact.
    package struct Discovery: Sendable {
        /// The holder's certificate (unmasked: the list is for the issuer's own staff).
        package let certificate: StoredCertificate
        /// The benefit.
        package let service: CatalogueService
        /// Since when the holder has been judged entitled, seconds since the epoch.
        package let since: Int64
    }

    /// Proactive discovery (主动推送): judges every active holder on `date`, records since when
    /// each entitlement holds (an entitlement first seen now is new now), and lists the
    /// holders entitled since `since` (all when `nil`) and not yet served, by benefit in
    /// catalogue order, then by date.
    ///
    /// - Parameter serviceID: one benefit only.
    /// - Throws: `notFound` for an unknown service, `invalidInput` for a procedure.
    package func discover(on date: CivilDate, since: Int64?, serviceID: String?, now: Int64) throws -> (catalogue: Catalogue, found: [Discovery]) {
        let catalogue = try catalogueInForce(on: date)
        if let serviceID {
            guard let service = catalogue.service(serviceID) else {
                throw IssuerError(.notFound, "目录 \(catalogue.version) 中没有事项 \"\(serviceID)\" / no service \"\(serviceID)\" in catalogue \(catalogue.version) (zhucan catalogue list)")
            }
            guard service.kind == .benefit else {
                throw IssuerError(.invalidInput, "\(serviceID) 是证件办理事项，不是待遇 / \(serviceID) is a procedure on the certificate, not a benefit")
            }
        }
        let certificates = try Self.wrap { try registry.allCertificates(in: [.active]) }
        let household = try Self.wrap { try registry.allHouseholdFacts() }
        let recorded = try Self.wrap { try registry.entitlementsSince() }
        let served = try servedByService()
        var judge = EntitlementJudge(catalogue: catalogue, date: date)
        let today = CivilDate.today()

        var current = [String: Set<String>]()
        for certificate in certificates {
            current[certificate.citizenID] = Set(judge.entitledBenefits(try holderFacts(certificate, household: household[certificate.citizenID] ?? [:], today: today)))
        }
        var gained = [String: [String]](), lost = [String: [String]]()
        for (citizenID, services) in current {
            let known = Set(recorded[citizenID]?.keys.map { $0 } ?? [])
            let new = services.subtracting(known)
            if !new.isEmpty { gained[citizenID] = Array(new) }
        }
        for (citizenID, services) in recorded {
            let gone = Set(services.keys).subtracting(current[citizenID] ?? [])
            if !gone.isEmpty { lost[citizenID] = Array(gone) }
        }
        if !gained.isEmpty || !lost.isEmpty {
            try Self.wrap { try registry.recordEntitlementChanges(gained: gained, lost: lost, at: now) }
        }

        var found = [Discovery]()
        let order = Dictionary(uniqueKeysWithValues: catalogue.services.enumerated().map { ($1.id, $0) })
        for certificate in certificates {
            for id in current[certificate.citizenID] ?? [] {
                if let serviceID, id != serviceID { continue }
                let entitledSince = recorded[certificate.citizenID]?[id] ?? now
                if let since, entitledSince < since { continue }
                if served[id]?.isServed(certificate) == true { continue }
                guard let index = order[id] else { continue }
                found.append(Discovery(certificate: certificate, service: catalogue.services[index], since: entitledSince))
            }
        }
        found.sort { a, b in
            let (ia, ib) = (order[a.service.id] ?? 0, order[b.service.id] ?? 0)
            if ia != ib { return ia < ib }
            if a.since != b.since { return a.since < b.since }
            return a.certificate.number < b.certificate.number
        }
        return (catalogue, found)
    }

    /// Records in the log that a list of people was exported: who, for what, how many.
    package func recordExport(by actor: String, purpose: String, rows: Int, now: Int64) throws {
        try Self.wrap { try registry.recordExport(by: actor, purpose: purpose, rows: rows, at: now) }
        try signCheckpoint(now: now)
    }
}
