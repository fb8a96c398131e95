import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import ZhucanTesting

/// `--database postgres://…` (and `$ZHUCAN_DATABASE_URL`) on `zhucan apikey`, `zhucan audit
/// lookups` and `zhucan serve`, through the built binary.
@Suite("zhucan --database")
struct DatabaseOptionTests {
    @Test("A URL that is not postgres://, or a malformed one: exit 2 with the reason, before anything is touched")
    func refused() throws {
        let folder = try ServerCommandTests.workspace()
        let notPostgres = try ZhucanBinary.run(["apikey", "list", "--dir", "ws", "--database", "ws/zhucan.db"], in: folder.url)
        #expect(notPostgres.status == 2)
        #expect(notPostgres.errorText.contains("--database must be a postgres:// URL"))
        let noDatabase = try ZhucanBinary.run(["apikey", "list", "--dir", "ws"], in: folder.url,
                                              environment: ["ZHUCAN_DATABASE_URL": "postgres://zhucan@127.0.0.1:5432"])
        #expect(noDatabase.status == 2)
        #expect(noDatabase.errorText.contains("names no database"))
    }

    @Test("A server that does not answer: exit 2, the reason, and the password masked")
    func unreachable() throws {
        let folder = try ServerCommandTests.workspace()
        let result = try ZhucanBinary.run(
            ["apikey", "create", "--dir", "ws", "--name", "x", "--scope", "verify",
             "--database", "postgres://zhucan:hunter2@127.0.0.1:1/zhucan?sslmode=disable"],
            in: folder.url
        )
        #expect(result.status == 2)
        #expect(result.errorText.contains("cannot prepare the database at postgres://zhucan:***@127.0.0.1:1/zhucan"), "\(result.errorText)")
        #expect(result.errorText.contains("refused"), "\(result.errorText)")
        #expect(!result.errorText.contains("hunter2"))
        #expect(result.text.isEmpty)
    }

