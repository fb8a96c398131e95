import ZhucanCBOR
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanSigning

/// The issuer keys that verifiers trust, signed by the root (trust-anchor) key.
///
/// ```
/// claims = {
///   1 (iss) => tstr, 6 (iat) => int, 4 (exp) => int,     ; months
///   -65537 (content) => {
///     "seq"  => uint,                                    ; increases with every publication
///     "keys" => [* {
///       "kid" => bstr, "alg" => int,                     ; COSE algorithm value
///       "spki" => bstr,                                  ; DER SubjectPublicKeyInfo
///       "uscc" => tstr, "name" => tstr,                  ; the issuer it belongs to
///       "from" => int, ? "until" => int,                 ; may sign in [from, until)
///       "st" => "active" / "retired" / "revoked",
///       ? "ltc" => tstr,                                 ; the issuer's e-licence type code
///       ? "slb" => tstr,                                 ; its status lists' URI, less the number
///     }]
///   }
/// }
/// ```
/// A retired key stops signing at `until` but what it signed before stays valid; a revoked
/// key's signatures are never valid (its private key may be in other hands). `ltc` and `slb`
/// let a verifier rebuild what a compact code leaves out (Docs/format.md §15): the
/// certificate's e-licence identifier and the URI of its status list.
package struct TrustList: Sendable {
    /// One trusted key.
    package struct Entry: Sendable, Hashable {
        /// Key states.
        package enum State: String, Sendable, Hashable {
            case active, retired, revoked
        }

        /// The key.
        package var key: PublicKey
        /// The issuer's USCC.
        package var issuerCode: String
        /// The issuer's name.
        package var issuerName: String
        /// The key may sign from this time (seconds since the epoch)…
        package var validFrom: Int64
        /// …until this time (exclusive), if set.
        package var validUntil: Int64?
        /// Active, retired or revoked.
        package var state: State
        /// The issuer's e-licence type code (GB/T 36904), when it signs compact codes.
        package var licenseTypeCode: String?
        /// The URI of the issuer's status lists without the list number
        /// (`https://zhucan.example/v1/status-lists/`), when it signs compact codes.
        package var statusListBase: String?

        /// Makes an entry.
        package init(
            key: PublicKey, issuerCode: String, issuerName: String, validFrom: Int64, validUntil: Int64?, state: State,
            licenseTypeCode: String? = nil, statusListBase: String? = nil
        ) {
            self.licenseTypeCode = licenseTypeCode
            self.statusListBase = statusListBase
            self.key = key
            self.issuerCode = issuerCode
            self.issuerName = issuerName
            self.validFrom = validFrom
            self.validUntil = validUntil
            self.state = state
        }

        /// The `statusListBase` of an issuer whose status list is at `uri`: the URI less its
        /// final list number (`…/status-lists/1` → `…/status-lists/`); `nil` when it does
        /// not end in a number, and the issuer's codes cannot be compact.
        package static func statusListBase(of uri: String) -> String? {
            CompactLayout.statusListBase(uri)
        }

        /// Whether a signature made at `time` by this key is acceptable.
        package func maySign(at time: Int64) -> Bool {
            state != .revoked && time >= validFrom && validUntil.map { time < $0 } ?? true
        }
    }

    /// Publication sequence number.
    package var sequence: Int64
    /// The keys.
    package var entries: [Entry]
    /// Issuer USCC of the publishing body.
    package var issuerCode: String
    /// Signing time.
    package var issuedAt: Int64
    /// Expiry: after this, verifiers answer `status_unknown`.
    package var expiresAt: Int64

    /// Makes a trust list.
    package init(sequence: Int64, entries: [Entry], issuerCode: String, issuedAt: Int64, expiresAt: Int64) {
        self.sequence = sequence
        self.entries = entries
        self.issuerCode = issuerCode
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }

    /// The CWT claims.
    package var claims: CWTClaims {
        var content = ContentMap()
        content.set("seq", CBOR(sequence))
        content.set("keys", .array(entries.map { entry in
            var map = ContentMap()
            map.set("kid", .bytes(entry.key.keyID.bytes))
            map.set("alg", CBOR(CoseAlgorithm(entry.key.algorithm).rawValue))
            map.set("spki", .bytes(entry.key.subjectPublicKeyInfo))
            map.set("uscc", .text(entry.issuerCode))
            map.set("name", .text(entry.issuerName))
            map.set("from", CBOR(entry.validFrom))
            map.set("until", entry.validUntil.map { CBOR($0) })
            map.set("st", .text(entry.state.rawValue))
            map.set("ltc", entry.licenseTypeCode.map { .text($0) })
            map.set("slb", entry.statusListBase.map { .text($0) })
            return map.cbor
        }))
        var claims = CWTClaims(issuer: issuerCode, expiration: expiresAt, issuedAt: issuedAt)
        claims.otherClaims = [CBOR.Pair(key: CBOR(ClaimKey.content), value: content.cbor)]
        return claims
    }

    /// Reads a trust list from verified claims.
    package init(claims: CWTClaims) throws(CredentialError) {
        let content = try ContentMap(claims[claim: ClaimKey.content])
        sequence = try content.int("seq")
        guard let keys = content.value("keys")?.array else {
            throw CredentialError(.malformedContent, "\"keys\" must be an array")
        }
        var entries: [Entry] = []
        for (index, item) in keys.enumerated() {
            let map = try ContentMap(item)
            let spki = try map.bytes("spki")
            guard let key = try? PublicKey(subjectPublicKeyInfo: spki) else {
                throw CredentialError(.invalidValue, "keys[\(index)]: spki is not a usable public key")
            }
            // The polymorphic identifier Zhucan writes (ES256, EdDSA) or the fully specified one
            // of RFC 9864 (ESP256, Ed25519) that another producer may write: either names it.
            guard try map.bytes("kid") == key.keyID.bytes,
                CoseAlgorithm(rawValue: try map.int("alg"))?.signatureAlgorithm == key.algorithm
            else { throw CredentialError(.invalidValue, "keys[\(index)]: kid or alg does not match the spki") }
            guard let state = Entry.State(rawValue: try map.text("st")) else {
                throw CredentialError(.invalidValue, "keys[\(index)]: st must be active, retired or revoked")
            }
            // A compact code's certificate is rebuilt from ltc and uscc (CompactLayout): both
            // are checked here, once, so that an identifier built from them is valid.
            let licenseTypeCode = try map.optionalText("ltc")
            if let licenseTypeCode {
                guard let issuer = try? UnifiedSocialCreditCode(try map.text("uscc")),
                    (try? ELicenseIdentifier(typeCode: licenseTypeCode, issuer: issuer, serial: "1", version: 1)) != nil
                else { throw CredentialError(.invalidValue, "keys[\(index)]: ltc and uscc must be an e-licence type code and a unified social credit code") }
            }
            // As GB 32100 writes it, upper-case, which is how a certificate's `iss` and
            // e-licence identifier name the issuer: an issuer configured in lower case had
            // published its trust list so.
            let uscc = try map.text("uscc")
            entries.append(Entry(
                key: key, issuerCode: (try? UnifiedSocialCreditCode(uscc))?.value ?? uscc, issuerName: try map.text("name"),
                validFrom: try map.int("from"), validUntil: try map.optionalInt("until"), state: state,
                licenseTypeCode: licenseTypeCode, statusListBase: try map.optionalText("slb")
            ))
        }
        self.entries = entries
        guard let issuer = claims.issuer, let issuedAt = claims.issuedAt, let expiresAt = claims.expiration else {
            throw CredentialError(.malformedContent, "iss, iat and exp are required")
        }
        issuerCode = issuer
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }
}
