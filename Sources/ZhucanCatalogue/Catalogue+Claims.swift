import Foundation
import ZhucanCBOR
import ZhucanCertLogic
import ZhucanEnvelope
import ZhucanIdentifiers

extension Catalogue {
    /// The private claim that carries the catalogue (see `Docs/format.md`).
    static let contentClaim: Int64 = -65537

    /// The CWT claims of a signed catalogue:
    /// `{1: issuer, 6: iat, 4: exp (end of validUntil), -65537: {"v": version, "json": bstr}}`,
    /// where `json` is the catalogue as compact JSON with sorted keys (UTF-8).
    package func claims(issuerCode: String, issuedAt: Int64) -> CWTClaims {
        let content = CBOR.map([
            CBOR.Pair(key: .text("v"), value: .text(version)),
            CBOR.Pair(key: .text("json"), value: .bytes(Array(json.jsonString.utf8))),
        ])
        let expiration = (try? CivilDate(validUntil)).map { ChinaTime.startOfDay(after: $0) }
        return CWTClaims(
            issuer: issuerCode, expiration: expiration, issuedAt: issuedAt,
            otherClaims: [CBOR.Pair(key: CBOR(Self.contentClaim), value: content)]
        )
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