    @Test("apikey create/list/revoke, serve and audit lookups share one PostgreSQL database", .enabled(if: TestPostgres.shouldRun))
    func shared() async throws {
        let folder = try ServerCommandTests.workspace()
        let url = try await TestPostgres.freshDatabase()
        func zhucan(_ arguments: [String]) throws -> Shell.Output {
            try ZhucanBinary.run(arguments, in: folder.url, environment: ["ZHUCAN_DATABASE_URL": url])
        }
        #expect(try zhucan(["issue", "--dir", "ws", "--name", "王小明", "--id-number", "360121197011210013", "--category", "4",
                            "--level", "3", "--region", "330482", "--ssc-card-number", "A12345678"]).status == 0)
        let created = try zhucan(["apikey", "create", "--dir", "ws", "--name", "window 1", "--scope", "lookup"])
        #expect(created.status == 0, "\(created.errorText)")
        let key = created.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let id = String(key.dropFirst(3).prefix(8))
        #expect(try zhucan(["apikey", "list", "--dir", "ws"]).text.contains("\(id)\twindow 1\tlookup"))
        // The workspace's own registry knows nothing of it.
        #expect(try ZhucanBinary.run(["apikey", "list", "--dir", "ws"], in: folder.url).text.contains(id) == false)

        let service = try ServeProcess(directory: "ws", in: folder.url, arguments: ["--database", url])
        var request = URLRequest(url: service.baseURL.appendingPathComponent("v1/holders/by-ssc/A12345678"))
        request.url = URL(string: request.url!.absoluteString + "?purpose=bus%20pass")
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        service.stop(SIGTERM)
        #expect(service.process.terminationStatus == 0)

        let lookups = try zhucan(["audit", "lookups", "--dir", "ws"])
        #expect(lookups.status == 0)
        #expect(lookups.text.contains("\(id)\t"))
        #expect(lookups.text.contains("bus pass"))
        #expect(lookups.text.hasSuffix("1 lookups\n"))
        #expect(!lookups.text.contains("A12345678"))

        #expect(try zhucan(["apikey", "revoke", "--dir", "ws", "--id", id]).status == 0)
        let again = try zhucan(["apikey", "revoke", "--dir", "ws", "--id", id])
        #expect(again.status == 1)
        #expect(again.errorText.contains("already revoked"))
    }

    // Coverage, discovery and the plan read redemptions from the workspace's registry only: with
    // the service on PostgreSQL, a holder who redeemed was counted unserved and listed for
    // contact.
    @Test("coverage, discover and report plan count the redemptions kept in PostgreSQL", .enabled(if: TestPostgres.shouldRun))
    func reportsReadRedemptionsFromPostgreSQL() async throws {
        let folder = try ServerCommandTests.workspace()
        let url = try await TestPostgres.freshDatabase()
        func zhucan(_ arguments: [String], database: Bool = true) throws -> Shell.Output {
            try ZhucanBinary.run(arguments, in: folder.url, environment: database ? ["ZHUCAN_DATABASE_URL": url] : [:])
        }
        #expect(try zhucan(["catalogue", "publish", "--dir", "ws", "--in", ShippedCatalogue.resources.appendingPathComponent("pinghu-catalogue.json").path]).status == 0)
        // The 2027 edition, its end moved far out so that the test runs in any later year.
        let next = "pinghu-catalogue-2027.json"
        try ShippedCatalogue.edited([(#""validUntil": "2027-12-31""#, #""validUntil": "2099-12-31""#)], in: next)
            .write(to: folder.url.appendingPathComponent("catalogue-2027.json"))
        #expect(try zhucan(["catalogue", "publish", "--dir", "ws", "--in", "catalogue-2027.json", "--tests", ShippedCatalogue.testsFile(of: next).path]).status == 0)
        #expect(try zhucan(["issue", "--dir", "ws", "--name", "王小明", "--id-number", "360121197011210013", "--category", "4",
                            "--level", "3", "--region", "330482"]).status == 0)
        let key = try zhucan(["apikey", "create", "--dir", "ws", "--name", "bus", "--scope", "redeem"]).text
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let code = try zhucan(["code", "service", "--dir", "ws", "--certificate", "36012119701121001343", "--service", "free-bus", "--one-time"]).text
            .trimmingCharacters(in: .whitespacesAndNewlines)

        let service = try ServeProcess(directory: "ws", in: folder.url, arguments: ["--database", url])
        var request = URLRequest(url: service.baseURL.appendingPathComponent("v1/redeem"))
        request.httpMethod = "POST"
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: ["code": code, "service": "free-bus"])
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        service.stop(SIGTERM)

        func busServed(database: Bool) throws -> Int? {
            let output = try zhucan(["catalogue", "coverage", "--dir", "ws", "--json"], database: database)
            let report = try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [String: Any], "\(output.errorText)")
            return (report["services"] as? [[String: Any]])?.first { $0["id"] as? String == "free-bus" }?["served"] as? Int
        }
        #expect(try busServed(database: true) == 1)
        #expect(try busServed(database: false) == 0, "the registry holds no redemption: the service kept it in PostgreSQL")
        let discovered = try zhucan(["catalogue", "discover", "--dir", "ws", "--service", "free-bus", "--json", "--by", "clerk", "--purpose", "test"])
        let holders = try #require(try JSONSerialization.jsonObject(with: discovered.stdout) as? [String: Any])["holders"] as? [Any]
        #expect(holders?.isEmpty == true, "a holder who redeemed is not listed for contact")
        let plan = try zhucan(["report", "plan", "--dir", "ws", "--json"])
        #expect(plan.status == 0, "\(plan.errorText)")
        let planServices = try #require(try JSONSerialization.jsonObject(with: plan.stdout) as? [String: Any])["services"] as? [[String: Any]]
        #expect(planServices?.first { $0["id"] as? String == "free-bus" }?["served"] as? Int == 1, "the plan counts the redemption too")
    }
}
