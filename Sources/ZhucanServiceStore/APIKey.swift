/// A client key of the HTTP service, as the registry lists it (never with its secret).
///
/// The key a client holds is `zk_<id>_<secret>`: `id` is 8 random hexadecimal digits, public,
/// and names the key in logs and events; `secret` is 32 random bytes in base64url without
/// padding (RFC 4648 §5). The registry keeps only SHA-256 of the secret text.
package struct APIKey: Sendable, Hashable {
    /// What a key may do; each route of the service requires one scope.
    package enum Scope: String, Sendable, Hashable, CaseIterable, Comparable {
        /// Verify codes.
        case verify
        /// Redeem one-time service codes.
        case redeem
        /// Look holders up by social-security card.
        case lookup
        /// Mint identity and service codes for a holder's app.
        case issue
        /// Read statistics.
        case audit

        /// Declaration order, for stable listings.
        package static func < (lhs: Scope, rhs: Scope) -> Bool {
            allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
        }
    }

    /// The public id (8 hexadecimal digits).
    package let id: String
    /// A human name ("bus company 3").
    package let name: String
    /// What it may do.
    package let scopes: Set<Scope>
    /// When it was made.
    package let createdAt: Int64
    /// When it was revoked, if it was.
    package let revokedAt: Int64?

    /// Makes a key record.
    package init(id: String, name: String, scopes: Set<Scope>, createdAt: Int64, revokedAt: Int64?) {
        self.id = id
        self.name = name
        self.scopes = scopes
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }

    /// Whether the key is still usable.
    package var isRevoked: Bool { revokedAt != nil }

    /// The token prefix.
    package static let tokenPrefix = "zk_"
}
