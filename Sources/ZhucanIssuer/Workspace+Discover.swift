import ZhucanCatalogue
import ZhucanIdentifiers
import ZhucanRegistry

extension Workspace {
    /// A holder entitled to a benefit and not yet served: someone for staff to contact.
    package struct Discovery: Sendable {
        /// The holder (unmasked: the list is for the issuer's own staff).
        package let holder: DiscoveredHolder
        /// The benefit.
        package let service: CatalogueService
        /// Since when the holder has been judged entitled, seconds since the epoch.
        package let since: Int64
    }

    /// What a list of discoveries shows of a holder, from their active certificate.
    package struct DiscoveredHolder: Sendable {
        package let number: String
        package let name: String
        package let citizenID: String
        package let region: String
        package let category: Int
        package let level: Int
        package let socialSecurityCard: String?

        init(_ certificate: StoredCertificate) {
            number = certificate.number
            name = certificate.name
            citizenID = certificate.citizenID
            region = certificate.region
            category = certificate.category
            level = certificate.level
            socialSecurityCard = certificate.socialSecurityCard
        }
    }

    /// The holders entitled to a benefit and not yet served, by benefit in catalogue order,
    /// then by date, then by certificate number.
    ///
    /// A first discovery over a million holders lists some fifteen million: each is 16 bytes
    /// here (the benefit's and the holder's positions, and the date), each holder kept once,
    /// and a ``Discovery`` is made only when read.
    package struct DiscoveryList: RandomAccessCollection, Sendable {
        struct Entry: Sendable {
            var service: Int32
            var holder: Int32
            var since: Int64
        }

        /// The catalogue judged by.
        package let catalogue: Catalogue
        let holders: [DiscoveredHolder]
        let entries: [Entry]

        package var startIndex: Int { entries.startIndex }
        package var endIndex: Int { entries.endIndex }

        package subscript(position: Int) -> Discovery {
            let entry = entries[position]
            return Discovery(holder: holders[Int(entry.holder)], service: catalogue.services[Int(entry.service)], since: entry.since)
        }

        /// How many the list names per benefit, by service id.
        package var countsByService: [String: Int] {
            var counts = [String: Int]()
            for entry in entries {
                counts[catalogue.services[Int(entry.service)].id, default: 0] += 1
            }
            return counts
        }
    }

