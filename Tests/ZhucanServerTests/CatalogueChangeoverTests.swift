import Foundation
import Testing
import ZhucanCatalogue
import ZhucanCredentials
import ZhucanIdentifiers
import ZhucanIssuer

/// A service code names the catalogue edition it was minted under (Docs/format.md §8 step 7.3):
/// the verifier judges by it while it is in force, or while the code lives if it was in force on
/// the day the code was minted. The shipped editions do not overlap (2026 ends on 31 December,
/// 2027 starts on 1 January), so a code minted before midnight is shown after it.
@Suite("A service code and the end of the edition it names")
struct CatalogueChangeoverTests {
    /// The fixture's edition with its last day moved to `until`, as the issuer's.
    static func edition(_ own: IssuerCatalogue, until: CivilDate) throws -> IssuerCatalogue {
        var json = try #require(try JSONSerialization.jsonObject(with: Data(own.catalogue.json.jsonString.utf8)) as? [String: Any])
        json["validFrom"] = "2026-01-01"
        json["validUntil"] = until.description
        return IssuerCatalogue(issuerCode: own.issuerCode, catalogue: try Catalogue(parsing: try JSONSerialization.data(withJSONObject: json)))
    }

    @Test("Minted on the edition's last day and shown after midnight: judged by that edition, on the day it was minted; minted after the edition ended: status_unknown")
    func codeMintedBeforeMidnight() throws {
        let fixture = try ServerFixture()
        // A code of a day's life, so that it lives past the next midnight.
        let code = try fixture.workspace.serviceCode(
            certificateNumber: fixture.certificateNumber, service: "free-bus", seconds: 86_400, oneTime: false, now: ServerFixture.now)
        var lists = try fixture.workspace.verifierLists()
        let own = try #require(lists.catalogues.last)
        let today = ChinaTime.date(of: ServerFixture.now)
        let afterMidnight = ChinaTime.startOfDay(after: today) + 1
        func verify(at time: Int64) -> CredentialVerification {
            CredentialVerifier(lists: lists, configuration: .init(validationTime: time)).verify(code)
        }

        lists.catalogues = [try Self.edition(own, until: today)]
        #expect(verify(at: ServerFixture.now).reason == .valid)
        let after = verify(at: afterMidnight)
        #expect(after.reason == .valid, "\(after.detail)")

        // The edition had ended the day before the code was minted: nothing says who is entitled.
        let yesterday = ChinaTime.date(of: ChinaTime.startOfDay(today) - 1)
        lists.catalogues = [try Self.edition(own, until: yesterday)]
        let stale = verify(at: ServerFixture.now)
        #expect(stale.reason == .statusUnknown)
        #expect(stale.detail.contains("is not in force on \(today) ("), "\(stale.detail)")
    }
}
