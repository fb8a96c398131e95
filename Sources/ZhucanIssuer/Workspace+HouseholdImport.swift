import Foundation
import ZhucanCatalogue
import ZhucanIdentifiers
import ZhucanRegistry
import ZhucanSpreadsheet

extension Workspace {
    /// The columns a household-facts file may have besides the ID: one per fact, headed by
    /// its catalogue key (`dibaoEdge`), its Chinese name (低保边缘) or the fact in full (低保边缘家庭).
    package static var householdColumns: [PersonListFile.Column] {
        HouseholdFact.allCases.map {
            PersonListFile.Column(key: $0.rawValue, chineseName: $0.columnName, otherNames: [$0.words.zh], kind: .flag)
        }
    }

    /// What a household-facts row must keep across its columns: a household is 低保 or
    /// 低保-edge, not both (`HouseholdFact.withExclusions`). A file is refused with such a
    /// row named among its other faults.
    package static var householdRules: [PersonListFile.RowRule] {
        [PersonListFile.RowRule(
            keys: [HouseholdFact.dibao.rawValue, HouseholdFact.dibaoEdge.rawValue],
            zh: "同时为“是”：一户是低保或低保边缘，不能兼有", en: "both 是: a household is 低保 or 低保-edge, not both",
            holds: { HouseholdFact.withExclusions(flags(of: $0)) != nil }
        )]
    }

    /// A row's 是/否 cells, by column key.
    private static func flags(of values: [String: PersonListFile.Value]) -> [String: Bool] {
        values.compactMapValues { value in if case .flag(let flag) = value { flag } else { nil } }
    }

    /// What an import of household facts changed.
    package struct HouseholdImportReport: Sendable {
        /// Rows read (people).
        package var people = 0
        /// Fact values recorded.
        package var facts = 0
        /// People without a live certificate: their facts are kept for when they have one.
        package var withoutCertificate = 0
        /// Per benefit (catalogue order): holders newly entitled, and no longer entitled.
        package var changes: [(service: CatalogueService, gained: Int, lost: Int)] = []
        /// The catalogue judged against.
        package var catalogueVersion = ""
    }

