import ZhucanCatalogue
import ZhucanEnvelope

/// A catalogue edition as the issuer signs it (`GET /v1/catalogue/{n}`, a node's
/// `catalogue-N.zc1`), read under a trust list: signed by an issuer key the list lets sign at
/// the edition's `iat` (Docs/format.md §6.7), and holding a catalogue.
package struct CatalogueEdition: Sendable {
    /// Why an edition is not taken.
    package enum Failure: Error, Sendable {
        /// Not signed by a key the trust list lets sign then (a revoked key, an unknown one).
        case signature(String)
        /// Signed, but not a catalogue.
        case malformed(String)
    }

    package let catalogue: Catalogue
    /// The edition number it was signed with (`seq`); absent in editions signed before
    /// editions carried their number.
    package let number: Int64?

    /// The catalogue with the USCC of the issuer whose key signed the edition.
    package let issued: IssuerCatalogue

    /// Reads `text` under the issuer keys of a trust list.
    package init(verifying text: String, under issuerKeys: [TrustList.Entry]) throws(Failure) {
        let result = SignedObjectVerifier(keys: issuerKeys, policies: [.type([.catalogue]), .keyMaySignAtIssuance(fallback: 0)]).verify(text)
        guard let claims = result.claims, let signer = result.signer else { throw .signature("\(result.reason.rawValue): \(result.detail)") }
        do {
            catalogue = try Catalogue(claims: claims)
            number = try Catalogue.edition(in: claims)
        } catch {
            throw .malformed("\(error)")
        }
        issued = IssuerCatalogue(issuerCode: signer.issuerCode, catalogue: catalogue)
    }
}
