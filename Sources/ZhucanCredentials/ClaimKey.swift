/// Zhucan's private CWT claim keys.
///
/// RFC 8392 §9.1 / IANA "CWT Claims": integer keys below -65536 are private use. Each object
/// carries its content under one such key, as a map with short text keys (as the EU DCC puts
/// its content under `hcert`, -260). Status references use the Token Status List's own
/// `status` claim (see `ZhucanStatusList`).
package enum ClaimKey {
    /// The object's content map; its layout depends on the `typ` header.
    package static let content: Int64 = -65537
}
