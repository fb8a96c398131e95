import Foundation
import GRDB
import ZhucanServiceStore
import ZhucanTransparency

/// Holders' devices: enrolment links made at the window, the browser keys they register, and
/// the DPoP proof ids already used. Enrolments and revocations are log events.
extension Registry {
    /// An agent named at enrolment.
    package struct EnrolledAgent: Sendable, Hashable {
        package var name: String
        package var idNumber: String?
        /// `guardian`, `family` or `caseworker`.
        package var relation: String

        package init(name: String, idNumber: String?, relation: String) {
            self.name = name
            self.idNumber = idNumber
            self.relation = relation
        }
    }

    /// A registered device.
    package struct HolderDevice: Sendable, Hashable {
        /// The RFC 7638 thumbprint of its key (base64url).
        package let id: String
        package let certificateID: Int64
        package let subjectPublicKeyInfo: [UInt8]
        package let agentName: String?
        package let agentRelation: String?
        package let enrolledAt: Int64
        package let revokedAt: Int64?
        package let revokeReason: String?
        /// Who made the link that enrolled it: `apikey:` and the key's id, or `cli:` and the
        /// operating-system user; nil for a device enrolled before this was kept.
        package let enrolledBy: String?
    }

    /// Stores an enrolment link for `certificateID`, valid until `expiresAt`.
    /// - Parameter madeBy: who makes it (``HolderDevice/enrolledBy``).
    package func addEnrollment(
        id: String, secretHash: [UInt8], certificateID: Int64, agent: EnrolledAgent?, madeBy: String, at time: Int64, expiresAt: Int64
    ) throws {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO holder_enrollment (id, secret_hash, certificate_id, agent_name, agent_id_number, agent_relation, made_by, created_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [id, Data(secretHash), certificateID, agent?.name, agent?.idNumber, agent?.relation, madeBy, time, expiresAt]
            )
        }
    }

    /// Uses an enrolment link once: registers the device for its certificate, atomically with
    /// marking the link used and logging the enrolment.
    /// - Parameter matches: whether the stored secret hash is the presented secret's
    ///   (compared by the caller in constant time).
    /// - Throws: `RegistryError.notFound` for an unknown link or a wrong secret,
    ///   `.invalidTransition` for a link used before or expired, `.conflict` for a key
    ///   registered already.
    package func useEnrollment(
        id: String, matches: ([UInt8]) -> Bool, deviceID: String, subjectPublicKeyInfo: [UInt8], at time: Int64
    ) throws -> HolderDevice {
        try write { db in
            let row = try Self.openEnrollment(db, id: id, matches: matches, at: time)
            let certificateID: Int64 = row["certificate_id"]
            let agentName: String? = row["agent_name"], relation: String? = row["agent_relation"], madeBy: String? = row["made_by"]
            try db.execute(sql: "UPDATE holder_enrollment SET used_at = ?, device_id = ? WHERE id = ?", arguments: [time, deviceID, id])
            try db.execute(
                sql: """
                    INSERT INTO holder_device (id, certificate_id, spki, agent_name, agent_relation, enrolled_at, enrolled_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [deviceID, certificateID, Data(subjectPublicKeyInfo), agentName, relation, time, madeBy]
            )
            try Self.recordEvent(
                db, certificateID: certificateID, kind: LogRecord.Event.deviceEnrolled.rawValue, reason: relation ?? "holder", at: time,
                log: LogRecord(event: .deviceEnrolled, at: time, licenseID: try Self.licenseID(db, certificateID: certificateID),
                               keyRole: relation ?? "holder", keyID: deviceID)
            )
            return HolderDevice(
                id: deviceID, certificateID: certificateID, subjectPublicKeyInfo: subjectPublicKeyInfo, agentName: agentName,
                agentRelation: relation, enrolledAt: time, revokedAt: nil, revokeReason: nil, enrolledBy: madeBy
            )
        }
    }

    /// Checks an enrolment link as `useEnrollment` does, without using it: a read, so that a
    /// request with no usable link writes nothing.
    /// - Throws: as `useEnrollment`.
    package func checkEnrollment(id: String, matches: ([UInt8]) -> Bool, at time: Int64) throws {
        try read { db in _ = try Self.openEnrollment(db, id: id, matches: matches, at: time) }
    }

    /// The link's row, if it can be used at `time`.
    private static func openEnrollment(_ db: Database, id: String, matches: ([UInt8]) -> Bool, at time: Int64) throws -> Row {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM holder_enrollment WHERE id = ?", arguments: [id]),
            matches([UInt8](row["secret_hash"] as Data))
        else { throw RegistryError(.notFound, "没有此登记链接 / no such enrolment link") }
        guard (row["used_at"] as Int64?) == nil else { throw RegistryError(.invalidTransition, "该登记链接已使用 / this enrolment link was used already") }
        guard time < row["expires_at"] as Int64 else { throw RegistryError(.invalidTransition, "该登记链接已过期 / this enrolment link has expired") }
        return row
    }

    /// The device with this id.
    package func holderDevice(id: String) throws -> HolderDevice? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM holder_device WHERE id = ?", arguments: [id]).map(Self.device(row:)) }
    }

    /// The devices of a certificate, oldest first.
    package func holderDevices(certificateID: Int64) throws -> [HolderDevice] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM holder_device WHERE certificate_id = ? ORDER BY enrolled_at, id", arguments: [certificateID])
                .map(Self.device(row:))
        }
    }

    /// The devices enrolled by links `enrolledBy` made (``HolderDevice/enrolledBy``), oldest first.
    package func holderDevices(enrolledBy: String) throws -> [HolderDevice] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM holder_device WHERE enrolled_by = ? ORDER BY enrolled_at, id", arguments: [enrolledBy])
                .map(Self.device(row:))
        }
    }

    /// Revokes a device at once, logging it.
    /// - Throws: `RegistryError.notFound`, `.invalidTransition` when already revoked.
    package func revokeHolderDevice(id: String, reason: String, at time: Int64) throws {
        try write { db in
            try db.execute(
                sql: "UPDATE holder_device SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [time, reason, id]
            )
            guard db.changesCount == 1 else {
                let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM holder_device WHERE id = ?", arguments: [id]) ?? false
                throw exists ? RegistryError(.invalidTransition, "device \(id) is already revoked") : RegistryError(.notFound, "no device \(id)")
            }
            let certificateID = try Int64.fetchOne(db, sql: "SELECT certificate_id FROM holder_device WHERE id = ?", arguments: [id]) ?? 0
            try Self.recordEvent(
                db, certificateID: certificateID, kind: LogRecord.Event.deviceRevoked.rawValue, reason: reason, at: time,
                log: LogRecord(event: .deviceRevoked, at: time, licenseID: try Self.licenseID(db, certificateID: certificateID),
                               keyID: id, reason: reason)
            )
        }
    }

    /// Whether a DPoP proof's `jti` was used already: a replay, refused before it is counted
    /// against the device's rate or any code is signed for it. ``useProof(jti:deviceID:at:forgetBefore:code:)``
    /// still decides, for two requests with one `jti` at once.
    package func isProofUsed(jti: String) throws -> Bool {
        try read { db in try Bool.fetchOne(db, sql: "SELECT 1 FROM dpop_proof WHERE jti = ?", arguments: [jti]) ?? false }
    }

    /// Records a DPoP proof's `jti` and the code a device minted with it, in one transaction.
    /// Proof ids older than `forgetBefore` are forgotten: their `iat` is outside the window.
    /// - Returns: `false` when the `jti` was used before (a replay); nothing is recorded then.
    package func useProof(jti: String, deviceID: String, at time: Int64, forgetBefore: Int64, code: (kind: String, service: String?)?) throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM dpop_proof WHERE at < ?", arguments: [forgetBefore])
            try db.execute(sql: "INSERT INTO dpop_proof (jti, device_id, at) VALUES (?, ?, ?) ON CONFLICT (jti) DO NOTHING",
                           arguments: [jti, deviceID, time])
            guard db.changesCount == 1 else { return false }
            if let code {
                try db.execute(sql: "INSERT INTO holder_code_event (device_id, kind, service, at) VALUES (?, ?, ?, ?)",
                               arguments: [deviceID, code.kind, code.service, time])
            }
            return true
        }
    }

    /// The codes a device minted: kind, service, time; oldest first.
    package func holderCodeEvents(deviceID: String) throws -> [(kind: String, service: String?, at: Int64)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT kind, service, at FROM holder_code_event WHERE device_id = ? ORDER BY id", arguments: [deviceID])
                .map { ($0["kind"], $0["service"], $0["at"]) }
        }
    }

    private static func device(row: Row) -> HolderDevice {
        HolderDevice(
            id: row["id"], certificateID: row["certificate_id"], subjectPublicKeyInfo: [UInt8](row["spki"] as Data),
            agentName: row["agent_name"], agentRelation: row["agent_relation"], enrolledAt: row["enrolled_at"],
            revokedAt: row["revoked_at"], revokeReason: row["revoke_reason"], enrolledBy: row["enrolled_by"]
        )
    }
}
