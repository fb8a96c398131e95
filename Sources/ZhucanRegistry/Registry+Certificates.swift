import Foundation
import GRDB
import ZhucanServiceStore
import ZhucanTransparency

extension Registry {
    /// Numbers reserved for one certificate before it is signed.
    package struct Reservation: Sendable, Hashable {
        /// Its index in the status list.
        package let statusIndex: Int64
        /// Its e-license serial counter value.
        package let serialNumber: Int64
    }

    /// Reserves `count` status indexes and serial numbers, handed to no one else: a crash
    /// leaves them unused, never used twice. The next issuance under the workspace's lock
    /// takes back those past the last stored certificate (`reclaimReservations`).
    package func reserve(_ count: Int) throws -> [Reservation] {
        guard count > 0 else { return [] }
        return try write { db in
            let index = try Self.advance(db, counter: "status_index", by: count)
            let serial = try Self.advance(db, counter: "license_serial", by: count)
            return (0..<Int64(count)).map { Reservation(statusIndex: index + $0, serialNumber: serial + $0) }
        }
    }

    /// Stores newly issued certificates, each with its issuance event, in one transaction;
    /// a certificate with `supersedes` replaces that live certificate (state `superseded`).
    /// Certificates that replace none are inserted several to a statement
    /// (`BoundInsert.rowsPerStatement`).
    /// - Throws: `RegistryError.conflict` if a person would have two live certificates.
    package func storeIssued(_ certificates: [(certificate: StoredCertificate, supersedes: Int64?)], reason: String? = nil) throws -> [Int64] {
        // The certificates' events and log entries name them by the row ids this transaction
        // reads back as it inserts them: there is no foreign key to check.
        try write(checkingForeignKeys: false) { db in
            var ids: [Int64] = []
            ids.reserveCapacity(certificates.count)
            var insertCertificates = BoundInsert.Cache(
                table: "certificate",
                columns: """
                    number, license_id, license_serial, citizen_id, name, category, level, region,
                    ssc_card, valid_from, valid_until, status_index, state, code, kid, issued_at
                    """,
                values: "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)"
            )
            var events = EventRecorder(db)
            // Runs of certificates that replace none, and each one that does on its own.
            var start = certificates.startIndex
            while start < certificates.endIndex {
                let supersedes = certificates[start].supersedes
                var end = start + 1
                while supersedes == nil, end < certificates.endIndex, end - start < BoundInsert.rowsPerStatement,
                      certificates[end].supersedes == nil {
                    end += 1
                }
                let group = certificates[start..<end].map(\.certificate)
                start = end
                if let supersedes {
                    try db.execute(
                        sql: "UPDATE certificate SET state = 'superseded' WHERE id = ? AND state IN ('active', 'suspended')",
                        arguments: [supersedes]
                    )
                    guard db.changesCount == 1 else {
                        throw RegistryError(.invalidTransition, "the certificate to supersede is not live")
                    }
                }
                let groupIDs = try insertCertificates.run(db, rows: group.count) { row in
                    for certificate in group {
                        row.bind(certificate.number); row.bind(certificate.licenseID); row.bind(certificate.licenseSerial)
                        row.bind(certificate.citizenID); row.bind(certificate.name); row.bind(Int64(certificate.category))
                        row.bind(Int64(certificate.level)); row.bind(certificate.region); row.bind(certificate.socialSecurityCard)
                        row.bind(certificate.validFrom); row.bind(certificate.validUntil); row.bind(certificate.statusIndex)
                        row.bind(certificate.code); row.bind(certificate.keyID); row.bind(certificate.issuedAt)
                    }
                }
                var recorded: [EventRecorder.Event] = []
                var supersededLicense: String?
                if let supersedes, let id = groupIDs.first, let certificate = group.first {
                    try db.execute(sql: "UPDATE certificate SET superseded_by = ? WHERE id = ?", arguments: [id, supersedes])
                    let old = try Self.licenseID(db, certificateID: supersedes)
                    supersededLicense = old
                    recorded.append(EventRecorder.Event(
                        certificateID: supersedes, kind: "superseded", reason: reason, at: certificate.issuedAt,
                        log: LogRecord(event: .superseded, at: certificate.issuedAt, licenseID: old,
                                       otherLicenseID: certificate.licenseID, reason: reason)
                    ))
                }
                for (id, certificate) in zip(groupIDs, group) {
                    recorded.append(EventRecorder.Event(
                        certificateID: id, kind: "issued", reason: reason, at: certificate.issuedAt,
                        log: LogRecord(event: .issued, at: certificate.issuedAt, licenseID: certificate.licenseID,
                                       otherLicenseID: supersededLicense, object: certificate.code, reason: reason)
                    ))
                }
                try events.record(recorded)
                ids += groupIDs
            }
            // The highest serial counter now used (`reclaimReservations`). A serial is yyyyMMdd
            // and a counter of at least 6 digits (GB/T 36904 serial part); a re-issue keeps its
            // old one, lower than the highest.
            let counters = certificates.compactMap { Int64($0.certificate.licenseSerial.dropFirst(8)) }
            if let highest = counters.max() {
                try db.execute(
                    sql: "UPDATE counter SET next = MAX(next, ?) WHERE name = 'license_serial_used'", arguments: [highest])
            }
            return ids
        }
    }

