import ZhucanCatalogue

/// A catalogue with the USCC of the issuer that published it: a verifier judges a service
/// code only by its own issuer's catalogues (Docs/format.md §8 step 7.1).
package struct IssuerCatalogue: Sendable, Hashable {
    /// The publishing issuer's USCC: the trust-list entry of the key that signed the edition,
    /// or the workspace's own.
    package let issuerCode: String
    package let catalogue: Catalogue

    package init(issuerCode: String, catalogue: Catalogue) {
        self.issuerCode = issuerCode
        self.catalogue = catalogue
    }
}
