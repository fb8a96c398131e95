import Foundation
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIssuer
import ZhucanQR
import ZhucanSigning

/// The size of each code a holder shows, in characters and QR version at level Q, in envelope
/// version 1 and in the compact format, for each signing algorithm: the figure of issue #16's
/// table "identity code, characters and QR version" and "certificate code". Sizes depend only on lengths (every
/// signature is 64 bytes), so one code of each kind says it; the longest possible codes are
/// held by `CompactCodeTests`.
struct CodeSizeBenchmark {
    let zhucan: URL
    let keys: URL

    func run() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("zhucan-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let catalogue = keys.deletingLastPathComponent().appendingPathComponent("Sources/ZhucanCatalogue/Resources/pinghu-catalogue.json")
        var lines = [
            "Code sizes: characters → QR version at level Q (alphanumeric), envelope version 1 (ZC1:) beside the compact format (ZC2:)",
            "",
            "| code | algorithm | version 1 | compact | compact ÷ version 1 |",
            "| --- | --- | ---: | ---: | ---: |",
        ]
        for algorithm in SignatureAlgorithm.signing {
            let directory = folder.appendingPathComponent("ws-\(algorithm.rawValue)")
            try ZhucanCommand.run(zhucan, ["init", "--demo", "--algorithm", algorithm.rawValue, "--dir", directory.path, "--keys-dir", keys.path])
            try ZhucanCommand.run(zhucan, [
                "issue", "--dir", directory.path, "--name", "王小明", "--id-number", "360121197011210013", "--category", "4", "--level", "3",
                "--region", "330482", "--ssc-card-number", "A12345678",
            ])
            try ZhucanCommand.run(zhucan, ["catalogue", "publish", "--dir", directory.path, "--in", catalogue.path])
            let workspace = try Workspace(opening: directory)
            let number = "36012119701121001343", now = Int64(Date().timeIntervalSince1970)
            func identity(_ format: CodeFormat, category: Bool) throws -> String {
                try workspace.identityCode(certificateNumber: number, seconds: nil, showCategory: category, format: format, now: now)
            }
            func service(_ format: CodeFormat) throws -> String {
                try workspace.serviceCode(certificateNumber: number, service: "free-bus", seconds: nil, oneTime: true, now: now, format: format)
            }
            let rows: [(String, String, String)] = [
                ("identity code", try identity(.standard, category: false), try identity(.compact, category: false)),
                ("identity code, category shown", try identity(.standard, category: true), try identity(.compact, category: true)),
                ("service code free-bus, one-time", try service(.standard), try service(.compact)),
            ]
            for (name, standard, compact) in rows {
                lines.append(String(
                    format: "| %@ | %@ | %@ | %@ | %.2f |", name, algorithm.rawValue, try Self.size(standard), try Self.size(compact),
                    Double(compact.count) / Double(standard.count)
                ))
            }
            // The certificate as issued (compact), and the same certificate sealed in version 1.
            if let compact = try workspace.registry.certificate(number: number)?.code {
                let verified = CredentialVerifier(lists: try workspace.verifierLists(), configuration: .init(validationTime: now)).verify(compact)
                guard case .certificate(let certificate)? = verified.credential else {
                    throw BenchmarkError("the issued certificate does not verify: \(verified.reason.rawValue) \(verified.detail)")
                }
                let standard = try EnvelopeSealer.seal(certificate.claims, type: ObjectType.certificate.rawValue, key: try workspace.issuerKey())
                lines.append(String(
                    format: "| certificate | %@ | %@ | %@ | %.2f |", algorithm.rawValue, try Self.size(standard), try Self.size(compact),
                    Double(compact.count) / Double(standard.count)
                ))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// "220 → v10".
    static func size(_ text: String) throws -> String {
        "\(text.count) → v\(try QRCode(text: text, errorCorrection: .quartile).version)"
    }
}
