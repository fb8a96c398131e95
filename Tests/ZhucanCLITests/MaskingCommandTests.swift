import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import ZhucanTesting

/// Personal data on every output path that is not the issuer's own contact list: what the
/// commands print, what the service answers and logs, the reports and the log. The holder's
/// name, ID number and certificate number never appear in clear, and a masked certificate
/// number never keeps the category and level digits (which would tell the disability).
@Suite("masking on every output path: CLI, HTTP, service log, reports")
struct MaskingCommandTests {
    static let name = "欧阳小明"
    static let id = "360121197011210013"
    /// Category 5 (intellectual), level 2.
    static let number = id + "52"
    static let card = "A12345678"

    /// Every form in which the holder could leak: the name, the ID and certificate numbers
    /// (and the ID without its check character), the card, and any masked certificate number
    /// that keeps the category and level digits.
    static func leaks(_ text: String) -> [String] {
        var found = [name, id, String(id.dropLast()), number, card].filter { text.contains($0) }
        if text.range(of: #"[0-9*]{4}\*{10,16}52"#, options: .regularExpression) != nil {
            found.append("a masked number ending in the category and level 52")
        }
        return found
    }

    @Test("nothing but the issuer's own contact list shows the holder in clear")
    func everyOutputPath() async throws {
        let folder = try TemporaryDirectory()
        func zhucan(_ arguments: [String]) throws -> Shell.Output { try ZhucanBinary.run(arguments, in: folder.url) }
        var outputs: [(String, String)] = []
        func run(_ label: String, _ arguments: [String]) throws -> Shell.Output {
            let output = try zhucan(arguments)
            #expect(output.status == 0, "\(label): \(output.errorText)")
            outputs.append((label, output.text + output.errorText))
            return output
        }
        _ = try run("init", ["init", "--demo", "--dir", "ws", "--keys-dir", TestVectors.projectRoot.appendingPathComponent("keys").path])
        let catalogue = TestVectors.projectRoot.appendingPathComponent("Sources/ZhucanCatalogue/Resources/pinghu-catalogue.json").path
        _ = try run("catalogue publish", ["catalogue", "publish", "--dir", "ws", "--in", catalogue])
        // Issuance prints the code (the holder's data, encoded) on standard output and what it
        // is, masked, on standard error, which is often kept in a log; --json gives the number
        // whole, for scripts. Valid from the start of the year: the contact list below is
        // judged on 2026-12-01.
        let issued = try zhucan(["issue", "--dir", "ws", "--name", Self.name, "--id-number", Self.id, "--category", "5", "--level", "2",
                                 "--region", "330482", "--ssc-card-number", Self.card, "--valid-from", "2026-01-01"])
        #expect(issued.status == 0, "\(issued.errorText)")
        outputs.append(("issue (standard error)", issued.errorText))
        #expect(issued.errorText.contains("issued certificate 3601**************"), "\(issued.errorText)")
        _ = try run("correct", ["correct", "--dir", "ws", "--certificate", Self.number, "--region", "330482", "--ssc-card-number", "B12345678"]).errorText
        _ = try run("household", ["household", "--dir", "ws", "--certificate", Self.number, "--set", "dibao"])
        _ = try run("entitlements", ["catalogue", "entitlements", "--dir", "ws", "--certificate", Self.number, "--at", "2026-12-01"])
        _ = try run("coverage", ["catalogue", "coverage", "--dir", "ws", "--at", "2026-12-01", "--json"])
        _ = try run("report plan", ["report", "plan", "--dir", "ws", "--at", "2026-12-01", "--json", "--out", "plan.xlsx", "--certified-persons", "2"])
        let code = try run("code identity", ["code", "identity", "--dir", "ws", "--certificate", Self.number]).text
            .trimmingCharacters(in: .whitespacesAndNewlines)
        try Data(code.utf8).write(to: folder.url.appendingPathComponent("identity.txt"))
        _ = try run("verify", ["verify", "@identity.txt", "--dir", "ws"])
        _ = try run("verify --json", ["verify", "@identity.txt", "--dir", "ws", "--json"])
        _ = try run("suspend", ["suspend", "--dir", "ws", "--certificate", Self.number, "--reason", "test"])
        _ = try run("reinstate", ["reinstate", "--dir", "ws", "--certificate", Self.number, "--reason", "test"])
        _ = try run("holder enroll", ["holder", "enroll", "--dir", "ws", "--certificate", Self.number])
        _ = try run("audit export", ["audit", "export", "--dir", "ws", "--out", "log.jsonl"])

        // Over HTTP: a verification and a lookup by social-security card, and the service's log.
        let key = try zhucan(["apikey", "create", "--dir", "ws", "--name", "window", "--scope", "verify", "--scope", "lookup"]).text
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let server = try ServeProcess(directory: "ws", in: folder.url)
        var verify = URLRequest(url: server.baseURL.appendingPathComponent("v1/verify"))
        verify.httpMethod = "POST"
        verify.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        verify.setValue("application/json", forHTTPHeaderField: "Content-Type")
        verify.httpBody = try JSONSerialization.data(withJSONObject: ["code": code])
        let (verified, response) = try await URLSession.shared.data(for: verify)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        outputs.append(("POST /v1/verify", String(decoding: verified, as: UTF8.self)))
        var lookup = URLRequest(url: URL(string: "\(server.baseURL.absoluteString)/v1/holders/by-ssc/\(Self.card)?purpose=test")!)
        lookup.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        let (found, _) = try await URLSession.shared.data(for: lookup)
        // The lookup is asked with the card: the answer may name it, but not the person.
        outputs.append(("GET /v1/holders/by-ssc", String(decoding: found, as: UTF8.self).replacingOccurrences(of: Self.card, with: "")))
        server.stop()
        outputs.append(("serve log", server.log.replacingOccurrences(of: Self.card, with: "")))

        for (label, text) in outputs {
            #expect(Self.leaks(text).isEmpty, "\(label) shows \(Self.leaks(text)): \(text.prefix(2_000))")
        }
        #expect(outputs.contains { $0.0 == "verify" && $0.1.contains("持证人 / holder: 欧**明") }, "the masked name is shown")
        #expect(outputs.contains { $0.0 == "POST /v1/verify" && $0.1.contains("欧**明") })

        // The issuer's own contact list is the one place with the holder in clear, and it is logged.
        let contact = try zhucan(["catalogue", "discover", "--dir", "ws", "--at", "2026-12-01", "--out", "contact.csv", "--by", "clerk"])
        #expect(contact.status == 0, "\(contact.errorText)")
        #expect(Self.leaks(contact.text + contact.errorText).isEmpty, "only the file holds the list")
        let list = try String(contentsOf: folder.url.appendingPathComponent("contact.csv"), encoding: .utf8)
        #expect(list.contains(Self.name) && list.contains(Self.id))
        let mode = try FileManager.default.attributesOfItem(atPath: folder.path("contact.csv"))[.posixPermissions] as? Int
        #expect(mode == 0o600, "a list of people is readable by its owner only")
    }
}
