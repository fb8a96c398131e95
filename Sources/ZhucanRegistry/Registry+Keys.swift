import Foundation
import GRDB
import ZhucanServiceStore
import ZhucanTransparency

extension Registry {
    /// Adds a key. A key already present (same SPKI) is a conflict. With `retiredAt`, the
    /// role's active keys are retired as of that time in the same transaction: a rotation
    /// leaves the role one active key whatever happens, never none.
    package func add(_ key: StoredKey, retiringActiveKeysAt retiredAt: Int64? = nil) throws {
        try write { db in
            if let retiredAt { try Self.retireKeys(db, role: key.role, at: retiredAt) }
            try db.execute(
                sql: """
                    INSERT INTO signing_key (kid, role, algorithm, spki, private_key_file, valid_from, valid_until, state, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [key.keyID, key.role.rawValue, key.algorithm, Data(key.subjectPublicKeyInfo), key.privateKeyFile,
                            key.validFrom, key.validUntil, key.state, key.createdAt]
            )
            try Self.recordEvent(
                db, certificateID: nil, kind: "key-added", reason: "\(key.role.rawValue) key \(key.keyID)", at: key.createdAt,
                log: LogRecord(event: .keyAdded, at: key.createdAt, keyRole: key.role.rawValue, keyID: key.keyID,
                               keyAlgorithm: key.algorithm, subjectPublicKeyInfo: key.subjectPublicKeyInfo)
            )
        }
    }

    /// Every key of `role`, oldest first.
    package func keys(role: StoredKey.Role) throws -> [StoredKey] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM signing_key WHERE role = ? ORDER BY created_at, rowid", arguments: [role.rawValue])
                .map(StoredKey.init(row:))
        }
    }

    /// Revokes a retired issuer key as of `time`: trust lists published from then on mark it
    /// `revoked`, and verifiers refuse everything it signed. The active key is not revoked
    /// (the workspace would have none to sign with): rotate first.
    /// - Returns: how many live (active or suspended) certificates it signed.
    /// - Throws: `RegistryError.notFound` for no such issuer key, `.invalidTransition` for the
    ///   active key or one already revoked.
    package func revokeIssuerKey(keyID: String, reason: String, at time: Int64) throws -> Int {
        try write { db in
            guard let state = try String.fetchOne(db, sql: "SELECT state FROM signing_key WHERE kid = ? AND role = 'issuer'", arguments: [keyID]) else {
                throw RegistryError(.notFound, "no issuer key \(keyID) in this workspace")
            }
            switch state {
            case "active": throw RegistryError(.invalidTransition, "issuer key \(keyID) is the active key: rotate first (`zhucan keys rotate`), then revoke it")
            case "revoked": throw RegistryError(.invalidTransition, "issuer key \(keyID) is already revoked")
            default: break
            }
            try db.execute(sql: "UPDATE signing_key SET state = 'revoked' WHERE kid = ? AND role = 'issuer'", arguments: [keyID])
            try Self.recordRevocation(db, keyID: keyID, reason: reason, at: time)
            return try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM certificate WHERE kid = ? AND state IN ('active', 'suspended')", arguments: [keyID]
            ) ?? 0
        }
    }

    /// After a restore from a backup (`zhucan restore-check --trust-list`): makes the issuer
    /// keys as a trust list published after the backup has them, in one transaction.
    /// - `revoking`: keys here the list marks revoked, the active one included (the workspace
    ///   then has no active issuer key until `zhucan keys rotate`), retired first if active.
    /// - `adding`: keys the restored registry lost (rotated in after the backup), each
    ///   `retired` or `revoked`, public part only: logged as added, retired, and revoked if
    ///   so, the life of a key the auditor expects; or one `active`, with its private key file.
    /// - `retiring`: active keys here retired as of `until` (exclusive), for the one `adding`
    ///   makes active.
    /// - `sequence`: the list's sequence number: the next trust list takes one past it.
    package func restoreKeys(
        adding: [StoredKey], revoking: [String], retiring: [(keyID: String, until: Int64)], sequence: Int64, reason: String, at time: Int64
    ) throws {
        try write { db in
            for keyID in revoking {
                let state = try String.fetchOne(db, sql: "SELECT state FROM signing_key WHERE kid = ? AND role = 'issuer'", arguments: [keyID])
                guard state == "active" || state == "retired" else { continue }
                if state == "active" {
                    try db.execute(sql: "UPDATE signing_key SET valid_until = ? WHERE kid = ? AND role = 'issuer'", arguments: [time, keyID])
                    try Self.recordRetirement(db, keyID: keyID, reason: reason, at: time)
                }
                try db.execute(sql: "UPDATE signing_key SET state = 'revoked' WHERE kid = ? AND role = 'issuer'", arguments: [keyID])
                try Self.recordRevocation(db, keyID: keyID, reason: reason, at: time)
            }
            for (keyID, until) in retiring {
                try db.execute(
                    sql: "UPDATE signing_key SET state = 'retired', valid_until = ? WHERE kid = ? AND role = 'issuer' AND state = 'active'",
                    arguments: [until, keyID]
                )
                if db.changesCount == 1 { try Self.recordRetirement(db, keyID: keyID, reason: reason, at: time) }
            }
            for key in adding {
                try db.execute(
                    sql: """
                        INSERT INTO signing_key (kid, role, algorithm, spki, private_key_file, valid_from, valid_until, state, created_at)
                        VALUES (?, 'issuer', ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [key.keyID, key.algorithm, Data(key.subjectPublicKeyInfo), key.privateKeyFile, key.validFrom, key.validUntil,
                                key.state, time]
                )
                try Self.recordEvent(
                    db, certificateID: nil, kind: "key-added", reason: "issuer key \(key.keyID): \(reason)", at: time,
                    log: LogRecord(event: .keyAdded, at: time, keyRole: StoredKey.Role.issuer.rawValue, keyID: key.keyID,
                                   keyAlgorithm: key.algorithm, subjectPublicKeyInfo: key.subjectPublicKeyInfo)
                )
                guard key.state != "active" else { continue }
                try Self.recordRetirement(db, keyID: key.keyID, reason: reason, at: time)
                if key.state == "revoked" { try Self.recordRevocation(db, keyID: key.keyID, reason: reason, at: time) }
            }
            try db.execute(sql: "UPDATE counter SET next = MAX(next, ?) WHERE name = 'trust_list_sequence_floor'", arguments: [sequence])
        }
    }

