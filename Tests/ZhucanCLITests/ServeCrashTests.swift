import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GRDB
import Testing
import ZhucanTesting

/// `kill -9` of `zhucan serve` while it redeems codes: every redemption the client was told
/// about survives, and the database is intact — on the workspace's SQLite registry and on
/// PostgreSQL.
@Suite("zhucan serve: kill -9 during a load of redemptions")
struct ServeCrashTests {
    static let certificate = "36012119701121001343"
    /// Codes minted; far more than are redeemed before the kill, so the load is still running.
    static let codeCount = 1_000
    /// Concurrent clients.
    static let workers = 12
    /// Redemptions answered before the kill.
    static let killAfter = 100

    @Test("SQLite: every 200 redemption survives kill -9: after a restart it is already_redeemed; events match; integrity_check ok")
    func killDuringRedemptions() async throws {
        let (folder, confirmed, unanswered) = try await Self.killDuringRedemptions(database: nil)
        // The database: intact, and every redemption row has its event (one transaction each).
        let database = try DatabaseQueue(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
        try await database.read { db in
            #expect(try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"])
            let redemptions = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM redemption") ?? 0
            let events = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM verification_event WHERE route = 'redeem' AND reason = 'valid'") ?? 0
            let refusals = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM verification_event WHERE route = 'redeem' AND reason = 'already_redeemed'") ?? 0
            #expect(redemptions == events)
            #expect(redemptions >= confirmed + 1)
            #expect(redemptions <= confirmed + unanswered + 1)
            #expect(refusals == confirmed)
        }
    }

    @Test("PostgreSQL: every 200 redemption survives kill -9; every redemption row has its event", .enabled(if: TestPostgres.shouldRun))
    func killDuringRedemptionsOnPostgres() async throws {
        let url = try await TestPostgres.freshDatabase()
        let (folder, confirmed, unanswered) = try await Self.killDuringRedemptions(database: url)
        let redemptions = try await TestPostgres.integer("SELECT COUNT(*) FROM redemption", in: url)
        let events = try await TestPostgres.integer("SELECT COUNT(*) FROM verification_event WHERE route = 'redeem' AND reason = 'valid'", in: url)
        let refusals = try await TestPostgres.integer(
            "SELECT COUNT(*) FROM verification_event WHERE route = 'redeem' AND reason = 'already_redeemed'", in: url
        )
        #expect(redemptions == events)
        #expect(redemptions >= confirmed + 1)
        #expect(redemptions <= confirmed + unanswered + 1)
        #expect(refusals == confirmed)
        #expect(try await TestPostgres.integer("SELECT COUNT(*) FROM api_key", in: url) == 1)
        // The key, the redemptions and the events went to PostgreSQL, none to the workspace.
        let workspace = try DatabaseQueue(path: folder.url.appendingPathComponent("ws/zhucan.db").path)
        let counts = try await workspace.read { db in
            try ["api_key", "redemption", "verification_event"].map { try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1 }
        }
        #expect(counts == [0, 0, 0])
    }

    /// Mints codes, redeems them from many clients, kills the service with SIGKILL mid-load,
    /// restarts it and checks every confirmed redemption is still there.
    /// - Parameter database: `--database` for `apikey create` and `serve`; `nil` for SQLite.
    /// - Returns: the folder, and how many redemptions were confirmed and left unanswered.
    static func killDuringRedemptions(database: String?) async throws -> (TemporaryDirectory, confirmed: Int, unanswered: Int) {
        let folder = try ServerCommandTests.workspace()
        func zhucan(_ arguments: [String]) throws -> Shell.Output { try ZhucanBinary.run(arguments, in: folder.url) }
        #expect(try zhucan(["issue", "--dir", "ws", "--name", "王小明", "--id-number", "360121197011210013", "--category", "4",
                            "--level", "3", "--region", "330482"]).status == 0)
        let store = database.map { ["--database", $0] } ?? []
        let created = try zhucan(["apikey", "create", "--dir", "ws", "--name", "load", "--scope", "issue", "--scope", "redeem"] + store)
        #expect(created.status == 0, "\(created.errorText)")
        let key = created.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let limits = ["--rate-limit", "10000000"] + store

        let first = try ServeProcess(directory: "ws", in: folder.url, arguments: limits)
        let base = first.baseURL
        let codes = try await Self.mint(Self.codeCount, at: base, key: key)
        #expect(Set(codes).count == Self.codeCount)

        let ledger = RedemptionLedger(codes: codes)
        let load = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<Self.workers {
                    group.addTask { await Self.redeemUntilNoAnswer(ledger, at: base, key: key) }
                }
            }
        }
        let deadline = Date().addingTimeInterval(120)
        while await ledger.redeemed.count < Self.killAfter, Date() < deadline {
            try await Task.sleep(for: .milliseconds(2))
        }
        first.stop(SIGKILL)
        await load.value
        #expect(first.process.terminationReason == .uncaughtSignal)

        let confirmed = await ledger.redeemed
        let refused = await ledger.refused
        let unanswered = await ledger.unanswered
        #expect(confirmed.count >= Self.killAfter)
        #expect(refused.isEmpty, "before the kill, every code is new: \(refused.prefix(3))")
        #expect(!unanswered.isEmpty, "the kill came after the load ended")
        let neverSent = await ledger.remaining
        #expect(neverSent > 0, "the kill came after the load ended")
        print("kill -9 after \(confirmed.count) answered redemptions; \(unanswered.count) in flight; \(neverSent) codes never sent")

        // Restart on the same workspace: SQLite recovers its WAL.
        let second = try ServeProcess(directory: "ws", in: folder.url, arguments: limits, logName: "serve-2.log")
        let restarted = second.baseURL
        let again = RedemptionLedger(codes: confirmed)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 { group.addTask { await Self.redeemUntilNoAnswer(again, at: restarted, key: key) } }
        }
        let lost = await again.redeemed
        let answers = await again.refused
        #expect(lost.isEmpty, "confirmed redemptions lost in the kill: \(lost.count)")
        #expect(await again.unanswered.isEmpty)
        #expect(answers.count == confirmed.count)
        #expect(Set(answers.values) == ["200 already_redeemed"], "\(Set(answers.values))")

        // A code never sent before the kill still redeems: the service works on.
        let unused = try #require(codes.last)
        let (status, answer) = try await Self.post(second.baseURL.appendingPathComponent("v1/redeem"), key: key,
                                                   json: ["code": unused, "service": "free-bus"])
        #expect(status == 200 && answer["redeemed"] as? Bool == true, "\(answer)")
        second.stop(SIGTERM)
        #expect(second.process.terminationStatus == 0)
        return (folder, confirmed.count, unanswered.count)
    }

    /// Redeems codes from `ledger` until none are left or a request gets no answer.
    static func redeemUntilNoAnswer(_ ledger: RedemptionLedger, at base: URL, key: String) async {
        let url = base.appendingPathComponent("v1/redeem")
        while let code = await ledger.next() {
            do {
                let (status, answer) = try await post(url, key: key, json: ["code": code, "service": "free-bus"])
                await ledger.record(code, status: status, redeemed: answer["redeemed"] as? Bool ?? false,
                                    reason: answer["reason"] as? String ?? answer["error"] as? String ?? "")
            } catch {
                await ledger.recordUnanswered(code)
                return
            }
        }
    }

    /// `count` one-time free-bus codes from `POST /v1/codes/service`, eight requests at a time.
    static func mint(_ count: Int, at base: URL, key: String) async throws -> [String] {
        let url = base.appendingPathComponent("v1/codes/service")
        return try await withThrowingTaskGroup(of: [String].self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var codes: [String] = []
                    for _ in stride(from: worker, to: count, by: 8) {
                        let (status, answer) = try await post(url, key: key, json: [
                            "certificate": certificate, "service": "free-bus", "oneTime": true, "ttl": 3_600,
                        ])
                        guard status == 200, let code = answer["code"] as? String else {
                            throw ServeProcessError(message: "minting failed: \(status) \(answer)")
                        }
                        codes.append(code)
                    }
                    return codes
                }
            }
            var all: [String] = []
            for try await codes in group { all += codes }
            return all
        }
    }

    /// POSTs JSON with the key; the status and the JSON object answered.
    static func post(_ url: URL, key: String, json: [String: Any]) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: url, timeoutInterval: 30)
        request.httpMethod = "POST"
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONSerialization.data(withJSONObject: json)
        let (data, response) = try await URLSession.shared.data(for: request)
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
    }
}
