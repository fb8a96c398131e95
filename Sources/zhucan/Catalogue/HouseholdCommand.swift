import ArgumentParser
import ZhucanCatalogue
import ZhucanIssuer

/// `zhucan household`: record the household facts catalogue rules read (精准采集).
struct HouseholdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "household",
        abstract: "Record household facts of a holder (低保, 低保边缘, 困境儿童, employed, …) for eligibility rules.",
        discussion: "Facts: \(HouseholdFact.allCases.map(\.rawValue).joined(separator: ", ")). A fact never recorded reads as unknown, which grants nothing."
    )

    @OptionGroup var workspace: WorkspaceOption

    @Option(help: ArgumentHelp("Certificate number.", valueName: "number"))
    var certificate: String

    @Option(help: ArgumentHelp("Facts that are true, comma-separated.", valueName: "facts"))
    var set: String?

    @Option(help: ArgumentHelp("Facts that are false, comma-separated.", valueName: "facts"))
    var unset: String?

    func run() async throws {
        var facts: [HouseholdFact: Bool] = [:]
        for (list, value) in [(set, true), (unset, false)] {
            for name in (list ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                guard let fact = HouseholdFact(rawValue: name) else {
                    throw CommandFailure.input("unknown fact \"\(name)\"; known: \(HouseholdFact.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                facts[fact] = value
            }
        }
        guard !facts.isEmpty else { throw CommandFailure.input("give --set and/or --unset") }
        let opened = try workspace.open()
        try CommandFailure.mappingIssuerErrors { try opened.setHouseholdFacts(certificateNumber: certificate, facts: facts, now: Clock.now) }
        print("recorded: " + facts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue)=\($0.value)" }.joined(separator: ", "))
    }
}
