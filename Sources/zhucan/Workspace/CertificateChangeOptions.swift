import ArgumentParser
import ZhucanIdentifiers
import ZhucanIssuer

/// The options `zhucan correct` and `zhucan renew` share: which certificate, and the details
/// to change on it.
struct CertificateChangeOptions: ParsableArguments {
    @OptionGroup var workspace: WorkspaceOption

    @Option(help: ArgumentHelp("Certificate number (残疾人证号, 20 characters).", valueName: "number"))
    var certificate: String

    @Option(help: "The holder's name as it should read (姓名).")
    var name: String?

    @Option(help: "The household region code (GB/T 2260), after a move (户籍迁移) or to correct one entered wrong.")
    var region: String?

    @Option(name: .customLong("ssc-card-number"), help: "The social-security card number (社会保障卡卡号, 9 characters) to carry instead.")
    var sscCardNumber: String?

    @Flag(name: .customLong("remove-ssc-card"), help: "Carry no social-security card (one entered that is another person's).")
    var removeSSCCard = false

    @Flag(help: "Print JSON: code, certificateNumber, licenseId, statusIndex, validFrom, validUntil, superseded.")
    var json = false

    func validate() throws {
        if removeSSCCard, sscCardNumber != nil {
            throw ValidationError("give --ssc-card-number or --remove-ssc-card, not both")
        }
    }

    /// The change the flags ask for, every bad value named at once.
    func change(renews: Bool = false, renewedFrom: String? = nil) throws -> CertificateChange {
        var problems = FlagProblems()
        let name = self.name.flatMap { name in problems.check("--name") { try PersonName(entered: name) } }
        let region = self.region.flatMap { region in problems.check("--region") { try RegionCode(household: region) } }
        let card = sscCardNumber.flatMap { number in problems.check("--ssc-card-number") { try SocialSecurityCardNumber(number) } }
        let from = renewedFrom.flatMap { date in problems.check("--valid-from") { try CivilDate(date) } }
        try problems.throwIfAny()
        return CertificateChange(
            name: name, region: region, card: removeSSCCard ? .remove : card.map { .replace($0) } ?? .keep, renews: renews, renewedFrom: from
        )
    }

    /// Issues the certificate again with `change` and prints it as `zhucan issue` does.
    func run(_ change: CertificateChange, done: String) throws {
        let opened = try workspace.open()
        let issued = try CommandFailure.mappingIssuerErrors {
            try opened.reissueCertificate(number: certificate, with: change, now: Clock.now)
        }
        try IssueCommand.report(issued, json: json, done: done, in: opened)
    }
}
