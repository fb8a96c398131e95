import Foundation
import Testing
import ZhucanTesting

/// `zhucan qr` through the built binary: the largest certificate the issuer can make, and the
/// codes a holder shows, rendered as PNG, SVG and terminal text, read back by zbar.
@Suite("zhucan qr")
struct QRCommandTests {
    let folder: TemporaryDirectory
    let demoKeys = TestVectors.projectRoot.appendingPathComponent("keys")

    static let algorithms = ["sm2", "es256", "ed25519"]

    /// The longest name `PersonName` allows: 64 CJK ideographs, drawn from a fixed
    /// pseudo-random sequence so that zlib finds nothing to compress.
    static let longestName: String = {
        var state: UInt32 = 20_211_129
        var name = ""
        for _ in 0..<64 {
            state = state &* 1_664_525 &+ 1_013_904_223
            name.unicodeScalars.append(Unicode.Scalar(0x4E00 + (state >> 8) % (0x9FA5 - 0x4E00))!)
        }
        return name
    }()

    init() throws {
        folder = try TemporaryDirectory()
    }

    func zhucan(_ arguments: [String]) throws -> Shell.Output {
        try ZhucanBinary.run(arguments, in: folder.url)
    }

    func json(_ output: Shell.Output) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: output.stdout) as? [String: Any], "not JSON: \(output.errorText)")
    }

    /// The three objects a holder may show, from a demo workspace of `algorithm`: the longest
    /// certificate (64-character name, social-security card, multiple disability), an identity
    /// code showing category and level, and a one-time service code.
    func largestObjects(_ algorithm: String) throws -> [(kind: String, code: String)] {
        let dir = "ws-\(algorithm)"
        let created = try zhucan(["init", "--demo", "--algorithm", algorithm, "--dir", dir, "--keys-dir", demoKeys.path])
        try #require(created.status == 0, "\(created.errorText)")
        let issued = try zhucan([
            "issue", "--dir", dir, "--name", Self.longestName, "--id-number", "360426199101010071", "--category", "7",
            "--level", "1", "--region", "330482", "--ssc-card-number", "A12345678", "--json",
        ])
        try #require(issued.status == 0, "\(issued.errorText)")
        let answer = try json(issued)
        let certificate = try #require(answer["code"] as? String)
        let number = try #require(answer["certificateNumber"] as? String)
        let identity = try zhucan(["code", "identity", "--dir", dir, "--certificate", number, "--show-category", "--ttl", "86400"])
        let service = try zhucan(["code", "service", "--dir", dir, "--certificate", number, "--service", "rehabilitation-assistive-devices", "--one-time", "--ttl", "86400"])
        try #require(identity.status == 0 && service.status == 0)
        return [
            ("certificate", certificate),
            ("identity code", identity.text.trimmingCharacters(in: .whitespacesAndNewlines)),
            ("service code", service.text.trimmingCharacters(in: .whitespacesAndNewlines)),
        ]
    }

    /// Renders `code` to `file` and returns the QR version `zhucan qr` reports.
    func render(_ code: String, format: String, to file: String) throws -> Int {
        let output = try zhucan(["qr", code, "--format", format, "--out", file])
        try #require(output.status == 0, "\(output.errorText)")
        // "QR version 24 (113×113 modules), 945 characters → file"
        let words = output.errorText.split(separator: " ")
        let version = try #require(words.firstIndex(of: "version").flatMap { words.index(after: $0) < words.endIndex ? Int(words[words.index(after: $0)]) : nil })
        #expect(output.errorText.contains("\(code.count) characters"))
        let size = 17 + 4 * version  // ISO/IEC 18004 §5.3.1
        #expect(output.errorText.contains("(\(size)×\(size) modules)"))
        return version
    }

    @Test("sizes of the largest objects, and they fit a QR code", arguments: algorithms)
    func sizes(algorithm: String) throws {
        for object in try largestObjects(algorithm) {
            let report = try json(try zhucan(["inspect", object.code, "--json"]))
            let cose = try #require(report["inflatedBytes"] as? Int)
            let compressed = try #require(report["compressedBytes"] as? Int)
            let version = try render(object.code, format: "svg", to: "\(algorithm).svg")
            print("QR-SIZE \(algorithm.padding(toLength: 8, withPad: " ", startingAt: 0)) \(object.kind.padding(toLength: 14, withPad: " ", startingAt: 0)) COSE \(cose) B, zlib \(compressed) B, code \(object.code.utf8.count) chars, QR version \(version) (Q)")
            // Everything is uppercase alphanumeric, so the QR uses alphanumeric mode: at level
            // Q version 40 takes 2,420 characters; a counter's phone camera wants far fewer.
            #expect(object.code.allSatisfy { "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:".contains($0) })
            #expect(object.code.utf8.count <= 2_420)
            #expect((1...40).contains(version))
            // A regression guard on growth: measured (2026-11) version 24 for this certificate
            // and 17 for the codes, at every algorithm.
            #expect(version <= (object.kind == "certificate" ? 25 : 18), "\(object.kind) needs version \(version)")
        }
    }

    @Test(
        "PNG and SVG read back exactly",
        .enabled(if: Shell.has("zbarimg") || TestVectors.isRequired),
        arguments: algorithms
    )
    func pngAndSVGScanBack(algorithm: String) throws {
        let objects = try largestObjects(algorithm)
        for object in objects where object.kind != "identity code" {
            for format in ["png", "svg"] {
                let file = "\(object.kind.prefix(4))-\(algorithm).\(format)"
                _ = try render(object.code, format: format, to: file)
                let scanned = try Shell.run(["zbarimg", "--raw", "-q", "--nodbus", "-Sdisable", "-Sqrcode.enable", file], in: folder.url)
                #expect(scanned.status == 0, "\(file): \(scanned.errorText)")
                #expect(scanned.text.trimmingCharacters(in: .newlines) == object.code, "\(file)")
            }
        }
        // From a file with a trailing newline, as `zhucan code … > file` leaves it.
        let identity = try #require(objects.first { $0.kind == "identity code" }).code
        try Data((identity + "\n").utf8).write(to: folder.url.appendingPathComponent("identity.txt"))
        let png = try zhucan(["qr", "@identity.txt", "--format", "png", "--out", "identity.png"])
        #expect(png.status == 0, "\(png.errorText)")
        let scanned = try Shell.run(["zbarimg", "--raw", "-q", "--nodbus", "-Sdisable", "-Sqrcode.enable", "identity.png"], in: folder.url)
        #expect(scanned.text.trimmingCharacters(in: .newlines) == identity)
    }

    @Test func terminalSymbolHasTheSizeOfItsVersion() throws {
        let certificate = try #require(try largestObjects("sm2").first).code
        let version = try render(certificate, format: "svg", to: "c.svg")
        let side = 17 + 4 * version + 8  // symbol plus a 4-module quiet zone each side
        let output = try zhucan(["qr", certificate])
        #expect(output.status == 0, "\(output.errorText)")
        let lines = output.text.trimmingCharacters(in: .newlines).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == (side + 1) / 2)  // two modules per line
        #expect(lines.allSatisfy { $0.count == side })
        #expect(output.text.allSatisfy { "█▀▄ \n".contains($0) })
        // The quiet zone: the first two lines are all light (drawn as full blocks by default).
        #expect(lines.prefix(2).allSatisfy { $0.allSatisfy { $0 == "█" } })

        // SVG is a document of the right size; PNG starts with its signature.
        let svg = try String(contentsOf: folder.url.appendingPathComponent("c.svg"), encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("width=\"\(side * 8)\" height=\"\(side * 8)\""))
        _ = try render(certificate, format: "png", to: "c.png")
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("c.png")).prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
    }

    @Test func tooLongAndBadInputsExitTwo() throws {
        let long = "ZC1:" + String(repeating: "A", count: 2_996)
        for format in ["terminal", "svg", "png"] {
            let output = try zhucan(["qr", long, "--format", format, "--out", "long.\(format)"])
            #expect(output.status == 2, "\(format)")
            // The message names both numbers ("text is 3000 alphanumeric characters; a QR code at
            // error correction Q holds at most 2420"), on one line.
            #expect(output.errorText.contains("3000") && output.errorText.contains("at most 2420"), "\(format): \(output.errorText)")
            #expect(output.errorText.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: folder.path("long.\(format)")))
        }
        // 2,420 alphanumeric characters is the largest symbol at level Q; one more is too long.
        let largest = try zhucan(["qr", "ZC1:" + String(repeating: "A", count: 2_416), "--format", "svg", "--out", "max.svg"])
        #expect(largest.status == 0, "\(largest.errorText)")
        #expect(largest.errorText.contains("QR version 40"))
        #expect(try zhucan(["qr", "ZC1:" + String(repeating: "A", count: 2_417), "--format", "svg", "--out", "over.svg"]).status == 2)

        #expect(try zhucan(["qr", "@missing.txt"]).status == 2)
        #expect(try zhucan(["qr", "ZC1:ABC", "--format", "png"]).status == 2)  // png needs --out
        #expect(try zhucan(["qr", "ZC1:ABC", "--format", "gif", "--out", "x.gif"]).status == 2)
        #expect(try zhucan(["qr", "ZC1:ABC", "--scale", "0", "--format", "svg", "--out", "x.svg"]).status == 2)
        #expect(try zhucan(["qr", ""]).status == 2)
    }
}
