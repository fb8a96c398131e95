import ArgumentParser

/// `zhucan renew`: a certificate near or past the end of its term, renewed (换领).
struct RenewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "renew",
        abstract: "Renew a certificate for a new ten-year term (换领), from a year before its term ends.",
        discussion: """
            Issues a new version of the same certificate (the same number and e-license serial, version + 1, \
            the same category and level), valid ten years from today or from --valid-from, signed by the active \
            key; it supersedes the old one. The holder's enrolled phones follow the new one. Renewal opens a year \
            before the term ends (管理办法 Art. 19 renews an expired certificate; local rules open it earlier), and \
            stays open after it has ended. Details that changed meanwhile are given with the same options as \
            `zhucan correct`. A category or level found changed at renewal is a new certificate: `zhucan issue`.
            """
    )

    @OptionGroup var options: CertificateChangeOptions

    @Option(name: .customLong("valid-from"), help: "First day of the new term, yyyy-MM-dd, no later than today (default: today).")
    var validFrom: String?

    func run() async throws {
        try options.run(try options.change(renews: true, renewedFrom: validFrom), done: "已换领")
    }
}