    private static func recordRetirement(_ db: Database, keyID: String, reason: String, at time: Int64) throws {
        try recordEvent(
            db, certificateID: nil, kind: "key-retired", reason: "issuer key \(keyID): \(reason)", at: time,
            log: LogRecord(event: .keyRetired, at: time, keyRole: StoredKey.Role.issuer.rawValue, keyID: keyID)
        )
    }

    private static func recordRevocation(_ db: Database, keyID: String, reason: String, at time: Int64) throws {
        try recordEvent(
            db, certificateID: nil, kind: "key-revoked", reason: "issuer key \(keyID): \(reason)", at: time,
            log: LogRecord(event: .keyRevoked, at: time, keyRole: StoredKey.Role.issuer.rawValue, keyID: keyID, reason: reason)
        )
    }

    /// Retires the role's active keys as of `time`, each with its event.
    private static func retireKeys(_ db: Database, role: StoredKey.Role, at time: Int64) throws {
        let retired = try String.fetchAll(db, sql: "SELECT kid FROM signing_key WHERE role = ? AND state = 'active'", arguments: [role.rawValue])
        try db.execute(
            sql: "UPDATE signing_key SET state = 'retired', valid_until = ? WHERE role = ? AND state = 'active'",
            arguments: [time, role.rawValue]
        )
        for kid in retired {
            try recordEvent(
                db, certificateID: nil, kind: "key-retired", reason: "\(role.rawValue) key \(kid)", at: time,
                log: LogRecord(event: .keyRetired, at: time, keyRole: role.rawValue, keyID: kid)
            )
        }
    }
}