    /// Records the facts of a checked file (all rows valid: the caller refuses a file with
    /// problems) in one transaction, then re-judges everyone it touched on `date` and records
    /// the entitlements gained and lost.
    ///
    /// Newly entitled means entitled with the new facts and not with the old ones, on the
    /// same date and catalogue: exactly what the import changed.
    package func importHouseholdFacts(_ file: PersonListFile, source: String, asOf: CivilDate, on date: CivilDate, now: Int64) throws -> HouseholdImportReport {
        let source = try Self.loggedText(source, ("来源", "the source (--source)"))
        guard file.problems.isEmpty else {
            throw IssuerError(.invalidInput, "文件有 \(file.problems.count) 行有错，未写入任何数据 / the file has \(file.problems.count) invalid rows; nothing was recorded")
        }
        // A household recorded as both 低保 and 低保-edge is a mistake in the extract: refused,
        // naming its rows, before anything is written. A file read with `householdRules` has
        // such rows among its problems already.
        for rule in Self.householdRules {
            let broken = file.rows.filter { !rule.holds($0.values) }.map(\.line)
            guard broken.isEmpty else {
                let lines = Self.rowList(broken)
                throw IssuerError(.invalidInput, "第 \(lines) 行：\(rule.zh)，未写入任何数据 / row \(lines): \(rule.en); nothing was recorded")
            }
        }
        let catalogue = try catalogueInForce(on: date)
        let oldFacts = try Self.wrap { try registry.allHouseholdFacts() }
        var judge = EntitlementJudge(catalogue: catalogue, date: date)
        let today = CivilDate.today()
        var report = HouseholdImportReport(people: file.rows.count, catalogueVersion: catalogue.version)
        var gainedCount = [String: Int](), lostCount = [String: Int]()
        var gained = [String: [String]](), lost = [String: [String]]()
        var lists = ServiceListPool()
        var rows = [Registry.FactRow]()
        rows.reserveCapacity(file.rows.count)
        // The people's live certificates are looked up a chunk of rows at a time: a million
        // live certificates held at once had been about a gigabyte.
        var live: [String: StoredCertificate] = [:]
        for (index, row) in file.rows.enumerated() {
            if index % Self.importChunkSize == 0 {
                let chunk = file.rows[index..<min(index + Self.importChunkSize, file.rows.count)]
                live = try Self.wrap { try registry.liveCertificates(citizenIDs: chunk.map(\.citizenID.value)) }
            }
            var facts = [String: Bool]()
            for (key, value) in row.values {
                if case .flag(let flag) = value { facts[key] = flag }
            }
            report.facts += facts.count
            facts = HouseholdFact.withExclusions(facts) ?? facts
            let citizenID = row.citizenID.value
            rows.append(Registry.FactRow(citizenID: citizenID, facts: facts))
            // Only an active certificate's holder is judged (a suspended one is entitled to
            // nothing until reinstated).
            guard let certificate = live[citizenID] else {
                report.withoutCertificate += 1
                continue
            }
            guard certificate.state == .active else { continue }
            let before = oldFacts[citizenID] ?? [:]
            let after = before.merging(facts) { _, new in new }
            guard after != before else { continue }
            let was = Set(judge.entitledBenefits(try holderFacts(certificate, household: before, today: today)))
            let now = Set(judge.entitledBenefits(try holderFacts(certificate, household: after, today: today)))
            let new = now.subtracting(was).sorted(), gone = was.subtracting(now).sorted()
            for service in new { gainedCount[service, default: 0] += 1 }
            for service in gone { lostCount[service, default: 0] += 1 }
            if !new.isEmpty { gained[citizenID] = lists.shared(new) }
            if !gone.isEmpty { lost[citizenID] = lists.shared(gone) }
        }
        try Self.wrap {
            try registry.importHouseholdFacts(rows, source: source, asOf: asOf.description, gained: gained, lost: lost, at: now)
        }
        report.changes = judge.benefitIndices.map { index in
            let service = catalogue.services[index]
            return (service, gainedCount[service.id] ?? 0, lostCount[service.id] ?? 0)
        }
        return report
    }

    /// The first 20 of `lines`, as an error names the rows at fault.
    static func rowList(_ lines: [Int]) -> String {
        lines.prefix(20).map(String.init).joined(separator: ", ") + (lines.count > 20 ? ", …" : "")
    }

    /// Rows of an import whose certificates are looked up at once.
    static let importChunkSize = 4_096

    /// The columns of a deliveries file besides the ID: the date (default: the import's) and
    /// the amount paid.
    package static let deliveryColumns: [PersonListFile.Column] = [
        PersonListFile.Column(key: "date", chineseName: "发放日期", kind: .date),
        PersonListFile.Column(key: "amount", chineseName: "金额", kind: .amount),
    ]

    /// What an import of deliveries recorded.
    package struct DeliveryImportReport: Sendable {
        /// The service.
        package var service: CatalogueService
        /// Rows read.
        package var rows = 0
        /// Rows recorded now (the others were recorded before: same person, service and day).
        package var recorded = 0
        /// People in the file without a live certificate.
        package var withoutCertificate = 0
        /// The total amount of the file, in fen.
        package var amountFen: Int64 = 0
    }

