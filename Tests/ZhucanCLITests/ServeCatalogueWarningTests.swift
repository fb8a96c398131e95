import Foundation
import Testing
import ZhucanTesting

/// `zhucan serve` warns ahead of the day the published catalogue editions stop covering: from
/// then on service codes are refused (Docs/operations.md, "Every day").
@Suite("zhucan serve and the end of the published catalogue editions")
struct ServeCatalogueWarningTests {
    /// A workspace with a copy of the shipped catalogue whose last day is `until`.
    static func workspace(catalogueUntil until: String) throws -> TemporaryDirectory {
        let folder = try ServerCommandTests.workspace()
        let resources = TestVectors.projectRoot.appendingPathComponent("Sources/ZhucanCatalogue/Resources")
        let text = try String(contentsOf: resources.appendingPathComponent("pinghu-catalogue.json"), encoding: .utf8)
            .replacingOccurrences(of: #""validUntil": "2026-12-31""#, with: "\"validUntil\": \"\(until)\"")
        try Data(text.utf8).write(to: folder.url.appendingPathComponent("catalogue.json"))
        let published = try ZhucanBinary.run(
            ["catalogue", "publish", "--dir", "ws", "--in", "catalogue.json", "--tests", resources.appendingPathComponent("pinghu-catalogue.tests.json").path],
            in: folder.url
        )
        #expect(published.status == 0, "\(published.errorText)")
        return folder
    }

    /// The China date `days` from now, as `yyyy-MM-dd`.
    static func chinaDay(_ days: Int) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3_600)
        return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
    }

    /// Waits up to 20 s for `text` in the service's log.
    static func waitFor(_ text: String, in service: ServeProcess) async throws -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while !service.log.contains(text), Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        return service.log.contains(text)
    }

    @Test("Ten days before the editions end, the service warns, naming the last day; with none in force today, it says service codes are refused")
    func warnsAheadOfTheEnd() async throws {
        let ending = try Self.workspace(catalogueUntil: Self.chinaDay(10))
        let service = try ServeProcess(directory: "ws", in: ending.url)
        #expect(try await Self.waitFor("the published catalogue editions end soon", in: service), "\(service.log.suffix(1_500))")
        #expect(service.log.contains(Self.chinaDay(10)), "\(service.log.suffix(1_500))")
        service.stop()

        let ended = try Self.workspace(catalogueUntil: Self.chinaDay(-1))
        let stale = try ServeProcess(directory: "ws", in: ended.url)
        #expect(try await Self.waitFor("no published catalogue is in force today", in: stale), "\(stale.log.suffix(1_500))")
        stale.stop()

        // The next edition published, from the day after to a year on: nothing to say.
        let covered = try Self.workspace(catalogueUntil: Self.chinaDay(10))
        let resources = TestVectors.projectRoot.appendingPathComponent("Sources/ZhucanCatalogue/Resources")
        let next = try String(contentsOf: covered.url.appendingPathComponent("catalogue.json"), encoding: .utf8)
            .replacingOccurrences(of: #""catalogueVersion": "pinghu-2026.5""#, with: #""catalogueVersion": "pinghu-2027.1""#)
            .replacingOccurrences(of: #""validFrom": "2026-01-01""#, with: "\"validFrom\": \"\(Self.chinaDay(11))\"")
            .replacingOccurrences(of: "\"validUntil\": \"\(Self.chinaDay(10))\"", with: "\"validUntil\": \"\(Self.chinaDay(400))\"")
        try Data(next.utf8).write(to: covered.url.appendingPathComponent("next.json"))
        let published = try ZhucanBinary.run(
            ["catalogue", "publish", "--dir", "ws", "--in", "next.json", "--tests", resources.appendingPathComponent("pinghu-catalogue.tests.json").path],
            in: covered.url
        )
        #expect(published.status == 0, "\(published.errorText)")
        let quiet = try ServeProcess(directory: "ws", in: covered.url)
        try await Task.sleep(for: .seconds(2))
        #expect(!quiet.log.contains("catalogue editions end") && !quiet.log.contains("no published catalogue"), "\(quiet.log.suffix(1_500))")
        quiet.stop()
    }
}
