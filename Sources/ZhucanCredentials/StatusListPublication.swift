import ZhucanCBOR
import ZhucanEnvelope
import ZhucanStatusList

/// Zhucan's one addition to a Status List Token (draft-ietf-oauth-status-list §5.2 allows other
/// claims): its publication number, under the content claim, `-65537: {"seq": uint}`.
///
/// Two lists published in the same second carry the same `iat`, so `iat` alone cannot say
/// which is the later: a node that took the second (a revocation) would take the first back
/// if it were served again. Ordered by `(iat, seq)`, the later list always wins, and a list
/// restored from a backup still yields to a later `iat`. Consumers of the draft ignore the claim.
package struct StatusListPublication: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `iat` (6).
    package let issuedAt: Int64
    /// The publication number (`seq`), from 1; `nil` for a list signed before it was written.
    package let sequence: Int64?

    /// The token's claims with its publication number added.
    package static func claims(of token: StatusListToken, sequence: Int64) -> CWTClaims {
        var claims = token.claims
        claims.otherClaims.append(CBOR.Pair(
            key: CBOR(ClaimKey.content), value: .map([CBOR.Pair(key: .text("seq"), value: CBOR(sequence))])
        ))
        return claims
    }

    /// Reads the publication of a verified token's claims.
    /// - Throws: `CredentialError` `.malformedContent` when `iat` is missing, or `seq` is there but
    ///   not a positive integer.
    package init(claims: CWTClaims) throws(CredentialError) {
        guard let issuedAt = claims.issuedAt else { throw CredentialError(.malformedContent, "the status list has no iat") }
        self.issuedAt = issuedAt
        guard let value = claims[claim: ClaimKey.content]?[text: "seq"] else {
            sequence = nil
            return
        }
        guard let sequence = value.int, sequence > 0 else {
            throw CredentialError(.malformedContent, "the status list's seq is not a positive integer")
        }
        self.sequence = sequence
    }

    /// `seq 12 signed 2026-12-04T10:00:00Z`, or without `seq` the time only.
    package var description: String {
        (sequence.map { "seq \($0) " } ?? "") + "signed \(Timestamp.iso(issuedAt))"
    }

    /// Publication order: by `iat`, then by `seq`. A list without `seq` comes before one with
    /// it at the same `iat` (it was signed before the issuer wrote `seq`); two without are
    /// equal, so the node takes either, as it did before `seq`.
    package static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.issuedAt != rhs.issuedAt { return lhs.issuedAt < rhs.issuedAt }
        return (lhs.sequence ?? 0) < (rhs.sequence ?? 0)
    }
}