    /// The newest certificate with this certificate number (any state).
    package func certificate(number: String) throws -> StoredCertificate? {
        try read { db in
            // Through the holder's ID number, which begins every certificate number
            // (certificate_by_person; there is no index by number).
            try StoredCertificate.fetchOne(
                db, sql: "SELECT * FROM certificate WHERE citizen_id = substr(?1, 1, 18) AND number = ?1 ORDER BY id DESC LIMIT 1",
                arguments: [number]
            )
        }
    }

    /// The e-licence identifiers of every certificate of the person with this citizen ID
    /// number, in any state, oldest first.
    package func licenseIDs(citizenID: String) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT license_id FROM certificate WHERE citizen_id = ? ORDER BY id", arguments: [citizenID])
        }
    }

    /// The certificate that replaces the one with row id `id` in the end: that one itself
    /// unless it was superseded, else the newest of its re-issuances (`superseded_by`, followed
    /// by primary key).
    package func latestReissue(of id: Int64) throws -> StoredCertificate? {
        try read { db in
            try StoredCertificate.fetchOne(db, sql: """
                WITH RECURSIVE chain(id, next, depth) AS (
                    SELECT id, superseded_by, 0 FROM certificate WHERE id = ?
                    UNION ALL
                    SELECT c.id, c.superseded_by, chain.depth + 1 FROM certificate c JOIN chain ON c.id = chain.next
                    WHERE chain.depth < 1000
                )
                SELECT certificate.* FROM chain JOIN certificate USING (id) ORDER BY chain.depth DESC LIMIT 1
                """, arguments: [id])
        }
    }

    /// The row ids of the certificate `id` and of those it replaced, directly or through
    /// others (`superseded_by`, indexed where set), newest first.
    package func reissueChain(endingAt id: Int64) throws -> [Int64] {
        try read { db in
            try Int64.fetchAll(db, sql: "\(Self.chain) SELECT id FROM chain ORDER BY depth", arguments: [id])
        }
    }

    /// The devices not revoked of the certificate `id` and of those it replaced
    /// (``reissueChain(endingAt:)``): what the holder's page counts, at each opening.
    package func liveHolderDeviceCount(endingAt id: Int64) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: """
                \(Self.chain)
                SELECT COUNT(*) FROM holder_device WHERE certificate_id IN (SELECT id FROM chain) AND revoked_at IS NULL
                """, arguments: [id]) ?? 0
        }
    }

    /// A certificate's re-issue chain as a common table expression, `chain(id, depth)`, from
    /// the row id bound first.
    private static let chain = """
        WITH RECURSIVE chain(id, depth) AS (
            SELECT ?, 0
            UNION ALL
            SELECT c.id, chain.depth + 1 FROM certificate c JOIN chain ON c.superseded_by = chain.id
            WHERE chain.depth < 1000
        )
        """

    /// The certificate with this row id.
    package func certificate(id: Int64) throws -> StoredCertificate? {
        try read { db in
            try StoredCertificate.fetchOne(db, sql: "SELECT * FROM certificate WHERE id = ?", arguments: [id])
        }
    }

    /// The certificate with this e-license identifier.
    package func certificate(licenseID: String) throws -> StoredCertificate? {
        try read { db in
            try StoredCertificate.fetchOne(db, sql: "SELECT * FROM certificate WHERE license_id = ?", arguments: [licenseID])
        }
    }

    /// The person's live (active or suspended) certificate, if any.
    package func liveCertificate(citizenID: String) throws -> StoredCertificate? {
        try read { db in
            try StoredCertificate.fetchOne(
                db, sql: "SELECT * FROM certificate WHERE citizen_id = ? AND state IN ('active', 'suspended')", arguments: [citizenID]
            )
        }
    }

    /// The live certificates among `citizenIDs`, by citizen ID.
    package func liveCertificates(citizenIDs: [String]) throws -> [String: StoredCertificate] {
        try read { db in
            var found: [String: StoredCertificate] = [:]
            for chunk in stride(from: 0, to: citizenIDs.count, by: 500).map({ Array(citizenIDs[$0..<min($0 + 500, citizenIDs.count)]) }) {
                // Cached: a batch asks once per chunk, with the same few counts of IDs, and
                // preparing the statement had cost more than running it.
                let certificates = try StoredCertificate.fetchCursor(
                    db.cachedStatement(
                        sql: "SELECT * FROM certificate WHERE state IN ('active', 'suspended') AND citizen_id IN (\(databaseQuestionMarks(count: chunk.count)))"),
                    arguments: StatementArguments(chunk)
                )
                while let certificate = try certificates.next() {
                    found[certificate.citizenID] = certificate
                }
            }
            return found
        }
    }

    /// Every certificate in one of `states` (all when `nil`), in issuance order.
    package func allCertificates(in states: Set<CertificateState>? = nil) throws -> [StoredCertificate] {
        var all: [StoredCertificate] = []
        try forEachCertificate(in: states) { all.append($0) }
        return all
    }

    /// Hands `body` every certificate in one of `states` (all when `nil`), in issuance order,
    /// one at a time: a report over a million holders need not hold a million certificates
    /// (with their codes, 1.8 GB at a million), and the rows are read in place, not copied.
    /// `body` runs inside the read and must not use the registry.
    package func forEachCertificate(in states: Set<CertificateState>? = nil, _ body: (StoredCertificate) throws -> Void) throws {
        let filter = states.map { states in
            " WHERE state IN (" + states.map { "'\($0.rawValue)'" }.sorted().joined(separator: ", ") + ")"
        } ?? ""
        try forEach({ try StoredCertificate.fetchCursor($0, sql: "SELECT * FROM certificate\(filter) ORDER BY id") }, body)
    }

    /// Changes a certificate's state and records the event, in one transaction.
    /// - Throws: `RegistryError.invalidTransition` when the change is not allowed from the current state.
    package func changeState(certificateID: Int64, to state: CertificateState, event: String, reason: String, at time: Int64) throws {
        try write { db in
            let allowedFrom: [CertificateState] = switch state {
            case .suspended: [.active]
            case .active: [.suspended]
            case .revoked: [.active, .suspended]
            case .superseded: [.active, .suspended]
            }
            try db.execute(
                sql: "UPDATE certificate SET state = ? WHERE id = ? AND state IN (\(allowedFrom.map { "'\($0.rawValue)'" }.joined(separator: ", ")))",
                arguments: [state.rawValue, certificateID]
            )
            guard db.changesCount == 1 else {
                let current = try String.fetchOne(db, sql: "SELECT state FROM certificate WHERE id = ?", arguments: [certificateID])
                throw RegistryError(.invalidTransition, "cannot \(event) a certificate that is \(current ?? "missing")")
            }
            guard let logged = LogRecord.Event(rawValue: event), logged.isCertificateEvent else {
                throw RegistryError(.invalidInput, "\(event) is not a certificate event")
            }
            try Self.recordEvent(
                db, certificateID: certificateID, kind: event, reason: reason, at: time,
                log: LogRecord(event: logged, at: time, licenseID: try Self.licenseID(db, certificateID: certificateID), reason: reason)
            )
        }
    }

    /// The status index and state of every certificate that is not active, and the
    /// suspensions a restore carried over (`restored_status`): with `revokedRanges`, what a
    /// status list marks (every other index reads valid). Through `certificate_not_active`,
    /// which holds only those: reading every certificate's state was 2.6 s of a million-row
    /// batch.
    package func inactiveStatusEntries() throws -> [(index: Int64, state: CertificateState)] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT status_index, state FROM certificate WHERE state <> 'active'
                UNION ALL SELECT status_index, state FROM restored_status
                ORDER BY status_index
                """).map {
                (index: $0["status_index"], state: CertificateState(rawValue: $0["state"]) ?? .revoked)
            }
        }
    }

    /// The next value a counter will hand out (for status-list sizing).
    package func nextStatusIndex() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT next FROM counter WHERE name = 'status_index'") ?? 0 }
    }

    /// The events of one certificate, oldest first: (kind, reason, time).
    package func events(certificateID: Int64) throws -> [(kind: String, reason: String?, at: Int64)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT kind, reason, at FROM event WHERE certificate_id = ? ORDER BY id", arguments: [certificateID])
                .map { (kind: $0["kind"], reason: $0["reason"], at: $0["at"]) }
        }
    }

    /// Lowers the reservation counters to just past the numbers stored certificates use,
    /// handing out again what an interrupted issuance reserved and never stored (a killed
    /// batch chunk reserves 512). Only safe while no other process holds reservations: the
    /// issuer calls it under the workspace's issuance lock. Such numbers were never on a
    /// signed object anyone saw: certificates are stored before they are shown.
    package func reclaimReservations() throws {
        try write { db in
            // Never below the floor a restore set: past the numbers of certificates it lost.
            let nextIndex = try Int64.fetchOne(db, sql: """
                SELECT MAX((SELECT COALESCE(MAX(status_index) + 1, 0) FROM certificate),
                           COALESCE((SELECT next FROM counter WHERE name = 'status_index_floor'), 0))
                """) ?? 0
            // Kept by storeIssued: finding it among the certificates reads every one of them.
            guard let used = try Int64.fetchOne(db, sql: "SELECT next FROM counter WHERE name = 'license_serial_used'") else {
                throw RegistryError(.storage, "counter license_serial_used is missing")
            }
            let nextSerial = used + 1
            try db.execute(sql: "UPDATE counter SET next = MIN(next, ?) WHERE name = 'status_index'", arguments: [nextIndex])
            try db.execute(sql: "UPDATE counter SET next = MIN(next, ?) WHERE name = 'license_serial'", arguments: [nextSerial])
        }
    }

    static func advance(_ db: Database, counter: String, by count: Int) throws -> Int64 {
        guard let start = try Int64.fetchOne(db, sql: "SELECT next FROM counter WHERE name = ?", arguments: [counter]) else {
            throw RegistryError(.storage, "counter \(counter) is missing")
        }
        try db.execute(sql: "UPDATE counter SET next = next + ? WHERE name = ?", arguments: [count, counter])
        return start
    }

    /// Records one event (`EventRecorder`, for a transaction that records one).
    static func recordEvent(_ db: Database, certificateID: Int64?, kind: String, reason: String?, at time: Int64, log: LogRecord?) throws {
        var recorder = EventRecorder(db)
        try recorder.record(certificateID: certificateID, kind: kind, reason: reason, at: time, log: log)
    }

    static func licenseID(_ db: Database, certificateID: Int64) throws -> String {
        guard let licenseID = try String.fetchOne(
            db.cachedStatement(sql: "SELECT license_id FROM certificate WHERE id = ?"), arguments: [certificateID]
        ) else {
            throw RegistryError(.notFound, "no certificate \(certificateID)")
        }
        return licenseID
    }
}
