import Foundation
import Testing
import ZhucanIdentifiers
import ZhucanRegistry
import ZhucanTesting

/// `zhucan correct` and `zhucan renew`: one live certificate issued again as a new version of
/// itself, with details corrected or a new term (管理办法 Art. 19, 21).
extension WorkspaceCommandTests {
    /// The version of an e-license identifier (GB/T 36904: the second-to-last part).
    static func version(_ licenseID: Any?) -> String? {
        (licenseID as? String).map { $0.split(separator: ".").dropLast().last.map(String.init) ?? "" }
    }

    @Test("correct: a new version of the same certificate with the name and region given, the same term; the old code is refused, the log says what changed")
    func correctNameAndRegion() throws {
        try initDemo()
        let first = try issue(extra: ["--ssc-card-number", "A12345678"])
        let number = try #require(first["certificateNumber"] as? String)
        let oldCode = try #require(first["code"] as? String)

        let corrected = try zhucan(["correct", "--dir", "D", "--certificate", number, "--name", "王晓明", "--region", "330481", "--json"])
        #expect(corrected.status == 0, "\(corrected.errorText)")
        let answer = try json(corrected)
        #expect(answer["certificateNumber"] as? String == number)
        #expect(answer["superseded"] as? String == number)
        #expect(Self.version(answer["licenseId"]) == "002")
        #expect((answer["licenseId"] as? String)?.split(separator: ".").dropLast(2) == (first["licenseId"] as? String)?.split(separator: ".").dropLast(2), "the same serial")
        #expect(answer["validFrom"] as? String == first["validFrom"] as? String && answer["validUntil"] as? String == first["validUntil"] as? String)

        let registry = try Registry(path: folder.path("D/zhucan.db"))
        let live = try #require(try registry.liveCertificate(citizenID: Self.wang))
        #expect(live.name == "王晓明" && live.region == "330481")
        #expect(live.socialSecurityCard == "A12345678", "the card is kept")
        #expect(try reason(try #require(answer["code"] as? String)) == "valid")
        #expect(try reason(oldCode) == "revoked")
        #expect(try zhucan(["code", "identity", "--dir", "D", "--certificate", number]).status == 0, "codes come from the new version")

        try auditLog()
        #expect(try zhucan(["audit", "signatures", "--dir", "D"]).status == 0)
        let events = try registry.events(certificateID: live.id)
        #expect(events.contains { $0.kind == "issued" && $0.reason == "corrected: name, region" }, "\(events)")
    }

    @Test("correct refuses, changing nothing: no detail given, the same details, a suspended or a revoked certificate, another person's card; it removes a card")
    func correctRefusals() throws {
        try initDemo()
        let wang = try issue(extra: ["--ssc-card-number", "A12345678"])
        let number = try #require(wang["certificateNumber"] as? String)
        let li = try issue(name: "李四", id: Self.li, category: 1, level: 1)
        let liNumber = try #require(li["certificateNumber"] as? String)

        let nothing = try zhucan(["correct", "--dir", "D", "--certificate", number])
        #expect(nothing.status == 2 && nothing.errorText.contains("--name"), "\(nothing.errorText)")
        #expect(try zhucan(["correct", "--dir", "D", "--certificate", number, "--ssc-card-number", "B12345678", "--remove-ssc-card"]).status == 2)
        let same = try zhucan(["correct", "--dir", "D", "--certificate", number, "--name", "王小明", "--region", "330482"])
        #expect(same.status == 2 && same.errorText.contains("nothing to change"), "\(same.errorText)")
        let bad = try zhucan(["correct", "--dir", "D", "--certificate", number, "--name", "", "--region", "33048"])
        #expect(bad.status == 2 && bad.errorText.contains("--name") && bad.errorText.contains("--region"), "every bad value named: \(bad.errorText)")
        let taken = try zhucan(["correct", "--dir", "D", "--certificate", liNumber, "--ssc-card-number", "A12345678"])
        #expect(taken.status == 2 && taken.errorText.contains("another person's certificate"), "\(taken.errorText)")
        #expect(!taken.errorText.contains(Self.li) && !taken.errorText.contains(Self.wang))

        // The card was Li's, entered on Wang's certificate: removed there, it can go on Li's.
        #expect(try zhucan(["correct", "--dir", "D", "--certificate", number, "--remove-ssc-card"]).status == 0)
        #expect(try zhucan(["correct", "--dir", "D", "--certificate", liNumber, "--ssc-card-number", "A12345678"]).status == 0)
        let registry = try Registry(path: folder.path("D/zhucan.db"))
        #expect(try registry.liveCertificate(citizenID: Self.wang)?.socialSecurityCard == nil)
        #expect(try registry.liveCertificate(citizenID: Self.li)?.socialSecurityCard == "A12345678")

        #expect(try zhucan(["suspend", "--dir", "D", "--certificate", number, "--reason", "复核中"]).status == 0)
        let suspended = try zhucan(["correct", "--dir", "D", "--certificate", number, "--name", "王晓明"])
        #expect(suspended.status == 1 && suspended.errorText.contains("zhucan reinstate"), "\(suspended.errorText)")
        let issued = try zhucan(["issue", "--dir", "D", "--name", "王小明", "--id-number", Self.wang, "--category", "4", "--level", "3", "--region", "330482"])
        #expect(issued.status == 1 && issued.errorText.contains("zhucan reinstate") && !issued.errorText.contains("zhucan correct"), "\(issued.errorText)")
        #expect(try reason(try #require(try registry.liveCertificate(citizenID: Self.wang)?.code)) == "suspended", "still suspended")
        #expect(try zhucan(["revoke", "--dir", "D", "--certificate", number, "--reason", "deceased"]).status == 0)
        let revoked = try zhucan(["correct", "--dir", "D", "--certificate", number, "--name", "王晓明"])
        #expect(revoked.status == 1 && revoked.errorText.contains("revoked"), "\(revoked.errorText)")
        #expect(try zhucan(["correct", "--dir", "D", "--certificate", Self.citizenID("11010519491231002") + "11", "--name", "王晓明"]).status == 1, "no such certificate")
    }

