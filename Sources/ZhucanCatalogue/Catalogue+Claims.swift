import Foundation
import ZhucanCBOR
import ZhucanCertLogic
import ZhucanEnvelope
import ZhucanIdentifiers

extension Catalogue {
    /// The private claim that carries the catalogue (see `Docs/format.md`).
    static let contentClaim: Int64 = -65537

    /// The CWT claims of a signed catalogue:
    /// `{1: issuer, 6: iat, 4: exp (end of validUntil), -65537: {"v": version, "seq": edition, "json": bstr}}`,
    /// where `json` is the catalogue as compact JSON with sorted keys (UTF-8) and `seq` the
    /// edition's publication number, which binds the signed edition to its place
    /// (`/v1/catalogue/{seq}`); `nil` leaves it out, as editions signed before it was added.
    package func claims(issuerCode: String, issuedAt: Int64, edition: Int64?) -> CWTClaims {
        var pairs = [CBOR.Pair(key: .text("v"), value: .text(version))]
        if let edition { pairs.append(CBOR.Pair(key: .text("seq"), value: CBOR(edition))) }
        pairs.append(CBOR.Pair(key: .text("json"), value: .bytes(Array(json.jsonString.utf8))))
        let content = CBOR.map(pairs)
        let expiration = (try? CivilDate(validUntil)).map { ChinaTime.startOfDay(after: $0) }
        return CWTClaims(
            issuer: issuerCode, expiration: expiration, issuedAt: issuedAt,
            otherClaims: [CBOR.Pair(key: CBOR(Self.contentClaim), value: content)]
        )
    }

    /// The edition number signed into a catalogue's claims (`seq`), if it has one.
    /// - Throws: `CatalogueError.malformed` when `seq` is there but not a positive integer.
    package static func edition(in claims: CWTClaims) throws(CatalogueError) -> Int64? {
        guard let value = claims[claim: contentClaim]?[text: "seq"] else { return nil }
        guard let edition = value.int, edition > 0 else {
            throw CatalogueError(.malformed, "the signed catalogue's seq is not a positive integer")
        }
        return edition
    }

    /// Reads a catalogue from the claims of a verified signed catalogue.
    package init(claims: CWTClaims) throws(CatalogueError) {
        guard let bytes = claims[claim: Self.contentClaim]?[text: "json"]?.bytes else {
            throw CatalogueError(.malformed, "the signed catalogue has no json content")
        }
        try self.init(parsing: Data(bytes))
    }

    /// The Pinghu catalogue shipped with Zhucan.
    package static func pinghu() throws(CatalogueError) -> Catalogue {
        guard let url = Bundle.module.url(forResource: "pinghu-catalogue", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { throw CatalogueError(.malformed, "the shipped Pinghu catalogue is missing") }
        return try Catalogue(parsing: data)
    }

    /// The rule tests of the Pinghu catalogue shipped with Zhucan.
    package static func pinghuTests() throws(CatalogueError) -> Data {
        guard let url = Bundle.module.url(forResource: "pinghu-catalogue.tests", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { throw CatalogueError(.malformed, "the shipped Pinghu catalogue tests are missing") }
        return data
    }
}