    /// Records that the people of a checked file received benefit `serviceID` (paid or
    /// delivered outside the QR flow), on the row's date or `date`: a benefit of the catalogue
    /// edition in force on that day.
    package func importDeliveries(_ file: PersonListFile, serviceID: String, source: String, on date: CivilDate, now: Int64) throws -> DeliveryImportReport {
        let source = try Self.loggedText(source, ("来源", "the source (--source)"))
        guard file.problems.isEmpty else {
            throw IssuerError(.invalidInput, "文件有 \(file.problems.count) 行有错，未写入任何数据 / the file has \(file.problems.count) invalid rows; nothing was recorded")
        }
        // A payment dated after today is a mistyped year, not a delivery: it would never count
        // until then, and the holder would stay "not served".
        let today = ChinaTime.date(of: now)
        guard date <= today else {
            throw IssuerError(.invalidInput, "发放日期 \(date) 晚于今天（\(today)），未写入任何数据 / the delivery date \(date) is after today (\(today)); nothing was recorded")
        }
        let future = file.rows.filter { row in
            if case .date(let given)? = row.values["date"] { given > today } else { false }
        }.map(\.line)
        guard future.isEmpty else {
            let lines = Self.rowList(future)
            throw IssuerError(.invalidInput, "第 \(lines) 行的发放日期晚于今天（\(today)），未写入任何数据 / row \(lines): delivered after today (\(today)); nothing was recorded")
        }
        // Each row by the edition in force on its own day: December's payments, imported in
        // January, were made under December's catalogue, which has ended by then.
        func day(of row: PersonListFile.Row) -> CivilDate {
            if case .date(let given)? = row.values["date"] { given } else { date }
        }
        let editions = try catalogues().map(\.catalogue)
        guard !editions.isEmpty else { throw Self.noCataloguePublished }
        var service: CatalogueService?
        for (rowDay, rows) in Dictionary(grouping: file.rows, by: day(of:)).sorted(by: { $0.key < $1.key }) {
            guard let catalogue = editions.inForce(on: rowDay) else {
                let lines = Self.rowList(rows.map(\.line))
                throw IssuerError(.invalidInput, "第 \(lines) 行：\(rowDay) 没有生效的服务目录，未写入任何数据 / row \(lines): no published catalogue is in force on \(rowDay); nothing was recorded")
            }
            guard let found = catalogue.service(serviceID) else {
                throw IssuerError(.notFound, "目录 \(catalogue.version) 中没有事项 \"\(serviceID)\" / no service \"\(serviceID)\" in catalogue \(catalogue.version) (zhucan catalogue list)")
            }
            guard found.kind == .benefit else {
                throw IssuerError(.invalidInput, "\(serviceID) 是证件办理事项，不是待遇 / \(serviceID) is a procedure on the certificate, not a benefit that is delivered")
            }
            service = found
        }
        guard let service else {
            throw IssuerError(.invalidInput, "文件没有数据行 / the file has no rows")
        }
        var live = Set<String>()
        try Self.wrap { try registry.forEachCertificate(in: [.active, .suspended]) { live.insert($0.citizenID) } }
        var report = DeliveryImportReport(service: service, rows: file.rows.count)
        let rows = file.rows.map { row -> Registry.DeliveryRow in
            var amount: Int64?
            if case .amount(let fen)? = row.values["amount"] { amount = fen }
            report.amountFen += amount ?? 0
            if !live.contains(row.citizenID.value) { report.withoutCertificate += 1 }
            return Registry.DeliveryRow(citizenID: row.citizenID.value, deliveredOn: day(of: row).description, amountFen: amount)
        }
        report.recorded = try Self.wrap { try registry.recordDeliveries(rows, service: serviceID, source: source, at: now) }
        return report
    }

    /// Replaces the roster of certified persons (the denominator of the electronic-certificate
    /// share) with the people of a checked file.
    package func importRoster(_ file: PersonListFile, source: String, asOf: CivilDate, now: Int64) throws -> Int {
        let source = try Self.loggedText(source, ("来源", "the source (--source)"))
        guard file.problems.isEmpty else {
            throw IssuerError(.invalidInput, "文件有 \(file.problems.count) 行有错，未写入任何数据 / the file has \(file.problems.count) invalid rows; nothing was recorded")
        }
        try Self.wrap { try registry.replaceRoster(file.rows.map(\.citizenID.value), source: source, asOf: asOf.description, at: now) }
        return file.rows.count
    }
}