    @Test("renew: refused before the last year of the term, saying from when; in it, a new ten-year term from today, with corrections; never from a day ahead")
    func renew() throws {
        try initDemo()
        let fresh = try issue(name: "李四", id: Self.li, category: 1, level: 1)
        let early = try zhucan(["renew", "--dir", "D", "--certificate", try #require(fresh["certificateNumber"] as? String)])
        #expect(early.status == 1, "\(early.errorText)")
        let validUntil = try CivilDate(try #require(fresh["validUntil"] as? String))
        #expect(early.errorText.contains("renewed from \(validUntil.year - 1)-"), "\(early.errorText)")

        // Valid from nine and a half years ago (a paper certificate carried over keeps its dates).
        let today = CivilDate.today()
        let month = today.month + 6
        let start = try CivilDate(year: today.year - 10 + (month > 12 ? 1 : 0), month: month > 12 ? month - 12 : month, day: min(today.day, 28))
        let old = try issue(extra: ["--valid-from", start.description])
        let number = try #require(old["certificateNumber"] as? String)
        let ahead = try zhucan(["renew", "--dir", "D", "--certificate", number, "--valid-from", "\(today.year + 1)-01-01"])
        #expect(ahead.status == 2 && ahead.errorText.contains("no later than today"), "\(ahead.errorText)")

        // A start so far back that the new term would end no later than the old one: refused.
        var backs = [start]
        if start.day > 1 { backs.append(try CivilDate(year: start.year, month: start.month, day: start.day - 1)) }
        for back in backs {
            let shorter = try zhucan(["renew", "--dir", "D", "--certificate", number, "--valid-from", back.description])
            #expect(shorter.status == 2 && shorter.errorText.contains("no later than the current one"), "\(back): \(shorter.errorText)")
        }
        let renewed = try zhucan(["renew", "--dir", "D", "--certificate", number, "--region", "330481", "--json"])
        #expect(renewed.status == 0, "\(renewed.errorText)")
        let answer = try json(renewed)
        #expect(answer["validFrom"] as? String == today.description)
        #expect(answer["validUntil"] as? String == (try CertificateTerm.lastDay(startingOn: today)).description)
        #expect(Self.version(answer["licenseId"]) == "002")
        #expect(try reason(try #require(answer["code"] as? String)) == "valid")
        #expect(try reason(try #require(old["code"] as? String)) == "revoked")
        let registry = try Registry(path: folder.path("D/zhucan.db"))
        let live = try #require(try registry.liveCertificate(citizenID: Self.wang))
        #expect(live.region == "330481")
        #expect(try registry.events(certificateID: live.id).contains { $0.reason == "renewed: term, region" })

        // `issue` for a person already certified says where renewal and correction are.
        let again = try zhucan(["issue", "--dir", "D", "--name", "王小明", "--id-number", Self.wang, "--category", "4", "--level", "3", "--region", "330482"])
        #expect(again.status == 1 && again.errorText.contains("zhucan renew") && again.errorText.contains("zhucan correct"), "\(again.errorText)")
    }
}
