import Foundation
import GRDB
import Testing
import ZhucanRegistry
import ZhucanTesting

/// Issue #15 through the built binary: what an attacker or a careless operator found.
@Suite("zhucan: hardening")
struct HardeningCommandTests {
    let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory()
    }

    func zhucan(_ arguments: [String], environment: [String: String] = [:]) throws -> Shell.Output {
        try ZhucanBinary.run(arguments, in: folder.url, environment: environment)
    }

    /// `sh -c SCRIPT` in the folder, with `$ZHUCAN` the binary.
    func shell(_ script: String) throws -> Shell.Output {
        try Shell.run(["sh", "-c", script], in: folder.url, environment: ["ZHUCAN": ZhucanBinary.url.path])
    }

    /// `init --demo --dir D` and one certificate in it, 36012119701121001343 (王小明).
    func demoWithHolder() throws {
        try #require(try zhucan(["init", "--demo", "--dir", "D"]).status == 0)
        let issued = try zhucan(["issue", "--dir", "D", "--name", "王小明", "--id-number", "360121197011210013", "--category", "4",
                                 "--level", "3", "--region", "330482"])
        try #require(issued.status == 0, "\(issued.errorText)")
    }

    func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: folder.path(path))[.posixPermissions] as? Int)
    }

    // MARK: - Item 2: init outside the repository, all or nothing

    @Test("init --demo works from any folder: the demo keys are in the binary")
    func initDemoAnywhere() throws {
        // The folder has no keys/: before the fix, init failed after writing half a workspace.
        #expect(!FileManager.default.fileExists(atPath: folder.path("keys")))
        let created = try zhucan(["init", "--demo", "--dir", "D"])
        #expect(created.status == 0, "\(created.errorText)")
        let issued = try zhucan(["issue", "--dir", "D", "--name", "王小明", "--id-number", "360121197011210013", "--category", "4",
                                 "--level", "3", "--region", "330482"])
        #expect(issued.status == 0, "\(issued.errorText)")
        // The same issuer key as the repository's labelled demo key.
        let embedded = try String(contentsOfFile: folder.path("D/keys/root.pub.pem"), encoding: .utf8)
        let repository = try String(contentsOf: TestVectors.projectRoot.appendingPathComponent("keys/demo-root-sm2.pub.pem"), encoding: .utf8)
        #expect(embedded == repository)
    }

    @Test("A failing init leaves nothing behind, and a second init then succeeds")
    func initIsAtomic() throws {
        let failed = try zhucan(["init", "--demo", "--dir", "D", "--keys-dir", "no-such-folder"])
        #expect(failed.status == 2)
        #expect(failed.errorText.contains("no-such-folder"), "\(failed.errorText)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("D")))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains("init-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
        #expect(try zhucan(["init", "--demo", "--dir", "D"]).status == 0)
        // A workspace, or a folder holding anything else, is refused untouched.
        #expect(try zhucan(["init", "--demo", "--dir", "D"]).errorText.contains("already holds a workspace"))
    }

    @Test("init refuses a folder that holds other files, and accepts an empty one")
    func initNeedsAnEmptyFolder() throws {
        try FileManager.default.createDirectory(atPath: folder.path("E"), withIntermediateDirectories: true)
        try Data("notes".utf8).write(to: URL(fileURLWithPath: folder.path("E/notes.txt")))
        let refused = try zhucan(["init", "--demo", "--dir", "E"])
        #expect(refused.status == 2)
        #expect(refused.errorText.contains("not empty"), "\(refused.errorText)")
        #expect(try String(contentsOfFile: folder.path("E/notes.txt"), encoding: .utf8) == "notes")
        try FileManager.default.createDirectory(atPath: folder.path("F"), withIntermediateDirectories: true)
        #expect(try zhucan(["init", "--demo", "--dir", "F"]).status == 0)
    }

    // init used to build beside the target and rename into place, so a folder made by a
    // service manager under a parent the service cannot write, a mount point, or a symbolic
    // link to an empty folder was refused ("cannot create a folder beside", "Device or resource
    // busy", "Not a directory").
    @Test("init into an empty folder that exists builds inside it: under a read-only parent, and through a symbolic link")
    func initIntoAFolderThatExists() throws {
        try FileManager.default.createDirectory(atPath: folder.path("srv/zhucan"), withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path("srv/zhucan"))
        // Root writes anywhere: the read-only parent is checked by where init stages, not by
        // the kernel refusing it.
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path("srv"))
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path("srv")) }
        let created = try zhucan(["init", "--demo", "--dir", "srv/zhucan"])
        #expect(created.status == 0, "\(created.errorText)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("srv")) == ["zhucan"], "nothing staged beside it")
        #expect(try FileManager.default.attributesOfItem(atPath: folder.path("srv/zhucan"))[.posixPermissions] as? Int == 0o700)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path("srv/zhucan")).sorted() == ["config.json", "issuance.lock", "keys", "zhucan.db"])
        #expect(try zhucan(["issue", "--dir", "srv/zhucan", "--name", "王小明", "--id-number", "360121197011210013", "--category", "4",
                            "--level", "3", "--region", "330482"]).status == 0)

        try FileManager.default.createDirectory(atPath: folder.path("real"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: folder.path("link"), withDestinationPath: "real")
        #expect(try zhucan(["init", "--demo", "--dir", "link"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: folder.path("real/config.json")))
    }

    @Test("holder enroll --png refuses a file it must not replace before it makes a link; writes a PNG otherwise")
    func enrolmentPNG() throws {
        try demoWithHolder()
        let refused = try zhucan(["holder", "enroll", "--dir", "D", "--certificate", "36012119701121001343", "--png", "D/keys/root.key.pem"])
        #expect(refused.status == 2)
        #expect(refused.errorText.contains("refusing to write"), "\(refused.errorText)")
        #expect(!refused.errorText.contains("enrolment link"), "no link was made")
        let written = try zhucan(["holder", "enroll", "--dir", "D", "--certificate", "36012119701121001343", "--png", "enrol.png"])
        #expect(written.status == 0, "\(written.errorText)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: folder.path("enrol.png"))).starts(with: [0x89, 0x50, 0x4E, 0x47]))
    }

    // A review exported with --by '张三\n[date] personal-data-exported by 李四…': the terminal
    // printed a forged line and the log kept the newline, a bidi override and a formula.
    @Test("Text the log keeps (discover --by and --purpose, an import's --source, a reason) is one line of 1–200 characters without controls or piled marks, checked before the work; a table's --out ends in .xlsx or .csv")
    func loggedTextIsOneLine() throws {
        try demoWithHolder()
        let piled = "回" + String(repeating: "\u{0301}", count: 40)
        for (option, value) in [("--by", "张三\n[2026-12-06] personal-data-exported by 李四"), ("--purpose", "回访\u{202E}"), ("--purpose", piled)] {
            var arguments = ["catalogue", "discover", "--dir", "D", "--by", "clerk", "--purpose", "test"]
            arguments[arguments.firstIndex(of: option)! + 1] = value
            let refused = try zhucan(arguments)
            #expect(refused.status == 2, "\(option)")
            #expect(refused.errorText.contains("must be 1–200 characters, on one line, without control characters"), "\(option): \(refused.errorText)")
        }
        // A table's format follows its name: contact.xls would be CSV, which Excel opens warning.
        for out in ["contact.xls", "contact"] {
            let refused = try zhucan(["catalogue", "discover", "--dir", "D", "--by", "clerk", "--purpose", "test", "--out", out])
            #expect(refused.status == 2, "\(out)")
            #expect(refused.errorText.contains("the file name must end in .xlsx (a workbook) or .csv"), "\(out): \(refused.errorText)")
            #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent(out).path))
            // The plan's report says so before it opens anything (here a workspace that is not there).
            let report = try zhucan(["report", "plan", "--dir", "nowhere", "--out", out])
            #expect(report.status == 2, "\(out)")
            #expect(report.errorText.contains("the file name must end in .xlsx (a workbook) or .csv"), "\(out): \(report.errorText)")
        }
        try Data("身份证号,低保\n360121197011210013,是\n".utf8).write(to: folder.url.appendingPathComponent("facts.csv"))
        let source = try zhucan(["household", "import", "--dir", "D", "--file", "facts.csv", "--source", "民政\n伪造"])
        #expect(source.status == 2, "\(source.errorText)")
        #expect(source.errorText.contains("the source (--source) must be 1–200 characters"), "\(source.errorText)")
        // A file named like a formula is its own default source: written to a spreadsheet,
        // such text is neutralised there.
        try Data("身份证号,低保\n360121197011210013,是\n".utf8).write(to: folder.url.appendingPathComponent("-低保.csv"))
        let named = try zhucan(["household", "import", "--dir", "D", "--file", "./-低保.csv"])
        #expect(!named.errorText.contains("--source"), "\(named.errorText)")  // (this workspace has no catalogue to judge by)
        let reason = try zhucan(["revoke", "--dir", "D", "--certificate", "36012119701121001343", "--reason", "死亡\n[伪造]"])
        #expect(reason.status == 2, "\(reason.errorText)")
        #expect(reason.errorText.contains("the reason must be 1–200 characters, on one line"), "\(reason.errorText)")
    }

    // A revocation whose issuer key could not be read said only "cannot read …key.pem": it
    // read as a revocation that failed, while it was recorded and verifiers saw nothing.
    @Test("A status change recorded whose status list cannot be published says so, and how to finish it; asking again finishes it")
    func changeRecordedListNotPublished() throws {
        try demoWithHolder()
        let key = try HiddenIssuerKey(workspace: folder.url.appendingPathComponent("D"), parkingIn: folder.url)
        let revoked = try zhucan(["revoke", "--dir", "D", "--certificate", "36012119701121001343", "--reason", "deceased"])
        #expect(revoked.status != 0)
        #expect(revoked.errorText.contains("the revoke of 3601************** is recorded, but the status list could not be published"), "\(revoked.errorText)")
        #expect(revoked.errorText.contains("zhucan status-list publish --dir"), "\(revoked.errorText)")
        try key.restore()
        let again = try zhucan(["revoke", "--dir", "D", "--certificate", "36012119701121001343", "--reason", "deceased"])
        #expect(again.errorText.contains("the status list was published again"), "\(again.errorText)")
    }

    // Codes took their facts from the registry's columns: a level raised, or a name changed,
    // behind the application was signed into every code, which no certificate and no log
    // entry says (the auditor review).
    @Test("A registry row edited behind the application (a level, a name) signs no code; the row put back, codes are minted again")
    func codesFromARowThatMatchesItsCertificate() throws {
        try demoWithHolder()
        let database = try DatabaseQueue(path: folder.path("D/zhucan.db"))
        let number = "36012119701121001343"
        #expect(try zhucan(["code", "identity", "--dir", "D", "--certificate", number, "--show-category"]).status == 0)
        for (column, value, named) in [("level", "1", "category or level"), ("name", "李四", "name"), ("status_index", "99", "status index")] {
            let original = try #require(try database.read { try String.fetchOne($0, sql: "SELECT CAST(\(column) AS TEXT) FROM certificate WHERE number = ?", arguments: [number]) })
            try database.write { try $0.execute(sql: "UPDATE certificate SET \(column) = ? WHERE number = ?", arguments: [value, number]) }
            let refused = try zhucan(["code", "identity", "--dir", "D", "--certificate", number, "--show-category"])
            #expect(refused.status != 0, "\(column)")
            #expect(refused.errorText.contains("does not say what its signed certificate says (\(named))"), "\(column): \(refused.errorText)")
            #expect(!refused.errorText.contains("王小明") && !refused.errorText.contains("李四"), "no name is echoed")
            let audited = try zhucan(["audit", "signatures", "--dir", "D"])
            #expect(audited.status != 0 && audited.text.contains("row_mismatch"), "\(column): \(audited.text)")
            #expect(audited.text.contains("(\(named))"), "\(column): \(audited.text)")
            try database.write { try $0.execute(sql: "UPDATE certificate SET \(column) = ? WHERE number = ?", arguments: [original, number]) }
        }
        #expect(try zhucan(["code", "identity", "--dir", "D", "--certificate", number, "--show-category"]).status == 0)
        #expect(try zhucan(["audit", "signatures", "--dir", "D"]).status == 0)

        // The e-licence type code set in config.json after issuance (the demo's is a
        // placeholder), and a trust list published with it: the certificate's codes still mint.
        let configURL = folder.url.appendingPathComponent("D/config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        config["licenseTypeCode"] = "11330482MB1234567N001"
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        let published = try zhucan(["trust-list", "publish", "--dir", "D", "--out", "trust.zc1"])
        try #require(published.status == 0, "\(published.errorText)")
        let minted = try zhucan(["code", "identity", "--dir", "D", "--certificate", number])
        #expect(minted.status == 0, "\(minted.errorText)")
        #expect(try zhucan(["audit", "signatures", "--dir", "D"]).status == 0)
    }

    @Test("holder devices names who made each link (BY); --enrolled-by lists one key's or user's devices on every certificate; one of the two is required")
    func devicesEnrolledBy() throws {
        try demoWithHolder()
        let listed = try zhucan(["holder", "devices", "--dir", "D", "--certificate", "36012119701121001343"])
        #expect(listed.status == 0, "\(listed.errorText)")
        #expect(listed.text.hasPrefix("DEVICE\tWHO\tENROLLED\tREVOKED\tBY"), "\(listed.text)")
        let byKey = try zhucan(["holder", "devices", "--dir", "D", "--enrolled-by", "0123abcd"])
        #expect(byKey.status == 0, "\(byKey.errorText)")
        #expect(byKey.text.hasPrefix("DEVICE\tCERTIFICATE\tWHO\tENROLLED\tREVOKED"), "\(byKey.text)")
        #expect(byKey.errorText.contains("0 devices enrolled by apikey:0123abcd, 0 not revoked"), "\(byKey.errorText)")
        for arguments in [[], ["--certificate", "36012119701121001343", "--enrolled-by", "cli:root"]] {
            let refused = try zhucan(["holder", "devices", "--dir", "D"] + arguments)
            #expect(refused.status == 2)
            #expect(refused.errorText.contains("give either --certificate or --enrolled-by"), "\(refused.errorText)")
        }
        #expect(try zhucan(["holder", "devices", "--dir", "D", "--enrolled-by", "apikey:0123abcd"]).status == 0)
        #expect(try zhucan(["holder", "devices", "--dir", "D", "--enrolled-by", "cli:root"]).status == 0)
        for who in ["root", "apikey:root", "0123ABCD", "cli:"] {
            let refused = try zhucan(["holder", "devices", "--dir", "D", "--enrolled-by", who])
            #expect(refused.status == 2, "\(who)")
            #expect(refused.errorText.contains("--enrolled-by: an API key's id"), "\(who): \(refused.errorText)")
        }
    }

    @Test("holder enroll --base-url and serve --public-url take an origin: a path, which the pages could not work under, is refused")
    func publicAddresses() throws {
        try demoWithHolder()
        let link = try zhucan(["holder", "enroll", "--dir", "D", "--certificate", "36012119701121001343", "--base-url", "HTTPS://Zhucan.Example:443/"])
        #expect(link.status == 0, "\(link.errorText)")
        #expect(link.text.hasPrefix("https://zhucan.example/holder/#enrol="), "\(link.text)")
        let prefixed = try zhucan(["holder", "enroll", "--dir", "D", "--certificate", "36012119701121001343", "--base-url", "https://zhucan.example/app"])
        #expect(prefixed.status == 2)
        #expect(prefixed.errorText.contains("--base-url: https://zhucan.example/app has a path"), "\(prefixed.errorText)")
        for (url, reason) in [("https://zhucan.example/app", "has a path"), ("zhucan.example", "not an http"), ("https://zhucan.example#x", "fragment")] {
            let refused = try zhucan(["serve", "--dir", "D", "--public-url", url])
            #expect(refused.status == 2)
            #expect(refused.errorText.contains("--public-url: ") && refused.errorText.contains(reason), "\(refused.errorText)")
        }
    }

    @Test("serve and verifier serve on a port in use exit 2 naming the port and --port, not 1 with NIO's words")
    func portInUse() throws {
        #expect(try zhucan(["init", "--demo", "--dir", "D"]).status == 0)
        let running = try ServeProcess(directory: "D", in: folder.url)
        defer { running.stop() }
        let serve = try zhucan(["serve", "--dir", "D", "--port", String(running.port)])
        #expect(serve.status == 2)
        #expect(serve.errorText.contains("cannot listen on 127.0.0.1:\(running.port): another process is listening on that port: choose another with --port"),
                "\(serve.errorText)")
        let node = try zhucan(["verifier", "serve", "--issuer", running.baseURL.absoluteString, "--trust-anchor", "D/keys/root.pub.pem",
                               "--state-dir", "N", "--port", String(running.port)])
        #expect(node.status == 2)
        #expect(node.errorText.contains("cannot listen on 127.0.0.1:\(running.port)"), "\(node.errorText)")
        let elsewhere = try zhucan(["serve", "--dir", "D", "--host", "192.0.2.1", "--port", "0"])
        #expect(elsewhere.status == 2)
        #expect(elsewhere.errorText.contains("check --host"), "\(elsewhere.errorText)")
    }

    @Test("A folder holding a workspace's files but no config.json is refused with what to do")
    func initNamesAWorkspaceCutShort() throws {
        try FileManager.default.createDirectory(atPath: folder.path("E/keys"), withIntermediateDirectories: true)
        try Data().write(to: URL(fileURLWithPath: folder.path("E/zhucan.db")))
        let refused = try zhucan(["init", "--demo", "--dir", "E"])
        #expect(refused.status == 2)
        #expect(refused.errorText.contains("keys, zhucan.db but no config.json"), "\(refused.errorText)")
        #expect(FileManager.default.fileExists(atPath: folder.path("E/keys")), "nothing is removed")
    }

    @Test("A killed init leaves a staged root key only until the next init, which removes it")
    func killedInitLeavesNoKeyBehind() throws {
        for target in ["D", "E"] {
            if target == "E" { try FileManager.default.createDirectory(atPath: folder.path("E"), withIntermediateDirectories: true) }
            let killed = try ZhucanBinary.run(["init", "--demo", "--dir", target], in: folder.url, environment: ["ZHUCAN_FAILPOINT": "keys.files-written"])
            try #require(killed.status != 0)
            let staged = try FileManager.default.subpathsOfDirectory(atPath: folder.url.path).filter { $0.contains("init-") && $0.hasSuffix("root.key.pem") }
            try #require(!staged.isEmpty, "the failpoint is reached after a key is written")
            #expect(try zhucan(["init", "--demo", "--dir", target]).status == 0)
            let left = try FileManager.default.subpathsOfDirectory(atPath: folder.url.path).filter { $0.contains("init-") }
            #expect(left.isEmpty, "\(left)")
        }
    }

    // MARK: - Item 7: owner-only files whatever the umask

    @Test("With umask 000, the workspace is 0700 and every file in it 0600; so are outputs")
    func ownerOnlyFiles() throws {
        let script = """
            umask 000
            "$ZHUCAN" init --demo --dir D >/dev/null &&
            "$ZHUCAN" issue --dir D --name 王小明 --id-number 360121197011210013 --category 4 --level 3 --region 330482 >/dev/null &&
            "$ZHUCAN" audit prove --dir D --certificate 36012119701121001343 --out proof.json >/dev/null &&
            "$ZHUCAN" audit export --dir D --out log.jsonl >/dev/null &&
            "$ZHUCAN" trust-list publish --dir D --out trust.txt >/dev/null
            """
        let output = try shell(script)
        #expect(output.status == 0, "\(output.errorText)")
        #expect(try mode("D") == 0o700)
        #expect(try mode("D/keys") == 0o700)
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder.path("D"))
        for file in files where file != "keys" {
            #expect(try mode("D/\(file)") == 0o600, "D/\(file)")
        }
        #expect(files.contains("zhucan.db"))
        for output in ["proof.json", "log.jsonl", "trust.txt"] {
            #expect(try mode(output) == 0o600, "\(output)")
        }
    }

    @Test("Keys restored readable by all (another umask, a key decrypted into the workspace) are owner-only again once a command reads them")
    func keysMadeOwnerOnly() throws {
        let script = """
            "$ZHUCAN" init --demo --dir D >/dev/null && chmod 755 D/keys && chmod 644 D/keys/*.pem &&
            "$ZHUCAN" issue --dir D --name 王小明 --id-number 360121197011210013 --category 4 --level 3 --region 330482 >/dev/null &&
            "$ZHUCAN" trust-list publish --dir D --out trust.txt >/dev/null
            """
        let output = try shell(script)
        #expect(output.status == 0, "\(output.errorText)")
        #expect(try mode("D/keys") == 0o700)
        let keys = try FileManager.default.contentsOfDirectory(atPath: folder.path("D/keys")).filter { $0.hasSuffix(".key.pem") }
        #expect(keys.count == 3, "\(keys)")
        for key in keys {
            #expect(try mode("D/keys/\(key)") == 0o600, "D/keys/\(key)")
        }
    }

    @Test("A temporary output left by a killed process is removed by the next write of that file; one of a live process is kept")
    func abandonedTemporaryOutputs() throws {
        #expect(try zhucan(["init", "--demo", "--dir", "D"]).status == 0)
        // pid_max is at most 2^22 (proc(5)): no process has a PID above it.
        let abandoned = ".trust.txt.\(1 << 23).12345.tmp"
        let live = ".trust.txt.\(getpid()).12345.tmp"
        let other = ".trust.txt.notes.tmp"
        for name in [abandoned, live, other] {
            try Data("王小明 360121197011210013".utf8).write(to: folder.url.appendingPathComponent(name))
        }
        let written = try zhucan(["trust-list", "publish", "--dir", "D", "--out", "trust.txt"])
        #expect(written.status == 0, "\(written.errorText)")
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: folder.url.path))
        #expect(!names.contains(abandoned), "an abandoned temporary output stayed")
        #expect(names.isSuperset(of: [live, other, "trust.txt"]), "\(names.sorted())")
    }

    @Test("A list written into a folder that does not exist is refused before it is signed: nothing is published")
    func listIntoAMissingFolder() throws {
        #expect(try zhucan(["init", "--demo", "--dir", "D"]).status == 0)
        let registry = try Registry(path: folder.path("D/zhucan.db"))
        let before = try registry.publications(.trustList).count
        for command in ["trust-list", "status-list"] {
            let refused = try zhucan([command, "publish", "--dir", "D", "--out", "no-such-folder/list"])
            #expect(refused.status == 2, "\(command)")
            #expect(refused.errorText.contains("no-such-folder") && refused.errorText.contains("does not exist"), "\(refused.errorText)")
        }
        #expect(try registry.publications(.trustList).count == before, "a trust list was published that no file holds")
    }

    // MARK: - Item 6: formula injection

    @Test("Names that a spreadsheet would run are refused; written CSV cells are neutralised")
    func formulaInjection() throws {
        #expect(try zhucan(["init", "--demo", "--dir", "D"]).status == 0)
        for name in ["=cmd|' /C calc'!A0", "+1", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://x\")"] {
            let issued = try zhucan(["issue", "--dir", "D", "--name=\(name)", "--id-number", "360121197011210013", "--category", "4",
                                     "--level", "3", "--region", "330482"])
            #expect(issued.status == 2, "\(name)")
            #expect(issued.errorText.contains("formula"), "\(name): \(issued.errorText)")
        }
        // A batch whose bad rows hold formulas: the reject file keeps them as text.
        let rows = [
            "name,id_number,category,level,region",
            "=1+1,360121197011210013,4,3,330482",
            "王小明,+1,4,3,330482",
            "王小红,360426199101010071,@A1,3,330482",
            "王小刚,360426199101010071,4,-1,330482",
        ]
        try Data(rows.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: folder.path("people.csv")))
        let batch = try zhucan(["issue", "--dir", "D", "--batch", "people.csv", "--skip-invalid"])
        #expect(batch.status == 0, "\(batch.errorText)")
        let rejects = try String(contentsOfFile: folder.path("people.csv.rejected.csv"), encoding: .utf8)
        var cells: [String] = []
        for line in rejects.split(separator: "\r\n").dropFirst() {
            cells += line.split(separator: ",").map(String.init)
        }
        for cell in cells {
            #expect(!["=", "+", "-", "@", "\t", "\r"].contains(where: { cell.hasPrefix($0) }), "unneutralised cell \(cell)")
        }
        #expect(rejects.contains("'=1+1") && rejects.contains("'+1") && rejects.contains("'@A1") && rejects.contains("'-1"), "\(rejects)")
    }

    // MARK: - Item 11: length in bytes, combining marks

    @Test("A name of combining marks, or over 256 bytes, is refused")
    func combiningMarks() throws {
        #expect(try zhucan(["init", "--demo", "--dir", "D"]).status == 0)
        for name in ["王" + String(repeating: "\u{0301}", count: 3_000), "王" + String(repeating: "\u{0301}", count: 5),
                     String(repeating: "\u{20000}", count: 65)] {
            let issued = try zhucan(["issue", "--dir", "D", "--name", name, "--id-number", "360121197011210013", "--category", "4",
                                     "--level", "3", "--region", "330482"])
            #expect(issued.status == 2, "\(name.utf8.count) bytes: \(issued.errorText)")
        }
        // Vietnamese stacks two marks on a letter: a real name passes.
        let real = try zhucan(["issue", "--dir", "D", "--name", "Nguye\u{0302}\u{0303}n", "--id-number", "360121197011210013",
                               "--category", "4", "--level", "3", "--region", "330482"])
        #expect(real.status == 0, "\(real.errorText)")
    }

    // MARK: - Item 12: verify @FILE reads at most the limit

    @Test("verify @FILE refuses a file over 1 MiB after reading at most 1 MiB + 1 byte")
    func hugeCodeFile() throws {
        // 1.5 GB (sparse) under a 1 GB address-space limit: reading it whole cannot work.
        let created = FileManager.default.createFile(atPath: folder.path("big.txt"), contents: nil)
        #expect(created)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: folder.path("big.txt")))
        try handle.truncate(atOffset: 1_500_000_000)
        try handle.close()
        let output = try shell(#"ulimit -v 1000000; exec "$ZHUCAN" verify @big.txt --signer /dev/null"#)
        #expect(output.status == 2, "\(output.errorText)")
        #expect(output.errorText.contains("larger than 1048576 bytes"), "\(output.errorText)")
    }

    // MARK: - Item 4: a connection cap and timeouts on zhucan serve

    @Test("zhucan serve --max-connections: further connections wait until idle ones are closed")
    func maximumConnections() async throws {
        #expect(try zhucan(["init", "--demo", "--dir", "D"]).status == 0)
        let server = try ServeProcess(directory: "D", in: folder.url,
                                      arguments: ["--max-connections", "4", "--idle-timeout-seconds", "2"])
        defer { server.stop() }
        // One at a time, each answered once, so that each is surely accepted: the server
        // accepts a burst of pending connections in one read, and may pass the limit by that
        // burst (Docs/operations.md). Then they stay open, idle.
        var held: [RawSocket] = []
        for _ in 0..<4 {
            let socket = try RawSocket(port: server.port)
            let answer = try socket.exchange("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", timeout: .seconds(10))
            try #require(answer.hasPrefix("HTTP/1.1 200"))
            held.append(socket)
        }
        let start = ContinuousClock.now
        let waiting = try RawSocket(port: server.port)
        try waiting.send("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        let answer = try waiting.receive(timeout: .seconds(15))
        #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer.prefix(100))")
        // Served only once the four idle connections were closed, about 2 s after their answers.
        #expect(ContinuousClock.now - start > .milliseconds(700), "served at once: the limit did not hold")
        for socket in held {
            #expect(try socket.receiveUntilClosed(timeout: .seconds(5)), "an idle connection stayed open")
        }
    }

    @Test("SIGTERM stops zhucan serve within ZHUCAN_SHUTDOWN_SECONDS even while a request body is still arriving, and says why")
    func boundedShutdown() async throws {
        #expect(try zhucan(["init", "--demo", "--dir", "D"]).status == 0)
        let key = try zhucan(["apikey", "create", "--dir", "D", "--name", "t", "--scope", "verify"])
        try #require(key.status == 0, "\(key.errorText)")
        let token = key.text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init) ?? ""
        let server = try ServeProcess(
            directory: "D", in: folder.url, arguments: ["--body-timeout-seconds", "600", "--idle-timeout-seconds", "600"],
            environment: ["ZHUCAN_SHUTDOWN_SECONDS": "2"]
        )
        // A request whose body never completes: graceful shutdown waits for it (up to the body
        // and idle timeouts, 10 minutes here, so that a slow test run cannot end it first); the
        // deadline does not.
        let socket = try RawSocket(port: server.port)
        try socket.send(
            "POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"code\":"
        )
        try await Task.sleep(for: .milliseconds(500))
        let start = ContinuousClock.now
        server.stop(SIGTERM)
        let took = ContinuousClock.now - start
        #expect(took < .seconds(15), "stopped after \(took)")
        #expect(server.log.contains("graceful shutdown did not finish within 2 s"), "\(server.log.suffix(600))")
        #expect(server.process.terminationStatus == 1)
    }

    @Test("zhucan serve refuses timeouts and limits out of range")
    func serveOptionRanges() throws {
        #expect(try zhucan(["init", "--demo", "--dir", "D"]).status == 0)
        for arguments in [["--idle-timeout-seconds", "0"], ["--body-timeout-seconds", "601"], ["--max-connections", "0"]] {
            let output = try zhucan(["serve", "--dir", "D"] + arguments)
            #expect(output.status == 2, "\(arguments)")
            #expect(output.errorText.contains(arguments[0]), "\(output.errorText)")
        }
    }
}