    /// Proactive discovery (主动推送): judges every active holder on `date`, records since when
    /// each entitlement holds (an entitlement first seen now is new now), and lists the
    /// holders entitled since `since` (all when `nil`) and not yet served, by benefit in
    /// catalogue order, then by date.
    ///
    /// Only a discovery of today (China time) is recorded. One of another day is a what-if: it
    /// records nothing, and an entitlement not recorded is shown as holding from that day.
    /// (Recorded, a day to come stamped its entitlements with today's date, and a day past
    /// dropped everyone certified since; the next discovery of today undid either, and the
    /// dates were lost.)
    ///
    /// - Parameter serviceID: one benefit only.
    /// - Throws: `notFound` for an unknown service, `invalidInput` for a procedure.
    /// - Parameter redemptions: as for ``coverage(on:redemptions:)``.
    package func discover(
        on date: CivilDate, since: Int64?, serviceID: String?, now: Int64, redemptions: [String: Set<String>]? = nil
    ) throws -> DiscoveryList {
        let catalogue = try catalogueInForce(on: date)
        if let serviceID {
            guard let service = catalogue.service(serviceID) else {
                throw IssuerError(.notFound, "目录 \(catalogue.version) 中没有事项 \"\(serviceID)\" / no service \"\(serviceID)\" in catalogue \(catalogue.version) (zhucan catalogue list)")
            }
            guard service.kind == .benefit else {
                throw IssuerError(.invalidInput, "\(serviceID) 是证件办理事项，不是待遇 / \(serviceID) is a procedure on the certificate, not a benefit")
            }
        }
        let household = try Self.wrap { try registry.allHouseholdFacts() }
        let served = try servedByService(through: date, redemptions: redemptions)
        var judge = EntitlementJudge(catalogue: catalogue, date: date)
        let today = CivilDate.today()
        let isWhatIf = date != ChinaTime.date(of: now)
        let newSince = isWhatIf ? ChinaTime.startOfDay(date) : now
        let order = Dictionary(uniqueKeysWithValues: catalogue.services.enumerated().map { ($1.id, $0) })

        // What was recorded, by person: since when, by service. A service the catalogue no
        // longer has is numbered after its own (it is lost by everyone). Numbers, not names:
        // a million holders have some fifteen million entitlements.
        var serviceIDs = catalogue.services.map(\.id)
        var recorded: [String: [(service: Int, since: Int64)]] = [:]
        try Self.wrap {
            var extra: [String: Int] = [:]
            try registry.forEachEntitlement { citizenID, service, since in
                let index = order[service] ?? extra[service] ?? {
                    serviceIDs.append(service)
                    extra[service] = serviceIDs.count - 1
                    return serviceIDs.count - 1
                }()
                recorded[citizenID, default: []].append((index, since))
            }
        }

        // Each active holder judged once: what they gained and lost since the last discovery,
        // and what they are owed and have not received.
        var gained = [String: [String]](), lost = [String: [String]]()
        var lists = ServiceListPool()
        func serviceList(_ indices: [Int]) -> [String] {
            lists.shared(indices.map { serviceIDs[$0] })
        }
        var holders = [DiscoveredHolder]()
        var entries = [DiscoveryList.Entry]()
        try Self.wrap {
            try registry.forEachCertificate(in: [.active]) { certificate in
                // Out of its validity on `date`, a certificate entitles to nothing: what was
                // recorded for its holder is lost, as for a holder with no certificate.
                guard certificate.isInForce(on: date) else { return }
                let facts = try holderFacts(certificate, household: household[certificate.citizenID] ?? [:], today: today)
                let entitled = judge.entitled(facts)
                let current = judge.benefitIndices.filter { entitled[$0] }
                // Taken out as judged (one active certificate per person): what remains belongs
                // to people without one.
                let known = recorded.removeValue(forKey: certificate.citizenID) ?? []
                let new = current.filter { index in !known.contains { $0.service == index } }
                let gone = known.filter { !current.contains($0.service) }
                if !new.isEmpty { gained[certificate.citizenID] = serviceList(new) }
                if !gone.isEmpty { lost[certificate.citizenID] = serviceList(gone.map(\.service)) }
                let listed = entries.count
                for index in current {
                    let service = catalogue.services[index]
                    if let serviceID, service.id != serviceID { continue }
                    let entitledSince = known.first { $0.service == index }?.since ?? newSince
                    if let since, entitledSince < since { continue }
                    if served[service.id]?.isServed(certificate) == true { continue }
                    entries.append(.init(service: Int32(index), holder: Int32(holders.count), since: entitledSince))
                }
                if entries.count > listed { holders.append(DiscoveredHolder(certificate)) }
            }
        }
        // Whoever has no active certificate any more is entitled to nothing.
        for (citizenID, known) in recorded {
            lost[citizenID] = serviceList(known.map(\.service))
        }
        if !isWhatIf, !gained.isEmpty || !lost.isEmpty {
            try Self.wrap { try registry.recordEntitlementChanges(gained: gained, lost: lost, at: now) }
        }

        // Holders in the order of their numbers, so that entries compare as integers.
        let byNumber = holders.indices.sorted { holders[$0].number < holders[$1].number }
        var rank = [Int32](repeating: 0, count: holders.count)
        for (position, holder) in byNumber.enumerated() { rank[holder] = Int32(position) }
        for index in entries.indices { entries[index].holder = rank[Int(entries[index].holder)] }
        entries.sort { a, b in
            if a.service != b.service { return a.service < b.service }
            if a.since != b.since { return a.since < b.since }
            return a.holder < b.holder
        }
        return DiscoveryList(catalogue: catalogue, holders: byNumber.map { holders[$0] }, entries: entries)
    }

    /// Records in the log that a list of people was exported: who, for what, how many.
    /// - Throws: `IssuerError.invalidInput` for a `by` or `purpose` that ``loggedText(_:_:)`` refuses.
    package func recordExport(by actor: String, purpose: String, rows: Int, now: Int64) throws {
        let actor = try Self.loggedText(actor, ("导出人", "--by (who exports)"))
        let purpose = try Self.loggedText(purpose, ("用途", "--purpose"))
        try Self.wrap { try registry.recordExport(by: actor, purpose: purpose, rows: rows, at: now) }
        try signCheckpoint(now: now)
    }
}
