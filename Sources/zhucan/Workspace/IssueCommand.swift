import ArgumentParser
import Foundation
import ZhucanIdentifiers
import ZhucanIssuer

/// `zhucan issue`: one certificate from flags, or a batch from a CSV file.
struct IssueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "issue",
        abstract: "Issue an electronic disability certificate, or a batch of them from a CSV file.",
        discussion: """
            One certificate: --name --id-number --category --level --region [--ssc-card-number] [--valid-from].
            Validity is 10 years. A person with a live certificate of the same category and level
            is refused; a category or level change supersedes the old certificate.

            Batch: --batch FILE (.xlsx, or CSV in UTF-8 or GB18030, with a header row; columns name, id_number, category,
            level, region, and optional ssc_card_number, valid_from — or 姓名, 身份证号, 残疾类别,
            残疾等级, 户籍地, 社保卡号, 有效期起始). Every row is checked first; if any is bad, each
            bad line is listed and nothing is issued (exit 1), unless --skip-invalid. An
            interrupted batch can be run again: nobody is issued twice.
            """
    )

    @OptionGroup var workspace: WorkspaceOption

    @Option(help: "Holder name (姓名).")
    var name: String?

    @Option(name: .customLong("id-number"), help: "Holder citizen ID number (公民身份号码, 18 characters).")
    var idNumber: String?

    @Option(help: "Disability category 1–7: 1 visual, 2 hearing, 3 speech, 4 physical, 5 intellectual, 6 mental, 7 multiple.")
    var category: Int?

    @Option(help: "Disability level 1–4 (1 most severe).")
    var level: Int?

    @Option(help: "Household region code (GB/T 2260), e.g. 330482.")
    var region: String?

    @Option(name: .customLong("ssc-card-number"), help: "Social-security card number (社会保障卡卡号, 9 characters).")
    var sscCardNumber: String?

    @Option(name: .customLong("valid-from"), help: "First day of validity, yyyy-MM-dd (default: today).")
    var validFrom: String?

    @Flag(help: "Print JSON: code, certificateNumber, licenseId, statusIndex, validFrom, validUntil, superseded.")
    var json = false

    @Option(help: ArgumentHelp("Issue every row of a spreadsheet (.xlsx, or CSV in UTF-8 or GB18030).", valueName: "file"))
    var batch: String?

    @Flag(name: .customLong("skip-invalid"), help: "With --batch: issue the good rows, write the bad ones to the reject file.")
    var skipInvalid = false

    @Option(name: .customLong("reject-file"), help: ArgumentHelp("With --skip-invalid: where bad rows go, .xlsx (ID numbers stay text in Excel) or .csv (default FILE.rejected.xlsx for a workbook, else FILE.rejected.csv).", valueName: "file"))
    var rejectFile: String?

    func validate() throws {
        if batch == nil {
            guard name != nil, idNumber != nil, category != nil, level != nil, region != nil else {
                throw ValidationError("give --name, --id-number, --category, --level and --region (or --batch FILE)")
            }
        } else if name != nil || idNumber != nil || category != nil || level != nil {
            throw ValidationError("--batch cannot be combined with the single-certificate flags")
        }
        // Before the batch is read: a name in another format would be refused after it.
        if let rejectFile {
            let name = rejectFile.lowercased()
            guard name.hasSuffix(".xlsx") || name.hasSuffix(".csv") else {
                throw ValidationError("--reject-file must end in .xlsx (a workbook) or .csv")
            }
        }
    }

    func run() async throws {
        let opened = try workspace.open()
        if let batch {
            try await BatchIssue(workspace: opened, file: batch, skipInvalid: skipInvalid, rejectFile: rejectFile).run()
            CodeFormat.warnIfStandard(in: opened)
            try Self.warnOfTrustListExpiry(opened)
            return
        }
        let request = try makeRequest()
        let issued = try CommandFailure.mappingIssuerErrors { try opened.issue(request, now: Clock.now) }
        try Self.report(issued, json: json, done: "已发证", in: opened)
    }

    /// Prints a certificate just issued: its code on standard output and what it is on standard
    /// error, or with `json` one object (code, certificateNumber, licenseId, statusIndex,
    /// validFrom, validUntil, superseded); then the warnings an issuer should see.
    static func report(_ issued: IssuedCertificate, json: Bool, done: String, in workspace: Workspace) throws {
        if json {
            var object: [String: Any] = [
                "code": issued.code, "certificateNumber": issued.certificateNumber, "licenseId": issued.licenseID,
                "statusIndex": issued.statusIndex, "validFrom": issued.validFrom, "validUntil": issued.validUntil,
            ]
            object["superseded"] = issued.superseded
            try JSONOutput.print(object)
        } else {
            print(issued.code)
            // Standard error is often kept in a log: the number (an ID number and two digits) is
            // masked there, as everywhere else; --json gives it whole, for scripts.
            let number = Workspace.maskedNumber(issued.certificateNumber)
            let replaced = issued.superseded.map { $0 == issued.certificateNumber ? ", superseding its previous version" : ", superseding \(Workspace.maskedNumber($0))" } ?? ""
            let line = "\(done) \(number)，有效期 \(issued.validFrom) 至 \(issued.validUntil) / issued certificate \(number) (\(issued.licenseID)), valid \(issued.validFrom) … \(issued.validUntil), status index \(issued.statusIndex)\(replaced)"
            FileHandle.standardError.write(Data((LanguageOption.Language.current.render(line) + "\n").utf8))
        }
        CodeFormat.warnIfStandard(issued.code, asked: .compact, in: workspace)
        try warnOfTrustListExpiry(workspace)
    }

    /// What `Workspace.trustListNotice` says, on standard error: nothing else tells an
    /// operator who only issues from the CLI that the trust list runs out.
    static func warnOfTrustListExpiry(_ workspace: Workspace) throws {
        guard let notice = try CommandFailure.mappingIssuerErrors({ try workspace.trustListNotice(now: Clock.now) }) else { return }
        FileHandle.standardError.write(Data((LanguageOption.Language.current.render(notice) + "\n").utf8))
    }

    /// Validates every field, reporting all the bad ones at once.
    func makeRequest() throws -> IssueRequest {
        var problems = FlagProblems()
        let name = problems.check("--name") { try PersonName(entered: self.name ?? "") }
        let citizenID = problems.check("--id-number") { try CitizenIDNumber(idNumber ?? "") }
        let category = problems.check("--category") { () throws -> DisabilityCategory in
            guard let value = DisabilityCategory(rawValue: self.category ?? 0) else { throw ValidationError("must be 1–7") }
            return value
        }
        let level = problems.check("--level") { () throws -> DisabilityLevel in
            guard let value = DisabilityLevel(rawValue: self.level ?? 0) else { throw ValidationError("must be 1–4") }
            return value
        }
        let region = problems.check("--region") { try RegionCode(household: self.region ?? "") }
        let card = sscCardNumber.flatMap { number in problems.check("--ssc-card-number") { try SocialSecurityCardNumber(number) } }
        let from = validFrom.flatMap { date in problems.check("--valid-from") { try CivilDate(date) } }
        try problems.throwIfAny()
        guard let name, let citizenID, let category, let level, let region else { throw CommandFailure.input("a required flag is missing") }
        return IssueRequest(name: name, citizenID: citizenID, category: category, level: level, region: region,
                            socialSecurityCard: card, validFrom: from)
    }
}
