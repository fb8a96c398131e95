import Foundation
import GRDB

/// A signing key the workspace knows: its public part, and where its private key file is.
package struct StoredKey: Sendable, Hashable {
    /// What the key signs.
    package enum Role: String, Sendable, Hashable {
        /// The trust anchor: signs trust lists.
        case root
        /// Signs certificates, codes, status lists and catalogues.
        case issuer
        /// Signs transparency-log checkpoints.
        case log
    }

    /// Key id, hex.
    package var keyID: String
    /// What the key signs.
    package var role: Role
    /// Signing-layer algorithm name (`sm2`, `es256`, `ed25519`).
    package var algorithm: String
    /// DER SubjectPublicKeyInfo.
    package var subjectPublicKeyInfo: [UInt8]
    /// Path of the private key file, relative to the workspace.
    package var privateKeyFile: String?
    /// May sign from (seconds since the epoch).
    package var validFrom: Int64
    /// May sign until (exclusive), once retired.
    package var validUntil: Int64?
    /// `active`, `retired` or `revoked`.
    package var state: String
    /// When it was added.
    package var createdAt: Int64

    /// Makes a record.
    package init(
        keyID: String, role: Role, algorithm: String, subjectPublicKeyInfo: [UInt8], privateKeyFile: String?,
        validFrom: Int64, validUntil: Int64? = nil, state: String = "active", createdAt: Int64
    ) {
        self.keyID = keyID
        self.role = role
        self.algorithm = algorithm
        self.subjectPublicKeyInfo = subjectPublicKeyInfo
        self.privateKeyFile = privateKeyFile
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.state = state
        self.createdAt = createdAt
    }

    init(row: Row) {
        self.init(
            keyID: row["kid"], role: Role(rawValue: row["role"]) ?? .issuer, algorithm: row["algorithm"],
            subjectPublicKeyInfo: [UInt8](row["spki"] as Data), privateKeyFile: row["private_key_file"],
            validFrom: row["valid_from"], validUntil: row["valid_until"], state: row["state"], createdAt: row["created_at"]
        )
    }
}
