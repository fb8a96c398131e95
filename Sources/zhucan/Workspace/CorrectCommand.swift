import ArgumentParser

/// `zhucan correct`: a live certificate's name, region or card, corrected.
struct CorrectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "correct",
        abstract: "Correct a live certificate's name, household region or social-security card (资料更新、迁移).",
        discussion: """
            Issues a new version of the same certificate (the same number and e-license serial, version + 1, \
            the same category, level and term), signed by the active key, with the details given; it supersedes \
            the old one, which verifiers then refuse. The holder's enrolled phones follow the new one. The log \
            entry's reason names the details that changed, not their values.

            A category or level change is a new assessment and a new certificate number: `zhucan issue`. A wrong \
            ID number: revoke the certificate and issue one to the right number. An expired certificate is \
            corrected as it is renewed: `zhucan renew`, with the same options.
            """
    )

    @OptionGroup var options: CertificateChangeOptions

    func validate() throws {
        guard options.name != nil || options.region != nil || options.sscCardNumber != nil || options.removeSSCCard else {
            throw ValidationError("give what to correct: --name, --region, --ssc-card-number or --remove-ssc-card")
        }
    }

    func run() async throws {
        try options.run(try options.change(), done: "已更正")
    }
}
