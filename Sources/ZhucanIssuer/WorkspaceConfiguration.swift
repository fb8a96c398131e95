/// A workspace's settings (`config.json`), with defaults that work out of the box.
package struct WorkspaceConfiguration: Codable, Sendable, Hashable {
    /// 证照颁发机构: the issuing federation's name.
    package var issuerName: String
    /// 证照颁发机构代码: its unified social credit code (GB 32100).
    package var issuerCode: String
    /// The issuer's region code (GB/T 2260).
    package var region: String
    /// Signature algorithm of new keys: `sm2` (default, the national standard), `es256`, `ed25519`.
    package var algorithm: String
    /// 证照类型代码 (GB/T 36904): the defining body's USCC + 3 digits, assigned by the national
    /// e-license platform. The demo value is a placeholder.
    package var licenseTypeCode: String
    /// The URI of the status list, carried in every certificate and code (`sub` of the list).
    package var statusListURI: String
    /// How long a published trust list is valid, days.
    package var trustListValidityDays: Int
    /// How long a published status list is valid, seconds (verifiers answer `status_unknown` after).
    package var statusListValiditySeconds: Int
    /// The `ttl` of the status list: how long verifiers may cache it, seconds.
    package var statusListTimeToLive: Int
    /// Default lifetime of identity codes, seconds.
    package var identityCodeSeconds: Int
    /// Default lifetime of service codes, seconds.
    package var serviceCodeSeconds: Int
    /// The transparency log's origin: the first line of its checkpoints and the name of its
    /// key (C2SP tlog-checkpoint). Unset: `zhucan.log/<issuerCode>`.
    package var logOrigin: String?

    /// The Pinghu demo issuer (placeholder codes, never for real certificates).
    package static let demo = WorkspaceConfiguration(
        issuerName: "平湖市残疾人联合会（演示）", issuerCode: "11330482MB1234567N", region: "330482", algorithm: "sm2"
    )

    /// Makes a configuration with defaults for everything but the issuer.
    package init(
        issuerName: String, issuerCode: String, region: String, algorithm: String,
        licenseTypeCode: String = "11100000MB0000001T001",
        statusListURI: String = "https://zhucan.example/v1/status-lists/1",
        trustListValidityDays: Int = 180, statusListValiditySeconds: Int = 86_400, statusListTimeToLive: Int = 3_600,
        identityCodeSeconds: Int = 300, serviceCodeSeconds: Int = 600, logOrigin: String? = nil
    ) {
        self.issuerName = issuerName
        self.issuerCode = issuerCode
        self.region = region
        self.algorithm = algorithm
        self.licenseTypeCode = licenseTypeCode
        self.statusListURI = statusListURI
        self.trustListValidityDays = trustListValidityDays
        self.statusListValiditySeconds = statusListValiditySeconds
        self.statusListTimeToLive = statusListTimeToLive
        self.identityCodeSeconds = identityCodeSeconds
        self.serviceCodeSeconds = serviceCodeSeconds
        self.logOrigin = logOrigin
    }
}
