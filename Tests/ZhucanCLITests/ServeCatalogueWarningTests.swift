import Foundation
import Testing
import ZhucanIdentifiers
import ZhucanTesting

/// `zhucan serve` warns ahead of the day the published catalogue editions stop covering: from
/// then on service codes are refused (Docs/operations.md, "Every day").
@Suite("zhucan serve and the end of the published catalogue editions")
struct ServeCatalogueWarningTests {
    /// A workspace with a copy of the shipped catalogue whose last day is `until`.
    static func workspace(catalogueUntil until: String) throws -> TemporaryDirectory {
        let folder = try ServerCommandTests.workspace()
        try ShippedCatalogue.edited([(#""validUntil": "2026-12-31""#, "\"validUntil\": \"\(until)\"")])
            .write(to: folder.url.appendingPathComponent("catalogue.json"))
        let published = try ZhucanBinary.run(
            ["catalogue", "publish", "--dir", "ws", "--in", "catalogue.json", "--tests", ShippedCatalogue.testsFile().path], in: folder.url
        )
        try #require(published.status == 0, "\(published.errorText)")
        return folder
    }

    /// The China date `days` from today, as `yyyy-MM-dd`.
    static func chinaDay(_ days: Int) -> String {
        ChinaTime.date(of: Int64(Date().timeIntervalSince1970)).adding(days: days).description
    }

    /// Waits up to 20 s for `text` in the service's log.
    static func waitFor(_ text: String, in service: ServeProcess) async throws -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while !service.log.contains(text), Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        return service.log.contains(text)
    }

    @Test("Ten days before the editions end, the service warns, naming the last day; with none in force today, it says service codes are refused; with the next edition published, it says how far they reach and nothing more")
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
        try ShippedCatalogue.edited([
            (#""catalogueVersion": "pinghu-2026.5""#, #""catalogueVersion": "pinghu-2027.1""#),
            (#""validFrom": "2026-01-01""#, "\"validFrom\": \"\(Self.chinaDay(11))\""),
            (#""validUntil": "2026-12-31""#, "\"validUntil\": \"\(Self.chinaDay(400))\""),
        ]).write(to: covered.url.appendingPathComponent("next.json"))
        let published = try ZhucanBinary.run(
            ["catalogue", "publish", "--dir", "ws", "--in", "next.json", "--tests", ShippedCatalogue.testsFile().path], in: covered.url
        )
        try #require(published.status == 0, "\(published.errorText)")
        let quiet = try ServeProcess(directory: "ws", in: covered.url)
        #expect(try await Self.waitFor("cover through their last day", in: quiet), "\(quiet.log.suffix(1_500))")
        #expect(quiet.log.contains(Self.chinaDay(400)), "the chain of editions: \(quiet.log.suffix(1_500))")
        #expect(!quiet.log.contains("catalogue editions end") && !quiet.log.contains("no published catalogue"), "\(quiet.log.suffix(1_500))")
        quiet.stop()
    }
}
