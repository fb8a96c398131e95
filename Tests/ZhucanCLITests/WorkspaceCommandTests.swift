import Foundation
import GRDB
import Testing
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanIssuer
import ZhucanRegistry
import ZhucanSigning
import ZhucanTesting

/// The issuer's workflow through the built binary: `init`, `issue`, `code`, `verify`,
/// `suspend` / `reinstate` / `revoke`, `keys rotate`, and the published trust and status lists
/// used offline without a workspace.
@Suite("zhucan workspace: issue, codes, status, rotation, offline lists")
struct WorkspaceCommandTests {
    let folder: TemporaryDirectory
    let demoKeys = TestVectors.projectRoot.appendingPathComponent("keys")

    /// Two valid citizen ID numbers (GB 11643-1999 check characters).
    static let wang = "360426199101010071"
    static let li = "360121197011210013"

    init() throws {
        folder = try TemporaryDirectory()
    }

    // MARK: - Helpers

    func zhucan(_ arguments: [String]) throws -> Shell.Output {
        try ZhucanBinary.run(arguments, in: folder.url)
    }

    func json(_ output: Shell.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [String: Any], "not JSON: \(output.text) \(output.errorText)")
    }

    /// `zhucan init --demo` into `dir`, with the repository's demo keys.
    @discardableResult
    func initDemo(_ dir: String = "D", algorithm: String? = nil) throws -> Shell.Output {
        var arguments = ["init", "--demo", "--dir", dir, "--keys-dir", demoKeys.path]
        if let algorithm { arguments += ["--algorithm", algorithm] }
        let output = try zhucan(arguments)
        try #require(output.status == 0, "init \(dir): \(output.errorText)")
        return output
    }

    /// `zhucan issue --json`, which must succeed; returns its JSON.
    func issue(
        _ dir: String = "D", name: String = "王小明", id: String = wang, category: Int = 4, level: Int = 3,
        extra: [String] = []
    ) throws -> [String: Any] {
        let output = try zhucan([
            "issue", "--dir", dir, "--name", name, "--id-number", id, "--category", "\(category)", "--level", "\(level)",
            "--region", "330482", "--json",
        ] + extra)
        try #require(output.status == 0, "issue: \(output.errorText)")
        return try json(output)
    }

    /// A code minted by `zhucan code …`, which must succeed.
    func mint(_ arguments: [String]) throws -> String {
        let output = try zhucan(["code"] + arguments)
        try #require(output.status == 0, "code \(arguments): \(output.errorText)")
        let code = output.text.trimmingCharacters(in: .whitespacesAndNewlines)
        // Compact by default (ZC2:); `--format 1` gives envelope version 1.
        let format = arguments.firstIndex(of: "--format").map { arguments[$0 + 1] }
        try #require(code.hasPrefix(format == "1" ? "ZC1:" : "ZC2:"))
        return code
    }

    /// `zhucan verify CODE --json` with `arguments`; checks that the exit status agrees with
    /// `valid` and returns the JSON.
    func verify(_ code: String, _ arguments: [String] = ["--dir", "D"]) throws -> [String: Any] {
        let output = try zhucan(["verify", code, "--json"] + arguments)
        let answer = try json(output)
        let valid = try #require(answer["valid"] as? Bool)
        #expect(output.status == (valid ? 0 : 1), "\(output.errorText)")
        #expect(valid == (answer["reason"] as? String == "valid"))
        return answer
    }

    /// The `reason` of `verify`.
    func reason(_ code: String, _ arguments: [String] = ["--dir", "D"]) throws -> String? {
        try verify(code, arguments)["reason"] as? String
    }

    /// Exports workspace D's log and audits the export as an auditor would (`audit log`),
    /// expecting no problem.
    /// - Returns: what the audit printed, its notes included.
    @discardableResult
    func auditLog(sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        #expect(try zhucan(["audit", "export", "--dir", "D", "--out", "log.jsonl"]).status == 0, sourceLocation: sourceLocation)
        let audit = try zhucan(["audit", "log", "--from", "log.jsonl"])
        #expect(audit.status == 0, "\(audit.text)\(audit.errorText)", sourceLocation: sourceLocation)
        return audit.text + audit.errorText
    }

    /// A time as `--at` takes it.
    static func iso(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds)).formatted(.iso8601)
    }

    static func seconds(_ iso: String) throws -> Int64 {
        Int64(try Date(iso, strategy: .iso8601).timeIntervalSince1970)
    }

    static func claims(_ code: String) throws -> CWTClaims {
        try #require(EnvelopeLayers(reading: code).claims)
    }

    /// The ID number `first17` completed with its ISO 7064 MOD 11-2 check character.
    static func citizenID(_ first17: String) -> String {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(first17, weights).reduce(0) { $0 + ($1.0.wholeNumberValue ?? 0) * $1.1 }
        return first17 + String(Array("10X98765432")[sum % 11])
    }

    // MARK: - 1. The whole life of a certificate

    @Test("zhucan code --format: compact (2) by default, 1 on request, both verify; anything else is refused; a certificate is issued compact")
    func codeFormats() throws {
        try initDemo(algorithm: "es256")
        let issued = try issue()
        let certificate = try #require(issued["code"] as? String)
        #expect(certificate.hasPrefix("ZC2:") && certificate.count < 300, "\(certificate.count) characters")
        let number = try #require(issued["certificateNumber"] as? String)
        let compact = try mint(["identity", "--dir", "D", "--certificate", number, "--show-category"])
        let standard = try mint(["identity", "--dir", "D", "--certificate", number, "--show-category", "--format", "1"])
        #expect(compact.count * 2 < standard.count, "\(compact.count) against \(standard.count) characters")
        for code in [certificate, compact, standard] {
            let answer = try verify(code)
            #expect(answer["reason"] as? String == "valid", "\(answer)")
            #expect(answer["kid"] as? String == (try verify(standard))["kid"] as? String, "the signer's full key id in both formats")
        }
        let refused = try zhucan(["code", "identity", "--dir", "D", "--certificate", number, "--format", "3"])
        #expect(refused.status == 2)
        #expect(refused.errorText.contains("--format"), "\(refused.errorText)")
    }

    /// Edits the demo workspace's `config.json` as an operator would after `init`.
    func setStatusListURI(_ uri: String) throws {
        let config = folder.url.appendingPathComponent("D/config.json")
        let text = try String(contentsOf: config, encoding: .utf8)
        let edited = text.replacingOccurrences(of: "https://zhucan.example/v1/status-lists/1", with: uri)
        try #require(edited != text)
        try edited.write(to: config, atomically: true, encoding: .utf8)
    }

    // It had said to publish the trust list again, which changes nothing for such a URI.
    @Test("a status list URI that does not end in a list number keeps codes in format 1, and the note says so")
    func formatOneForAnUnnumberedStatusList() throws {
        try initDemo()
        try setStatusListURI("https://zhucan.example/status")
        let number = try #require(try issue()["certificateNumber"] as? String)
        #expect(try zhucan(["trust-list", "publish", "--dir", "D", "--out", "trust-list.zc1"]).status == 0)
        let minted = try zhucan(["code", "identity", "--dir", "D", "--certificate", number])
        #expect(minted.status == 0, "\(minted.errorText)")
        #expect(minted.text.hasPrefix("ZC1:"))
        #expect(minted.errorText.contains("statusListURI in config.json (https://zhucan.example/status) does not end in a list number"),
                "\(minted.errorText)")
        #expect(!minted.errorText.contains("publish the trust list again"))
    }

    @Test("config.json edited after init: issue says its certificate is in format 1 until the trust list is published again")
    func issueAfterEditingTheConfiguration() throws {
        try initDemo()
        try setStatusListURI("https://zhucan.pinghu.example/v1/status-lists/1")
        let first = try zhucan(["issue", "--dir", "D", "--name", "王小明", "--id-number", Self.wang, "--category", "4", "--level", "3", "--region", "330482"])
        #expect(first.status == 0, "\(first.errorText)")
        #expect(first.text.hasPrefix("ZC1:"))
        #expect(first.errorText.contains("publish the trust list again"), "\(first.errorText)")
        #expect(try zhucan(["trust-list", "publish", "--dir", "D", "--out", "trust-list.zc1"]).status == 0)
        let second = try zhucan(["issue", "--dir", "D", "--name", "李四", "--id-number", Self.li, "--category", "1", "--level", "1", "--region", "330482"])
        #expect(second.text.hasPrefix("ZC2:"))
        #expect(!second.errorText.contains("format 1"), "\(second.errorText)")
    }

    @Test("code certificate prints the certificate as issued, for the holder or a court; a state other than active is said")
    func certificateTextAfterIssuance() throws {
        try initDemo()
        let issued = try issue()
        let number = try #require(issued["certificateNumber"] as? String)
        let printed = try zhucan(["code", "certificate", "--dir", "D", "--certificate", number.lowercased()])
        #expect(printed.status == 0, "\(printed.errorText)")
        #expect(printed.text.trimmingCharacters(in: .whitespacesAndNewlines) == issued["code"] as? String)
        #expect(printed.errorText.isEmpty)
        #expect(try zhucan(["revoke", "--dir", "D", "--certificate", number, "--reason", "x"]).status == 0)
        let revoked = try zhucan(["code", "certificate", "--dir", "D", "--certificate", number])
        #expect(revoked.status == 0 && revoked.errorText.contains("this certificate is revoked"), "\(revoked.errorText)")
        #expect(try zhucan(["code", "certificate", "--dir", "D", "--certificate", "36042619910101007X43"]).status == 2, "a bad number")
        #expect(try zhucan(["code", "certificate", "--dir", "D", "--certificate", Self.li + "11"]).status == 1, "none such")
    }

    @Test func certificateLifecycleEndToEnd() throws {
        try initDemo()
        let issued = try issue()
        let number = try #require(issued["certificateNumber"] as? String)
        #expect(number == Self.wang + "43")
        #expect(issued["statusIndex"] as? Int == 0)
        #expect(issued["superseded"] == nil)
        #expect((issued["licenseId"] as? String)?.hasPrefix("1.2.156.3005.2.") == true)
        let validFrom = try #require(issued["validFrom"] as? String), validUntil = try #require(issued["validUntil"] as? String)
        #expect(Int(validUntil.prefix(4)) == Int(validFrom.prefix(4)).map { $0 + 10 })
        let certificate = try #require(issued["code"] as? String)

        // The certificate itself: masked name, category and level.
        let checked = try verify(certificate)
        #expect(checked["reason"] as? String == "valid")
        #expect(checked["type"] as? String == "certificate")
        let certificateHolder = try #require(checked["holder"] as? [String: Any])
        #expect(certificateHolder["name"] as? String == "王*明")
        #expect(certificateHolder["category"] as? Int == 4 && certificateHolder["level"] as? Int == 3)

        // An identity code shows the masked name and nothing about the disability …
        let identity = try mint(["identity", "--dir", "D", "--certificate", number])
        let answer = try verify(identity)
        #expect(answer["reason"] as? String == "valid")
        #expect(answer["type"] as? String == "identity_code")
        #expect(answer["clock"] as? String == "system clock")
        #expect(answer["trustListExpires"] is String && answer["statusListExpires"] is String)
        let holder = try #require(answer["holder"] as? [String: Any])
        #expect(holder["name"] as? String == "王*明")
        #expect(holder["category"] == nil && holder["level"] == nil)
        #expect(!identity.contains("王小明") && !answer.description.contains("王小明"))

        // … unless the holder chooses to show them.
        let shown = try verify(try mint(["identity", "--dir", "D", "--certificate", number, "--show-category"]))
        let shownHolder = try #require(shown["holder"] as? [String: Any])
        #expect(shownHolder["category"] as? Int == 4 && shownHolder["level"] as? Int == 3)

        // The human answer is bilingual and says what to do.
        let human = try zhucan(["verify", identity, "--dir", "D"])
        #expect(human.status == 0)
        #expect(human.text.contains("有效 / valid") && human.text.contains("王*明") && human.text.contains("accept"))

        // Suspend: every code of the certificate is suspended; no new codes.
        let suspended = try zhucan(["suspend", "--dir", "D", "--certificate", number, "--reason", "复核中"])
        #expect(suspended.status == 0, "\(suspended.errorText)")
        #expect(try reason(identity) == "suspended")
        #expect(try reason(certificate) == "suspended")
        let refusedWhileSuspended = try zhucan(["code", "identity", "--dir", "D", "--certificate", number])
        #expect(refusedWhileSuspended.status == 1)
        #expect(refusedWhileSuspended.errorText.contains("suspended"))
        #expect(!refusedWhileSuspended.errorText.contains(Self.wang))

        // Reinstate: the code minted before the suspension is valid again.
        #expect(try zhucan(["reinstate", "--dir", "D", "--certificate", number, "--reason", "复核通过"]).status == 0)
        #expect(try reason(identity) == "valid")

        // Revoke is final.
        #expect(try zhucan(["revoke", "--dir", "D", "--certificate", number, "--reason", "注销"]).status == 0)
        #expect(try reason(identity) == "revoked")
        #expect(try reason(certificate) == "revoked")
        let reinstate = try zhucan(["reinstate", "--dir", "D", "--certificate", number, "--reason", "x"])
        #expect(reinstate.status == 1)
        #expect(reinstate.errorText.contains("revoked"))
        #expect(!reinstate.errorText.contains(Self.wang))
        #expect(try zhucan(["suspend", "--dir", "D", "--certificate", number, "--reason", "x"]).status == 1)
        let refused = try zhucan(["code", "identity", "--dir", "D", "--certificate", number])
        #expect(refused.status == 1)
        #expect(refused.errorText.contains("revoked"))
        #expect(refused.text.isEmpty)
        #expect(try zhucan(["code", "service", "--dir", "D", "--certificate", number, "--service", "free-bus"]).status == 1)
    }

    @Test func codesExpireAndAreNotValidBeforeTheyAreIssued() async throws {
        try initDemo()
        let number = try #require(try issue()["certificateNumber"] as? String)
        // The trust list is published at init; the code must be signed a second later so a
        // validation time just before the code is still inside the trust list's lifetime.
        try await Task.sleep(for: .milliseconds(1_100))
        // Version 1, which the test re-seals below with its own typ (the times are the same in
        // a compact code).
        let code = try mint(["identity", "--dir", "D", "--certificate", number, "--ttl", "60", "--format", "1"])
        let claims = try Self.claims(code)
        let issuedAt = try #require(claims.issuedAt), expiresAt = try #require(claims.expiration)
        #expect(expiresAt - issuedAt == 60)

        let cases: [(at: Int64, skew: String, reason: String)] = [
            (issuedAt + 30, "120", "valid"),
            (expiresAt + 119, "120", "valid"),          // inside the skew, in the holder's favour
            (expiresAt + 120, "120", "expired"),
            (expiresAt + 3_600, "120", "expired"),
            (expiresAt, "0", "expired"),
            (issuedAt - 1, "0", "not_yet_valid"),        // iat in the future beyond a zero skew
        ]
        for check in cases {
            let answer = try verify(code, ["--dir", "D", "--at", Self.iso(check.at), "--skew", check.skew])
            #expect(answer["reason"] as? String == check.reason, "at iat\(check.at - issuedAt >= 0 ? "+" : "")\(check.at - issuedAt) skew \(check.skew)")
            #expect(answer["clock"] as? String == "--at")
            #expect(answer["checkedAt"] as? String == Self.iso(check.at))
        }

        // With the default skew and the system clock: a code the issuer key signed with an iat
        // ten minutes ahead is not yet valid (re-sealed with the workspace's own issuer key).
        let kid = try #require(try verify(code)["kid"] as? String)
        let key = try PrivateKey(contentsOfFile: folder.path("D/keys/issuer-\(kid).key.pem"))
        var future = claims
        let now = Int64(Date().timeIntervalSince1970)
        future.issuedAt = now + 600
        future.expiration = now + 900
        let early = try EnvelopeSealer.seal(future, type: try #require(EnvelopeLayers(reading: code).cose?.type), key: key)
        let answer = try verify(early)
        #expect(answer["reason"] as? String == "not_yet_valid")
        #expect((answer["detail"] as? String)?.contains("future") == true)
        #expect(try zhucan(["verify", early, "--dir", "D"]).text.contains("check this device's clock"))
    }

    /// PRODUCT.md "Clock": the time is checked "with a stated skew". The trust list is checked
    /// with the skew forced to 0 (`CredentialVerifier.loadTrustList`, `relaxed.skew = 0`), so a
    /// verifier whose clock is 30 s behind (inside the 120 s skew it reports) answers
    /// `status_unknown` for every code until 30 s after each trust-list publication.
    @Test("a verifier clock slightly behind still accepts a fresh trust list")
    func verifierClockSlightlyBehindAfterTrustListPublication() throws {
        try initDemo()
        let number = try #require(try issue()["certificateNumber"] as? String)
        #expect(try zhucan(["trust-list", "publish", "--dir", "D", "--out", "trust.txt"]).status == 0)
        let code = try mint(["identity", "--dir", "D", "--certificate", number])
        let issuedAt = try #require(try Self.claims(code).issuedAt)
        let answer = try verify(code, ["--dir", "D", "--at", Self.iso(issuedAt - 30)])
        #expect(answer["reason"] as? String == "valid", "\(answer["detail"] ?? "")")
        // Far before the list, as an audit asks: the list is newer than the time, not forged.
        let before = try verify(code, ["--dir", "D", "--at", Self.iso(issuedAt - 3_600)])
        #expect(before["reason"] as? String == "status_unknown")
        #expect((before["detail"] as? String)?.contains("after the time of the check") == true, "\(before["detail"] ?? "")")
        #expect((before["detail"] as? String)?.contains("does not verify") == false)
    }

    /// Issue #15, defect 1: `--at 2026-12-03T09:15:30.250` was read as midnight UTC, the time
    /// part silently dropped. A time without a zone is China Standard Time, echoed back.
    @Test("--at keeps the time of a date-time without a zone, and refuses other forms with exit 2")
    func validationTimeWithoutAZone() async throws {
        try initDemo()
        let number = try #require(try issue()["certificateNumber"] as? String)
        try await Task.sleep(for: .milliseconds(1_100))
        let code = try mint(["identity", "--dir", "D", "--certificate", number, "--ttl", "60"])
        let issuedAt = try #require(try Self.claims(code).issuedAt)
        // iat + 30 s written in UTC+8 without a zone, with a fraction of a second.
        let local = String(Timestamp.iso(issuedAt + 30 + 8 * 3_600).dropLast()) + ".250"
        let answer = try verify(code, ["--dir", "D", "--at", local])
        #expect(answer["reason"] as? String == "valid", "\(answer)")
        #expect(answer["checkedAt"] as? String == Timestamp.iso(issuedAt + 30))
        #expect(answer["at"] as? String == String(local.dropLast(4)) + "+08:00 (no zone given: China Standard Time)")
        let human = try zhucan(["verify", code, "--dir", "D", "--at", local])
        #expect(human.text.contains("--at " + String(local.dropLast(4)) + "+08:00"), "\(human.text)")

        for bad in ["2026-12-03T09:15", "2026-12-03T09:15:30+0800", "03/12/2026", "2026-12-03T25:00:00"] {
            let refused = try zhucan(["verify", code, "--dir", "D", "--at", bad])
            #expect(refused.status == 2, "\(bad)")
            #expect(refused.errorText.contains("accepted forms"), "\(bad): \(refused.errorText)")
        }
    }

    // MARK: - 2. Keys the trust list does not name

    @Test func codesOfAnotherIssuerAreUnknownKey() throws {
        try initDemo("A")
        try initDemo("B", algorithm: "es256")  // same demo root, another issuer key
        let created = try zhucan([
            "init", "--dir", "C", "--issuer-name", "嘉兴市残疾人联合会（测试）", "--issuer-uscc", "11330482MB1234567N", "--region", "330400",
        ])
        #expect(created.status == 0, "\(created.errorText)")
        #expect(!created.text.contains("DEMO"))

        let own = try #require(try issue("A")["code"] as? String)
        #expect(try reason(own, ["--dir", "A"]) == "valid")
        for other in ["B", "C"] {
            let certificate = try #require(try issue(other)["code"] as? String)
            #expect(try reason(certificate, ["--dir", other]) == "valid", "\(other)")
            let answer = try verify(certificate, ["--dir", "A"])
            #expect(answer["reason"] as? String == "unknown_key", "\(other)")
            #expect((answer["holder"] as? [String: Any])?.isEmpty == true, "\(other): nothing of an untrusted code is shown")
            let number = try #require(try issue(other, id: Self.li)["certificateNumber"] as? String)
            let identity = try mint(["identity", "--dir", other, "--certificate", number])
            #expect(try reason(identity, ["--dir", "A"]) == "unknown_key", "\(other)")
        }

        // Offline: A's lists with A's anchor refuse C's code; A's list under C's root does not verify.
        #expect(try zhucan(["trust-list", "publish", "--dir", "A", "--out", "a-trust.txt"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "A", "--out", "a-status.cwt"]).status == 0)
        let foreign = try #require(try issue("C", id: Self.wang, level: 2)["code"] as? String)
        let offline = ["--trust-anchor", "A/keys/root.pub.pem", "--trust-list", "a-trust.txt", "--status-list", "a-status.cwt"]
        #expect(try reason(foreign, offline) == "unknown_key")
        #expect(try reason(own, offline) == "valid")
        let wrongRoot = try verify(own, ["--trust-anchor", "C/keys/root.pub.pem", "--trust-list", "a-trust.txt", "--status-list", "a-status.cwt"])
        #expect(wrongRoot["reason"] as? String == "status_unknown")
        #expect((wrongRoot["detail"] as? String)?.contains("trust anchor") == true)
    }

    // MARK: - 3. Service codes

    @Test func serviceCodesAreForTheirServiceOnly() throws {
        try initDemo()
        let issued = try issue()
        let number = try #require(issued["certificateNumber"] as? String)
        let bus = try mint(["service", "--dir", "D", "--certificate", number, "--service", "free-bus"])

        let park = try verify(bus, ["--dir", "D", "--service", "park"])
        #expect(park["reason"] as? String == "wrong_service")
        #expect((park["detail"] as? String)?.contains("free-bus") == true)
        let accepted = try verify(bus, ["--dir", "D", "--service", "free-bus"])
        #expect(accepted["reason"] as? String == "valid")
        #expect(accepted["type"] as? String == "service_code")
        #expect(accepted["services"] as? [String] == ["free-bus"])
        #expect(accepted["oneTime"] as? Bool == false)
        // A service code carries no name and no disability.
        #expect((accepted["holder"] as? [String: Any])?["name"] == nil)
        #expect((accepted["holder"] as? [String: Any])?["category"] == nil)

        let once = try verify(try mint(["service", "--dir", "D", "--certificate", number, "--service", "free-bus", "--one-time"]), ["--dir", "D", "--service", "free-bus"])
        #expect(once["oneTime"] as? Bool == true)

        // An identity code or a certificate is not a service code.
        let identity = try mint(["identity", "--dir", "D", "--certificate", number])
        #expect(try reason(identity, ["--dir", "D", "--service", "free-bus"]) == "wrong_service")
        #expect(try reason(try #require(issued["code"] as? String), ["--dir", "D", "--service", "free-bus"]) == "wrong_service")
        #expect(try reason(identity) == "valid")

        // The status still comes first: a suspended holder's bus code is suspended, not valid.
        #expect(try zhucan(["suspend", "--dir", "D", "--certificate", number, "--reason", "x"]).status == 0)
        #expect(try reason(bus, ["--dir", "D", "--service", "free-bus"]) == "suspended")

        let empty = try zhucan(["code", "service", "--dir", "D", "--certificate", number, "--service", " "])
        #expect(empty.status == 2)
    }

    // MARK: - 4. Key rotation

    @Test func rotationKeepsOldCertificatesValid() async throws {
        let created = try initDemo()
        let oldKid = try #require(created.text.split(separator: "\n").first { $0.contains("issuer key:") }?.split(separator: " ").last.map(String.init))
        let old = try #require(try issue()["code"] as? String)
        #expect(try verify(old)["kid"] as? String == oldKid)
        // Issuance and rotation in one second hit the bug shown by `sameSecondRotation`.
        try await Task.sleep(for: .milliseconds(1_100))
        // A copy of the old key taken before the rotation (a backup, a stolen disk).
        let oldKey = try PrivateKey(contentsOfFile: folder.path("D/keys/issuer-\(oldKid).key.pem"))

        let rotated = try zhucan(["keys", "rotate", "--dir", "D"])
        #expect(rotated.status == 0, "\(rotated.errorText)")
        let newKid = rotated.text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(newKid.count == 16 && Hex.decode(newKid) != nil)
        #expect(newKid != oldKid)
        #expect(rotated.errorText.contains("trust list republished"))
        #expect(FileManager.default.fileExists(atPath: folder.path("D/keys/issuer-\(newKid).key.pem")))
        #expect(!FileManager.default.fileExists(atPath: folder.path("D/keys/issuer-\(oldKid).key.pem")), "the retired key's private file stays")

        // The old certificate still verifies, under the old key.
        let before = try verify(old)
        #expect(before["reason"] as? String == "valid")
        #expect(before["kid"] as? String == oldKid)

        // New certificates and codes are signed by the new key.
        let fresh = try issue(name: "李四", id: Self.li, category: 1, level: 1)
        let newAnswer = try verify(try #require(fresh["code"] as? String))
        #expect(newAnswer["reason"] as? String == "valid")
        #expect(newAnswer["kid"] as? String == newKid)
        let identity = try mint(["identity", "--dir", "D", "--certificate", Self.wang + "43"])
        #expect(try verify(identity)["kid"] as? String == newKid)
        #expect(try reason(old) == "valid")

        // Offline, with the republished trust list.
        #expect(try zhucan(["trust-list", "publish", "--dir", "D", "--out", "trust.txt"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "status.cwt"]).status == 0)
        let offline = ["--trust-anchor", "D/keys/root.pub.pem", "--trust-list", "trust.txt", "--status-list", "status.cwt"]
        #expect(try reason(old, offline) == "valid")
        #expect(try reason(identity, offline) == "valid")

        // The retired key, used after retirement: key_not_valid_at_signing.
        let layers = EnvelopeLayers(reading: old)
        // The certificate is compact (typ a Content-Format number): re-sealed the same way.
        let contentFormat = try #require(layers.cose?.contentFormat)
        var claims = try #require(layers.claims)
        // Control: re-sealed unchanged (iat before retirement), the old key's signature is valid.
        #expect(try reason(try EnvelopeSealer.sealCompact(claims, contentFormat: contentFormat, key: oldKey)) == "valid")
        let beforeRetirement = claims.issuedAt
        claims.issuedAt = Int64(Date().timeIntervalSince1970) + 10
        let late = try EnvelopeSealer.sealCompact(claims, contentFormat: contentFormat, key: oldKey)
        let answer = try verify(late)
        #expect(answer["reason"] as? String == "key_not_valid_at_signing")
        #expect((answer["detail"] as? String)?.contains(oldKid) == true)
        #expect(try reason(late, offline) == "key_not_valid_at_signing")

        // Revoked, the copy signs nothing that is accepted, even dated before the retirement;
        // the holder's codes, minted by the active key, keep working.
        claims.issuedAt = beforeRetirement
        let backdated = try EnvelopeSealer.sealCompact(claims, contentFormat: contentFormat, key: oldKey)
        #expect(try reason(backdated) == "valid", "control: a retired key's backdated signature is accepted")
        let refused = try zhucan(["keys", "revoke", "--dir", "D", "--key", newKid, "--reason", "x"])
        #expect(refused.status == 1)
        #expect(refused.errorText.contains("rotate first"), "\(refused.errorText)")
        #expect(try zhucan(["keys", "revoke", "--dir", "D", "--key", "00000000000000ff", "--reason", "x"]).status == 1)
        let revoked = try zhucan(["keys", "revoke", "--dir", "D", "--key", oldKid, "--reason", "备份盘遗失 / backup disk lost"])
        #expect(revoked.status == 0, "\(revoked.errorText)")
        #expect(revoked.text.contains("issuer key \(oldKid) revoked"), "\(revoked.text)")
        #expect(revoked.errorText.contains("1 live certificates were signed by this key"), "\(revoked.errorText)")
        for code in [backdated, old] {
            let answer = try verify(code)
            #expect(answer["reason"] as? String == "key_not_valid_at_signing")
            #expect((answer["detail"] as? String)?.contains("is revoked") == true, "\(answer)")
        }
        #expect(try reason(identity) == "valid")
        #expect(try reason(try mint(["identity", "--dir", "D", "--certificate", Self.wang + "43"])) == "valid")
        #expect(try zhucan(["trust-list", "publish", "--dir", "D", "--out", "trust.txt"]).status == 0)
        #expect(try reason(backdated, offline) == "key_not_valid_at_signing")
        // A revocation cut short before it removed the key's file (or a workspace rotated before
        // rotations removed it): asked again, it finishes.
        try oldKey.write(toNewFileAt: folder.path("D/keys/issuer-\(oldKid).key.pem"))
        let again = try zhucan(["keys", "revoke", "--dir", "D", "--key", oldKid, "--reason", "x"])
        #expect(again.status == 1)
        #expect(again.errorText.contains("already revoked"))
        #expect(!FileManager.default.fileExists(atPath: folder.path("D/keys/issuer-\(oldKid).key.pem")))
        try auditLog()  // the revocation is a life story the auditor knows
    }

    @Test("After a key is revoked, reissue gives every live certificate it signed a new version signed by the active key; suspended ones are held")
    func reissueAfterRevokingAKey() async throws {
        let created = try initDemo()
        let oldKid = try #require(created.text.split(separator: "\n").first { $0.contains("issuer key:") }?.split(separator: " ").last.map(String.init))
        let wang = try issue()
        let oldCode = try #require(wang["code"] as? String)
        let li = try issue(name: "李四", id: Self.li, category: 1, level: 1)
        #expect(try zhucan(["suspend", "--dir", "D", "--certificate", try #require(li["certificateNumber"] as? String), "--reason", "复核中"]).status == 0)
        try await Task.sleep(for: .milliseconds(1_100))
        let newKid = try zhucan(["keys", "rotate", "--dir", "D"]).text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try zhucan(["reissue", "--dir", "D", "--signed-by", newKid]).status == 1, "the active key's certificates are not re-signed by it")
        #expect(try zhucan(["keys", "revoke", "--dir", "D", "--key", oldKid, "--reason", "stolen"]).status == 0)
        #expect(try reason(oldCode) == "key_not_valid_at_signing")

        let reissued = try zhucan(["reissue", "--dir", "D", "--signed-by", oldKid])
        #expect(reissued.status == 0, "\(reissued.errorText)")
        #expect(reissued.text.contains("re-issued 1 certificates signed by \(oldKid), 1 held back"), "\(reissued.text)")
        #expect(reissued.errorText.contains("note: 1 rows would replace a suspended certificate"), "\(reissued.errorText)")
        let registry = try Registry(path: folder.path("D/zhucan.db"))
        let live = try #require(try registry.liveCertificate(citizenID: Self.wang))
        #expect(live.keyID == newKid)
        #expect(live.number == wang["certificateNumber"] as? String, "the same certificate number")
        #expect(live.licenseID.hasSuffix(".002." + String(live.licenseID.last!)), "\(live.licenseID): version 2 of the same serial")
        #expect(live.validFrom == wang["validFrom"] as? String && live.validUntil == wang["validUntil"] as? String)
        let answer = try verify(live.code)
        #expect(answer["reason"] as? String == "valid")
        #expect(answer["kid"] as? String == newKid)
        #expect(try reason(oldCode) == "key_not_valid_at_signing", "the signature is judged first")
        #expect(try registry.certificate(number: live.number).map(\.id) == live.id)

        let again = try zhucan(["reissue", "--dir", "D", "--signed-by", oldKid])
        #expect(again.status == 0)
        #expect(again.text.contains("re-issued 0 certificates"), "\(again.text)")
        // What the registry holds, this issuer signed: a revoked key's objects audit as a retired one's.
        let signatures = try zhucan(["audit", "signatures", "--dir", "D"])
        #expect(signatures.status == 0, "\(signatures.text)\(signatures.errorText)")
        try auditLog()
    }

    @Test("Rows read for re-signing before the lock: a certificate revoked or changed meanwhile is left as it is, never issued anew")
    func reissueRowsChangedMeanwhile() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let workspace = try Workspace.create(
            at: folder.url.appendingPathComponent("S"), configuration: .demo, keys: .demo(keysDirectory: demoKeys), now: now
        )
        let wang = IssueRequest(name: try PersonName("王小明"), citizenID: try CitizenIDNumber(Self.wang), category: .physical, level: .three,
                                region: try RegionCode("330482"))
        let li = IssueRequest(name: try PersonName("李四"), citizenID: try CitizenIDNumber(Self.li), category: .visual, level: .one,
                              region: try RegionCode("330482"))
        let revoked = try workspace.issue(wang, now: now)
        _ = try workspace.issue(li, now: now)
        let oldKid = try workspace.issuerKey().publicKey.keyID.hex
        try workspace.rotateIssuerKey(now: now)
        // What `reissueCertificates` read; then, before its lock, one holder's certificate is revoked.
        try workspace.change(.revoke, certificateNumber: revoked.certificateNumber, reason: "deceased", now: now)
        let summary = try await workspace.issueBatch([wang, li], now: now, resigning: oldKid)
        #expect(summary.issued == 1 && summary.alreadyIssued == 1)
        #expect(try workspace.registry.liveCertificate(citizenID: Self.wang) == nil, "a revoked holder got a new certificate")
        #expect(try workspace.registry.liveCertificate(citizenID: Self.li)?.keyID != oldKid)
    }

    @Test("Re-signing asks nothing of cards: two people who shared one before cards were checked are both signed again")
    func reissueWithACardSharedInOldData() async throws {
        let now = Int64(Date().timeIntervalSince1970)
        let workspace = try Workspace.create(
            at: folder.url.appendingPathComponent("S"), configuration: .demo, keys: .demo(keysDirectory: demoKeys), now: now
        )
        let card = try SocialSecurityCardNumber("A12345678")
        _ = try workspace.issue(IssueRequest(name: try PersonName("王小明"), citizenID: try CitizenIDNumber(Self.wang), category: .physical,
                                             level: .three, region: try RegionCode("330482"), socialSecurityCard: card), now: now)
        _ = try workspace.issue(IssueRequest(name: try PersonName("李四"), citizenID: try CitizenIDNumber(Self.li), category: .visual,
                                             level: .one, region: try RegionCode("330482")), now: now)
        // As a registry from before cards were checked may hold it.
        try await GRDB.DatabaseQueue(path: folder.path("S/zhucan.db")).write { db in
            try db.execute(sql: "UPDATE certificate SET ssc_card = 'A12345678'")
        }
        let oldKid = try workspace.issuerKey().publicKey.keyID.hex
        try workspace.rotateIssuerKey(now: now)
        _ = try workspace.revokeIssuerKey(keyID: oldKid, reason: "stolen", now: now)
        let summary = try await workspace.reissueCertificates(signedBy: oldKid, now: now)
        #expect(summary.issued == 2 && summary.heldCards == 0, "\(summary)")
        #expect(try workspace.registry.allCertificates(in: [.active]).allSatisfy { $0.keyID != oldKid })
    }

    @Test("A revocation killed before it published the status list takes effect when asked again: refused as done, the list published")
    func revocationKilledBeforePublishing() throws {
        try initDemo()
        let issued = try issue()
        let number = try #require(issued["certificateNumber"] as? String)
        let certificate = try #require(issued["code"] as? String)
        let killed = try ZhucanBinary.run(["revoke", "--dir", "D", "--certificate", number, "--reason", "注销"], in: folder.url,
                                          environment: ["ZHUCAN_FAILPOINT": "status.changed"])
        try #require(killed.status != 0)
        #expect(try reason(certificate) == "valid", "the latest list predates the revocation")
        let again = try zhucan(["revoke", "--dir", "D", "--certificate", number, "--reason", "注销"])
        #expect(again.status == 1)
        #expect(again.errorText.contains("it is revoked") && again.errorText.contains("status list was published again"), "\(again.errorText)")
        #expect(try reason(certificate) == "revoked")
    }

    @Test("A correction, or an issuance at a new level, killed before it published the status list takes effect when asked again: refused as done, the list published, the certificate it replaced no longer valid")
    func reissueKilledBeforePublishing() throws {
        try initDemo()
        let issued = try issue()
        let number = try #require(issued["certificateNumber"] as? String)
        let first = try #require(issued["code"] as? String)
        let correct = ["correct", "--dir", "D", "--certificate", number, "--name", "王晓明"]
        let killed = try ZhucanBinary.run(correct, in: folder.url, environment: ["ZHUCAN_FAILPOINT": "certificate.stored"])
        try #require(killed.status != 0)
        #expect(try reason(first) == "valid", "the latest list predates the correction")
        let again = try zhucan(correct)
        #expect(again.status == 2 && again.errorText.contains("nothing to change") && again.errorText.contains("status list was published again"),
                "\(again.errorText)")
        #expect(try reason(first) == "revoked", "superseded: refused as revoked")
        // Nothing behind: a refusal publishes nothing.
        let publications = { try Registry(path: self.folder.path("D/zhucan.db")).publications(.statusList).count }
        let before = try publications()
        #expect(!(try zhucan(correct)).errorText.contains("published again"))
        #expect(try publications() == before)

        // An issuance at a new level supersedes the corrected certificate the same way.
        let second = try zhucan(["code", "certificate", "--dir", "D", "--certificate", number]).text.trimmingCharacters(in: .whitespacesAndNewlines)
        let relevel = ["issue", "--dir", "D", "--name", "王晓明", "--id-number", Self.wang, "--category", "4", "--level", "2", "--region", "330482"]
        try #require(try ZhucanBinary.run(relevel, in: folder.url, environment: ["ZHUCAN_FAILPOINT": "certificate.stored"]).status != 0)
        #expect(try reason(second) == "valid")
        let refused = try zhucan(relevel)
        #expect(refused.errorText.contains("already has an active certificate") && refused.errorText.contains("status list was published again"),
                "\(refused.errorText)")
        #expect(try reason(second) == "revoked")

        // A renewal: asked again it is refused, the window having moved ten years on.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let start = calendar.date(byAdding: DateComponents(year: -9, day: -200), to: Date())!
        let from = calendar.dateComponents([.year, .month, .day], from: start)
        let due = try issue(name: "孙八", id: Self.citizenID("33048219800101001"), category: 2, level: 2,
                            extra: ["--valid-from", String(format: "%04d-%02d-%02d", from.year!, from.month!, from.day!)])
        let dueCode = try #require(due["code"] as? String)
        let renew = ["renew", "--dir", "D", "--certificate", try #require(due["certificateNumber"] as? String)]
        try #require(try ZhucanBinary.run(renew, in: folder.url, environment: ["ZHUCAN_FAILPOINT": "certificate.stored"]).status != 0)
        #expect(try reason(dueCode) == "valid")
        let renewedAgain = try zhucan(renew)
        #expect(renewedAgain.status != 0 && renewedAgain.errorText.contains("status list was published again"), "\(renewedAgain.errorText)")
        #expect(try reason(dueCode) == "revoked")
        _ = try auditLog()
    }

    @Test("A command that waited for the issuance lock dates what it signs by when it got it: a key rotated in meanwhile may sign it")
    func waitedForTheLock() throws {
        try initDemo()
        // Another process holds the lock for 3 s, as a batch or a rotation would.
        // The command starts once the lock is held, and the time is read before it starts.
        let held = try Shell.run(
            ["sh", "-c", """
                flock D/issuance.lock sh -c 'touch held; sleep 3' & until [ -e held ]; do sleep 0.05; done
                start=$(date +%s); "$ZHUCAN" status-list publish --dir D --out list.cwt && echo $start
                """],
            in: folder.url, environment: ["ZHUCAN": ZhucanBinary.url.path])
        #expect(held.status == 0, "\(held.errorText)")
        let start = try #require(Int64(held.text.split(separator: "\n").last.map(String.init) ?? ""))
        let list = try Registry(path: folder.path("D/zhucan.db")).latestPublication(.statusList)
        #expect(try #require(list).issuedAt >= start + 2, "signed at the time read before the wait")
    }

    // The old key used to be retired in a commit of its own before the new key's files were
    // written: a rotation that died in between left no active issuer key, and every issuance
    // and list publication failed until someone rotated again.
    @Test("A rotation killed after writing the new key's files leaves the old key signing, and a second rotation goes through")
    func rotationKilledMidway() throws {
        let created = try initDemo()
        let oldKid = try #require(created.text.split(separator: "\n").first { $0.contains("issuer key:") }?.split(separator: " ").last.map(String.init))
        let killed = try ZhucanBinary.run(["keys", "rotate", "--dir", "D"], in: folder.url, environment: ["ZHUCAN_FAILPOINT": "keys.files-written"])
        try #require(killed.status != 0)
        let fresh = try issue()
        #expect(try verify(try #require(fresh["code"] as? String))["kid"] as? String == oldKid)
        let rotated = try zhucan(["keys", "rotate", "--dir", "D"])
        #expect(rotated.status == 0, "\(rotated.errorText)")
        #expect(rotated.text.trimmingCharacters(in: .whitespacesAndNewlines) != oldKid)
    }

    @Test("A rotation killed before its trust list, finished as documented, then rotated again, leaves no retired key's private file")
    func rotationKilledLeavesNoRetiredKey() throws {
        try initDemo()
        try #require(try ZhucanBinary.run(["keys", "rotate", "--dir", "D"], in: folder.url, environment: ["ZHUCAN_FAILPOINT": "keys.rotated"]).status != 0)
        #expect(try zhucan(["trust-list", "publish", "--dir", "D", "--out", "trust.txt"]).status == 0)
        #expect(try zhucan(["keys", "rotate", "--dir", "D"]).status == 0)
        let keys = try Registry(path: folder.path("D/zhucan.db")).keys(role: .issuer)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path("D/keys")).filter { $0.hasPrefix("issuer-") && $0.hasSuffix(".key.pem") }
        #expect(keys.count == 3 && keys.filter { $0.state == "active" }.count == 1, "\(keys.map(\.state))")
        #expect(files == keys.filter { $0.state == "active" }.map { "issuer-\($0.keyID).key.pem" }, "\(files)")
    }

    // Operations.md advises keeping the root key offline. `keys rotate` used to record the new
    // issuer key before it read the root key, so with the root key away it failed after the
    // new key was already active: everything signed from then on named a key on no trust list.
    @Test("keys rotate with the root key offline changes nothing: the old key keeps signing")
    func rotationWithoutTheRootKey() throws {
        let created = try initDemo()
        let oldKid = try #require(created.text.split(separator: "\n").first { $0.contains("issuer key:") }?.split(separator: " ").last.map(String.init))
        try FileManager.default.moveItem(atPath: folder.path("D/keys/root.key.pem"), toPath: folder.path("root.key.pem"))
        let refused = try zhucan(["keys", "rotate", "--dir", "D"])
        #expect(refused.status == 2, "a workspace problem, not a negative answer")
        #expect(refused.errorText.contains("root.key.pem") && refused.errorText.contains("kept offline"), "\(refused.errorText)")
        let fresh = try issue()
        let answer = try verify(try #require(fresh["code"] as? String))
        #expect(answer["reason"] as? String == "valid")
        #expect(answer["kid"] as? String == oldKid)
    }

    @Test("An encrypted root key is refused with how to use it, not an option the command does not have")
    func encryptedRootKey() throws {
        try initDemo()
        try Data("secret\n".utf8).write(to: folder.url.appendingPathComponent("pass.txt"))
        let encrypted = try Shell.run(["openssl", "pkcs8", "-topk8", "-in", folder.path("D/keys/root.key.pem"),
                                       "-out", folder.path("D/keys/root.key.pem.new"), "-passout", "file:" + folder.path("pass.txt")])
        #expect(encrypted.status == 0, "\(encrypted.errorText)")
        try FileManager.default.removeItem(atPath: folder.path("D/keys/root.key.pem"))
        try FileManager.default.moveItem(atPath: folder.path("D/keys/root.key.pem.new"), toPath: folder.path("D/keys/root.key.pem"))
        let refused = try zhucan(["trust-list", "publish", "--dir", "D", "--out", "tl.txt"])
        #expect(refused.status == 2)
        #expect(refused.errorText.contains("is encrypted") && refused.errorText.contains("openssl pkcs8"), "\(refused.errorText)")
        #expect(!refused.errorText.contains("--passphrase-file"), "\(refused.errorText)")
    }

    @Test("A rotation cut short before its trust list signs nothing with the new key until a trust list names it")
    func rotationCutShortBeforeItsTrustList() throws {
        try initDemo()
        let killed = try ZhucanBinary.run(["keys", "rotate", "--dir", "D"], in: folder.url, environment: ["ZHUCAN_FAILPOINT": "keys.rotated"])
        try #require(killed.status != 0)
        for command in [
            ["issue", "--dir", "D", "--name", "王小明", "--id-number", Self.wang, "--category", "4", "--level", "3", "--region", "330482"],
            ["status-list", "publish", "--dir", "D", "--out", "status.cwt"],
        ] {
            let refused = try zhucan(command)
            #expect(refused.status == 2, "\(command[0])")
            #expect(refused.errorText.contains("on no published trust list"), "\(refused.errorText)")
            #expect(refused.errorText.contains("zhucan trust-list publish"))
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path("status.cwt")))
        #expect(try zhucan(["trust-list", "publish", "--dir", "D", "--out", "trust.txt"]).status == 0)
        let fresh = try issue()
        #expect(try reason(try #require(fresh["code"] as? String)) == "valid")
    }

    // Every `--out` used to be renamed over whatever was there: one mistyped path replaced the
    // root key or the registry, and `--reject-file` naming the batch file replaced the file.
    @Test("--out and --reject-file never replace a workspace's keys, registry or settings, nor the file being read; a republished list keeps its mode")
    func outputsNeverReplaceWhatMatters() throws {
        try initDemo()
        let protected = ["D/keys/root.key.pem", "D/zhucan.db", "D/config.json", "D/keys/root.pub.pem"]
        // (The registry's own bytes move as SQLite checkpoints; that it still works is checked below.)
        let unchanged = protected.filter { $0 != "D/zhucan.db" }
        let before = try unchanged.map { try Data(contentsOf: URL(fileURLWithPath: folder.path($0))) }
        let sequences = try zhucan(["trust-list", "publish", "--dir", "D", "--out", "first.txt"])
        for path in protected {
            for command in [["trust-list", "publish"], ["status-list", "publish"], ["audit", "export"]] {
                let refused = try zhucan(command + ["--dir", "D", "--out", path])
                #expect(refused.status != 0, "\(command) --out \(path)")
                #expect(refused.errorText.contains("refusing to write \(path)"), "\(refused.errorText)")
            }
        }
        // A private key or a database anywhere, by what it holds.
        try FileManager.default.copyItem(atPath: folder.path("D/keys/root.key.pem"), toPath: folder.path("copy.pem"))
        try FileManager.default.copyItem(atPath: folder.path("D/zhucan.db"), toPath: folder.path("copy.db"))
        for (path, why) in [("copy.pem", "holds a private key"), ("copy.db", "holds an SQLite database")] {
            let refused = try zhucan(["trust-list", "publish", "--dir", "D", "--out", path])
            #expect(refused.errorText.contains(why), "\(refused.errorText)")
        }
        #expect(try unchanged.map { try Data(contentsOf: URL(fileURLWithPath: folder.path($0))) } == before)
        #expect(try issue()["certificateNumber"] != nil, "the workspace still works")
        // Refused before anything was signed: the next list is the one after first.txt's.
        #expect(sequences.text.contains("trust list 2 written"), "\(sequences.text)")
        #expect(try zhucan(["trust-list", "publish", "--dir", "D", "--out", "next.txt"]).text.contains("trust list 3 written"))

        let rows = "name,id_number,category,level,region\n李四,\(Self.li),1,1,330482\n张三,12345,1,1,330482\n"
        try Data(rows.utf8).write(to: folder.url.appendingPathComponent("people.csv"))
        let refused = try zhucan(["issue", "--dir", "D", "--batch", "people.csv", "--skip-invalid", "--reject-file", "people.csv"])
        #expect(refused.status != 0)
        #expect(refused.errorText.contains("is an input of this command"), "\(refused.errorText)")
        #expect(try String(contentsOfFile: folder.path("people.csv"), encoding: .utf8) == rows)

        // A list the operator made readable to the web server stays readable when republished.
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "status.cwt"]).status == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: folder.path("status.cwt"))[.posixPermissions] as? Int == 0o600)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: folder.path("status.cwt"))
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "status.cwt"]).status == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: folder.path("status.cwt"))[.posixPermissions] as? Int == 0o644)
    }

    // A bad logOrigin used to fail `issue` after the certificate was stored, with its code
    // never printed; a rerun then said the person already had a certificate.
    @Test("A bad logOrigin or licenseTypeCode in config.json is refused when the workspace opens, before anything is stored")
    func badConfigurationIsRefusedAtOpening() throws {
        try initDemo()
        let path = folder.path("D/config.json")
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        for (key, value, message) in [("logOrigin", "", "logOrigin"), ("logOrigin", "zhucan log", "logOrigin"), ("licenseTypeCode", "123", "licenseTypeCode")] {
            var settings = try #require(try JSONSerialization.jsonObject(with: original) as? [String: Any])
            settings[key] = value
            try JSONSerialization.data(withJSONObject: settings).write(to: URL(fileURLWithPath: path))
            let refused = try zhucan(["issue", "--dir", "D", "--name", "王小明", "--id-number", Self.wang, "--category", "4", "--level", "3", "--region", "330482"])
            #expect(refused.status != 0, "\(key) = \(value)")
            #expect(refused.errorText.contains(message), "\(refused.errorText)")
        }
        try original.write(to: URL(fileURLWithPath: path))
        // Nothing was stored: the same person is issued now.
        #expect(try issue()["certificateNumber"] as? String == Self.wang + "43")
    }

    /// A certificate the old key signed in the same second as `keys rotate` retires it is
    /// refused for its whole 10-year life: the key's `until` is the rotation second and
    /// `TrustList.Entry.maySign(at:)` requires `iat < until`. (Also: a status list signed by
    /// the old key in that second makes every answer `status_unknown` until the next one.)
    @Test("a certificate issued in the same second as `keys rotate` stays valid")
    func sameSecondRotation() throws {
        // Issue and rotate through the library with one clock value (a loaded machine cannot
        // be relied on to run two commands within one second), then verify with the binary.
        let now = Int64(Date().timeIntervalSince1970)
        let workspace = try Workspace.create(
            at: folder.url.appendingPathComponent("S"), configuration: .demo, keys: .demo(keysDirectory: demoKeys), now: now
        )
        let old = try workspace.issue(IssueRequest(
            name: try PersonName("王小明"), citizenID: try CitizenIDNumber(Self.wang), category: .physical, level: .three,
            region: try RegionCode("330482"), socialSecurityCard: nil
        ), now: now)
        try workspace.rotateIssuerKey(now: now)
        #expect(try Self.claims(old.code).issuedAt == now)
        let answer = try verify(old.code, ["--dir", "S", "--at", Timestamp.iso(now)])
        #expect(answer["reason"] as? String == "valid", "\(answer["detail"] ?? "")")
    }

    @Test("a clock behind the active key's start is refused, not left to sign what would never verify")
    func clockBehindTheKeyIsRefused() throws {
        let now = Int64(Date().timeIntervalSince1970)
        let workspace = try Workspace.create(
            at: folder.url.appendingPathComponent("S"), configuration: .demo, keys: .demo(keysDirectory: demoKeys), now: now
        )
        let request = IssueRequest(
            name: try PersonName("王小明"), citizenID: try CitizenIDNumber(Self.wang), category: .physical, level: .three,
            region: try RegionCode("330482"), socialSecurityCard: nil
        )
        #expect {
            _ = try workspace.issue(request, now: now - 60)
        } throws: { error in
            (error as? IssuerError)?.code == .workspace && "\(error)".contains("check the clock")
        }
        #expect(try workspace.registry.allCertificates().isEmpty, "nothing stored")
        let issued = try workspace.issue(request, now: now)
        #expect {
            _ = try workspace.identityCode(certificateNumber: issued.certificateNumber, seconds: nil, showCategory: false, now: now - 60)
        } throws: { error in
            (error as? IssuerError)?.code == .workspace
        }
    }

    @Test("issuing from the CLI warns once the trust list is half spent, and says when it has expired")
    func issuingWarnsOfAnExpiringTrustList() throws {
        let day: Int64 = 86_400, now = Int64(Date().timeIntervalSince1970)
        // The default trust list lives 180 days: made 100 days ago it is past half; 200, expired.
        for (folderName, age, expected) in [("Fresh", Int64(0), nil), ("Half", 100 * day, "note: the trust list expires at"),
                                             ("Old", 200 * day, "warning: the trust list expired at")] {
            _ = try Workspace.create(
                at: folder.url.appendingPathComponent(folderName), configuration: .demo, keys: .demo(keysDirectory: demoKeys), now: now - age
            )
            let output = try zhucan(["issue", "--dir", folderName, "--name", "王小明", "--id-number", Self.wang, "--category", "4",
                                     "--level", "3", "--region", "330482"])
            #expect(output.status == 0, "\(output.errorText)")
            if let expected {
                #expect(output.errorText.contains(expected) && output.errorText.contains("zhucan trust-list publish"), "\(output.errorText)")
            } else {
                #expect(!output.errorText.contains("trust list"), "\(output.errorText)")
            }
        }
    }

    // MARK: - 5. One live certificate per person

    @Test func duplicateIssuanceIsRefusedAndALevelChangeSupersedes() throws {
        try initDemo()
        let first = try issue()
        let oldNumber = try #require(first["certificateNumber"] as? String)
        let oldCode = try #require(first["code"] as? String)

        for name in ["王小明", "王晓明"] {
            let again = try zhucan(["issue", "--dir", "D", "--name", name, "--id-number", Self.wang, "--category", "4", "--level", "3", "--region", "330482"])
            #expect(again.status == 1, "\(name)")
            #expect(again.errorText.contains("already"), "\(again.errorText)")
            #expect(again.errorText.contains("category or level change"))
            #expect(!again.errorText.contains(Self.wang), "the message must not show the ID number")
            #expect(!again.errorText.contains(oldNumber))
            #expect(again.text.isEmpty)
        }

        let changed = try issue(level: 2)
        #expect(changed["superseded"] as? String == oldNumber)
        let newNumber = try #require(changed["certificateNumber"] as? String)
        #expect(newNumber == Self.wang + "42")
        #expect(changed["statusIndex"] as? Int == 1)
        // GB/T 36904: the serial is kept and the version counts re-issuances.
        let oldID = (first["licenseId"] as? String ?? "").split(separator: "."), newID = (changed["licenseId"] as? String ?? "").split(separator: ".")
        #expect(oldID.count == 10 && newID.count == 10)
        #expect(oldID.dropLast(2) == newID.dropLast(2))
        #expect(oldID.dropLast().last == "001" && newID.dropLast().last == "002")

        // The superseded certificate is published as invalid; the new one is valid.
        #expect(try reason(oldCode) == "revoked")
        #expect(try reason(try #require(changed["code"] as? String)) == "valid")
        let refused = try zhucan(["code", "identity", "--dir", "D", "--certificate", oldNumber])
        #expect(refused.status == 1)
        #expect(refused.errorText.contains("superseded"))
        #expect(try zhucan(["reinstate", "--dir", "D", "--certificate", oldNumber, "--reason", "x"]).status == 1)

        // The new level can be changed again (category change); the same level cannot.
        #expect(try zhucan(["issue", "--dir", "D", "--name", "王小明", "--id-number", Self.wang, "--category", "4", "--level", "2", "--region", "330482"]).status == 1)
        #expect(try issue(category: 7, level: 2)["superseded"] as? String == newNumber)
    }

    /// A level change does not replace a suspended certificate: the new one would be active
    /// and so lift a suspension nobody lifted. Once reinstated, it does.
    @Test func aSuspendedCertificateIsNotSupersededUntilReinstated() throws {
        try initDemo()
        let first = try issue()
        let number = try #require(first["certificateNumber"] as? String)
        let code = try #require(first["code"] as? String)
        #expect(try zhucan(["suspend", "--dir", "D", "--certificate", number, "--reason", "复核中"]).status == 0)

        let refused = try zhucan(["issue", "--dir", "D", "--name", "王小明", "--id-number", Self.wang, "--category", "4", "--level", "2", "--region", "330482"])
        #expect(refused.status == 1)
        #expect(refused.errorText.contains("suspended") && refused.errorText.contains("zhucan reinstate"), "\(refused.errorText)")
        #expect(!refused.errorText.contains(Self.wang), "the message must not show the ID number")
        #expect(refused.text.isEmpty)
        #expect(try reason(code) == "suspended")
        #expect(try zhucan(["code", "identity", "--dir", "D", "--certificate", Self.wang + "42"]).status != 0, "nothing was issued")

        #expect(try zhucan(["reinstate", "--dir", "D", "--certificate", number, "--reason", "复核完毕"]).status == 0)
        #expect(try issue(level: 2)["superseded"] as? String == number)
    }

    // MARK: - 6. Bad input

    @Test func badInputNamesEveryProblemAtOnce() throws {
        try initDemo()
        let good = Self.citizenID("36042619910101007")
        #expect(good == Self.wang)
        let wrongCheck = String(good.dropLast()) + (good.last == "2" ? "3" : "2")

        let output = try zhucan([
            "issue", "--dir", "D", "--name", "王小明", "--id-number", wrongCheck, "--category", "8", "--level", "0",
            "--region", "12345", "--valid-from", "2026-02-30",
        ])
        #expect(output.status == 2)
        #expect(output.text.isEmpty)
        let message = output.errorText
        #expect(message.split(separator: "\n").count == 1, "\(message)")
        for flag in ["--id-number", "--category", "--level", "--region", "--valid-from"] {
            #expect(message.contains(flag), "\(flag) not named in: \(message)")
        }
        #expect(message.contains("check character"))
        #expect(!message.contains(wrongCheck))

        // Nothing was issued: the first good certificate gets status index 0.
        #expect(try issue()["statusIndex"] as? Int == 0)

        for (flag, value) in [("--category", "0"), ("--level", "5"), ("--region", "33048A"), ("--ssc-card-number", "12345678"), ("--name", " ")] {
            var arguments = ["issue", "--dir", "D", "--name", "李四", "--id-number", Self.li, "--category", "1", "--level", "1", "--region", "330482"]
            if let index = arguments.firstIndex(of: flag) { arguments[index + 1] = value } else { arguments += [flag, value] }
            let bad = try zhucan(arguments)
            #expect(bad.status == 2, "\(flag) \(value)")
            #expect(bad.errorText.contains(flag), "\(flag): \(bad.errorText)")
        }
        // A missing flag is a usage error.
        #expect(try zhucan(["issue", "--dir", "D", "--name", "李四", "--id-number", Self.li, "--category", "1", "--level", "1"]).status == 2)
    }

    @Test func missingWorkspaceAndSecondInitExitTwo() throws {
        for arguments in [
            ["issue", "--dir", "nowhere", "--name", "王小明", "--id-number", Self.wang, "--category", "4", "--level", "3", "--region", "330482"],
            ["code", "identity", "--dir", "nowhere", "--certificate", Self.wang + "43"],
            ["revoke", "--dir", "nowhere", "--certificate", Self.wang + "43", "--reason", "x"],
            ["trust-list", "publish", "--dir", "nowhere", "--out", "t.txt"],
            ["verify", "ZC1:ABC", "--dir", "nowhere"],
        ] {
            let output = try zhucan(arguments)
            #expect(output.status == 2, "\(arguments[0])")
            #expect(output.errorText.contains("zhucan init"), "\(arguments[0]): \(output.errorText)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.path("nowhere")))

        try initDemo()
        let config = try Data(contentsOf: folder.url.appendingPathComponent("D/config.json"))
        for again in [
            ["init", "--demo", "--dir", "D", "--keys-dir", demoKeys.path],
            ["init", "--dir", "D", "--issuer-name", "x", "--issuer-uscc", "11330482MB1234567N", "--region", "330482"],
        ] {
            let output = try zhucan(again)
            #expect(output.status == 2)
            #expect(output.errorText.contains("already"))
        }
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("D/config.json")) == config)

        // A non-demo init needs the issuer; a bad USCC or region is named.
        #expect(try zhucan(["init", "--dir", "E"]).status == 2)
        let badUSCC = try zhucan(["init", "--dir", "E", "--issuer-name", "x", "--issuer-uscc", "11330482MB1234567X", "--region", "330482"])
        #expect(badUSCC.status == 2)
        #expect(badUSCC.errorText.contains("--issuer-uscc"))

        // Other refusals and input errors on an existing workspace.
        #expect(try zhucan(["code", "identity", "--dir", "D", "--certificate", Self.li + "11"]).status == 1)  // not issued
        #expect(try zhucan(["code", "identity", "--dir", "D", "--certificate", "12345"]).status == 2)
        _ = try issue()
        #expect(try zhucan(["code", "identity", "--dir", "D", "--certificate", Self.wang + "43", "--ttl", "0"]).status == 2)
        #expect(try zhucan(["suspend", "--dir", "D", "--certificate", Self.wang + "43", "--reason", "  "]).status == 2)
        #expect(try zhucan(["verify", "ZC1:ABC", "--dir", "D", "--at", "yesterday"]).status == 2)
    }

    // MARK: - 7. A verifier with cached lists and no workspace

    @Test func offlineListsWithoutAWorkspace() throws {
        try initDemo()
        let issued = try issue()
        let certificate = try #require(issued["code"] as? String)
        let number = try #require(issued["certificateNumber"] as? String)
        let identity = try mint(["identity", "--dir", "D", "--certificate", number])

        let trust = try zhucan(["trust-list", "publish", "--dir", "D", "--out", "trust.txt"])
        #expect(trust.status == 0, "\(trust.errorText)")
        #expect(trust.text.contains("expires"))
        #expect(try String(contentsOf: folder.url.appendingPathComponent("trust.txt"), encoding: .utf8).hasPrefix("ZC1:"))
        let status = try zhucan(["status-list", "publish", "--dir", "D", "--out", "status.cwt"])
        #expect(status.status == 0, "\(status.errorText)")
        // A copy of the lists and the anchor in a folder with no workspace at all.
        let verifier = folder.url.appendingPathComponent("verifier")
        try FileManager.default.createDirectory(at: verifier, withIntermediateDirectories: true)
        for (from, to) in [("D/keys/root.pub.pem", "root.pub.pem"), ("trust.txt", "trust.txt"), ("status.cwt", "status.cwt")] {
            try FileManager.default.copyItem(at: folder.url.appendingPathComponent(from), to: verifier.appendingPathComponent(to))
        }
        let anchor = ["--trust-anchor", "verifier/root.pub.pem", "--trust-list", "verifier/trust.txt"]
        let full = anchor + ["--status-list", "verifier/status.cwt"]

        let answer = try verify(certificate, full)
        #expect(answer["reason"] as? String == "valid")
        #expect((answer["holder"] as? [String: Any])?["name"] as? String == "王*明")
        let now = try Self.seconds(try #require(answer["checkedAt"] as? String))
        let statusExpires = try Self.seconds(try #require(answer["statusListExpires"] as? String))
        let trustExpires = try Self.seconds(try #require(answer["trustListExpires"] as? String))
        #expect(abs(statusExpires - now - 86_400) <= 60, "status list valid 24 h")
        #expect(abs(trustExpires - now - 180 * 86_400) <= 60, "trust list valid 180 days")
        #expect(try reason(identity, full) == "valid")

        // No status list: unknown, never valid, never revoked.
        let unknown = try verify(certificate, anchor)
        #expect(unknown["reason"] as? String == "status_unknown")
        #expect(unknown["valid"] as? Bool == false)
        #expect(try zhucan(["verify", certificate] + anchor).text.contains("do not simply refuse"))

        // Past the status list's expiry (and inside the trust list's): unknown.
        let afterStatus = ["--at", Self.iso(statusExpires + 60)]
        #expect(try reason(certificate, full + afterStatus) == "status_unknown")
        #expect(try reason(certificate, full + ["--at", Self.iso(statusExpires - 60)]) == "valid")
        // Past the trust list's expiry: unknown.
        #expect(try reason(certificate, full + ["--at", Self.iso(trustExpires + 60)]) == "status_unknown")

        // Revoked: the new list says revoked while fresh, and unknown (not revoked) once stale.
        #expect(try zhucan(["revoke", "--dir", "D", "--certificate", number, "--reason", "注销"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "revoked.cwt"]).status == 0)
        let revokedList = anchor + ["--status-list", "revoked.cwt"]
        #expect(try reason(certificate, revokedList) == "revoked")
        let stale = try verify(certificate, revokedList + ["--at", Self.iso(statusExpires + 3_600)])
        #expect(stale["reason"] as? String == "status_unknown")
        #expect((stale["detail"] as? String)?.contains("expired") == true)

        // The lists' flags go together; a missing file is an input error.
        #expect(try zhucan(["verify", certificate, "--trust-list", "verifier/trust.txt"]).status == 2)
        #expect(try zhucan(["verify", certificate, "--trust-anchor", "verifier/root.pub.pem", "--trust-list", "missing.txt"]).status == 2)
        #expect(try zhucan(["verify", certificate, "--signer", "verifier/root.pub.pem", "--trust-list", "verifier/trust.txt"]).status == 2)
    }

    @Test("verify --at a time before a revocation answers by the lists in force then: the workspace's (--dir), or of the lists given, not one signed after --at")
    func verifyAtAnEarlierTime() throws {
        try initDemo()
        let issued = try issue()
        let certificate = try #require(issued["code"] as? String)
        let number = try #require(issued["certificateNumber"] as? String)
        #expect(try zhucan(["trust-list", "publish", "--dir", "D", "--out", "trust.txt"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "before.cwt"]).status == 0)
        let before = try Self.seconds(try #require(try verify(certificate, ["--dir", "D"])["checkedAt"] as? String))
        Thread.sleep(forTimeInterval: 2.1)
        #expect(try zhucan(["revoke", "--dir", "D", "--certificate", number, "--reason", "注销"]).status == 0)
        #expect(try zhucan(["status-list", "publish", "--dir", "D", "--out", "after.cwt"]).status == 0)
        let then = ["--at", Self.iso(before), "--skew", "0"]

        #expect(try reason(certificate) == "revoked")
        #expect(try reason(certificate, ["--dir", "D"] + then) == "valid")
        let given = ["--trust-anchor", "D/keys/root.pub.pem", "--trust-list", "trust.txt"]
        for lists in [["before.cwt", "after.cwt"], ["after.cwt", "before.cwt"]] {
            let files = lists.flatMap { ["--status-list", $0] }
            #expect(try reason(certificate, given + files) == "revoked")
            #expect(try reason(certificate, given + files + then) == "valid")
        }
        let later = try verify(certificate, given + ["--status-list", "after.cwt"] + then)
        #expect(later["reason"] as? String == "status_unknown")
        #expect((later["detail"] as? String)?.contains("after the time of the check") == true)
    }
}
