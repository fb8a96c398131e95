/// COSE header parameter labels used here (IANA "COSE Header Parameters").
package enum CoseHeaderLabel {
    /// `alg` (RFC 9052 §3.1).
    package static let algorithm: Int64 = 1
    /// `crit` (RFC 9052 §3.1).
    package static let critical: Int64 = 2
    /// `content type` (RFC 9052 §3.1).
    package static let contentType: Int64 = 3
    /// `kid` (RFC 9052 §3.1).
    package static let keyID: Int64 = 4
    /// `typ` (RFC 9596 §2): which kind of object the payload is.
    package static let type: Int64 = 16
}
