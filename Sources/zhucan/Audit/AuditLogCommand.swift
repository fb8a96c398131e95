import ArgumentParser
import Foundation
import ZhucanAudit
import ZhucanSigning
import ZhucanTransparency

/// `zhucan audit log`: checks a whole transparency log, from a service or an export file.
struct AuditLogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Check the issuer's transparency log: every entry, checkpoint, signature and certificate life story.",
        discussion: """
            Reads every entry from a running service (--from http://host:port, with an API key of \
            scope audit; up to its latest checkpoint, each answer within --request-timeout-seconds) \
            or from an export file (zhucan audit export), recomputes the Merkle tree, \
            checks the checkpoints' signatures and roots, that the log extends each --trusted-checkpoint \
            (yours from the last audit, and the checkpoint each verification node holds), \
            re-verifies every signed object against the trust list in force at its time, and checks \
            each certificate's life story. Prints each problem with its log index, then \
            `N entries checked, M problems`; exit 1 on any problem. Keep the checkpoint it prints \
            (--save-checkpoint) and pass it as --trusted-checkpoint next time.
            """
    )

    @Option(help: ArgumentHelp("A service's base URL (http://…) or an export file.", valueName: "url-or-file"))
    var from: String

    @Option(help: ArgumentHelp(
        "A checkpoint the log must extend: a file from an earlier audit, or a verification node's base URL (http(s)://…), whose GET /v1/log/checkpoint is the checkpoint it trusts. Repeatable: give every node, and a split view (nodes shown another log than the one audited) is named.",
        valueName: "file-or-url"
    ))
    var trustedCheckpoint: [String] = []

    @Option(help: ArgumentHelp("The log's verifier key (name+id+key), or a file holding it. Default: the key the log records.", valueName: "key"))
    var logKey: String?

    @Option(help: ArgumentHelp("The issuer's root public key (PEM). Default: the root key the log records.", valueName: "file"))
    var trustAnchor: String?

    @Option(help: ArgumentHelp("API key with the audit scope (default: $ZHUCAN_API_KEY).", valueName: "key"))
    var apiKey: String?

    @Option(help: ArgumentHelp("After a clean audit, write the latest checkpoint here.", valueName: "file"))
    var saveCheckpoint: String?

    @Option(
        name: .customLong("request-timeout-seconds"),
        help: "Over HTTP: the longest one request may take, its whole answer included (1–600)."
    )
    var requestTimeoutSeconds = 60.0

    @Flag(help: "Print the report as JSON.")
    var json = false

    func validate() throws {
        guard (1...600).contains(requestTimeoutSeconds) else { throw ValidationError("--request-timeout-seconds must be 1–600") }
    }

    func run() async throws {
        // Before the audit: the saved checkpoint usually replaces the trusted one it read.
        if let saveCheckpoint { try Files.checkReplaceable(saveCheckpoint, mayReplaceInput: true) }
        var configuration = LogAuditor.Configuration()
        if let trustAnchor {
            configuration.trustAnchors = [try CommandFailure.mappingInputErrors(trustAnchor) {
                try PublicKey(contentsOf: try Files.read(trustAnchor, what: "trust anchor"))
            }]
        }
        if let logKey { configuration.logKey = try LogKeyOption.verifier(logKey) }
        let timeout = Duration.milliseconds(Int64((requestTimeoutSeconds * 1_000).rounded()))
        for source in trustedCheckpoint {
            if source.hasPrefix("http://") || source.hasPrefix("https://") {
                // A node's: the checkpoint it took its lists under (Docs/deployment.md).
                guard let base = URL(string: source) else { throw CommandFailure.input("--trusted-checkpoint: \(source) is not a URL") }
                let note: String
                do {
                    note = try await LogHTTPClient(base: base, apiKey: nil, requestTimeout: timeout).checkpoint()
                } catch let failure as CommandFailure {
                    // The client's words are for --from; these name the node.
                    throw CommandFailure.input("--trusted-checkpoint \(source): cannot read the checkpoint this node holds: \(failure.message)")
                }
                configuration.trustedCheckpoints.append((source, note, true))
                continue
            }
            // A missing file is never taken for a first audit: deleting it would let a
            // rewritten log pass the next scheduled audit. The first audit says so itself.
            guard FileManager.default.fileExists(atPath: source) else {
                throw CommandFailure.input(
                    "无法读取 \(source)：文件不存在 / the trusted checkpoint \(source) does not exist: on a first audit, leave out --trusted-checkpoint (with --save-checkpoint the clean audit saves the checkpoint to trust next time)"
                )
            }
            let note = String(decoding: LogKeyOption.checkpoint(try Files.read(source, what: "trusted checkpoint")), as: UTF8.self)
            configuration.trustedCheckpoints.append((source, note, false))
        }

        var auditor: LogAuditor
        if from.hasPrefix("http://") || from.hasPrefix("https://") {
            guard let base = URL(string: from) else { throw CommandFailure.input("--from: \(from) is not a URL") }
            let key = apiKey ?? ProcessInfo.processInfo.environment["ZHUCAN_API_KEY"]
            let client = LogHTTPClient(base: base, apiKey: key, requestTimeout: timeout)
            let checkpoint = try await client.checkpoint()
            auditor = LogAuditor(configuration: configuration, checkpoints: [checkpoint])
            // The log as this checkpoint signed it. Entries a busy service logged since are not
            // covered by it: read, they were `unsigned_entries` (exit 1) on any live audit.
            let size = auditor.latestCheckpointSize ?? 0
            try await client.readEntries(upTo: size, into: &auditor)
        } else {
            var reader: LogAuditor?
            do {
                try LogExportFile.read(from: URL(fileURLWithPath: from)) { header in
                    reader = LogAuditor(configuration: configuration, checkpoints: header.checkpoints, declared: (header.origin, header.entries))
                } entry: { entry in
                    reader?.add(entry)
                } unreadable: { line, reason in
                    reader?.addUnreadable("\(from) line \(line): \(reason)")
                }
            } catch let error as AuditError {
                throw CommandFailure.input(error.reason)
            }
            guard let reader else { throw CommandFailure.input("\(from) has no header") }
            auditor = reader
        }
        let report = auditor.finish()

        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            for note in report.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            for problem in report.problems { print(problem) }
            if let size = report.checkpointSize, let root = report.checkpointRoot {
                print("checkpoint: size \(size), root \(root)")
            }
            print(report.summary)
        }
        if !report.problems.isEmpty { throw CommandFailure.negative("the log has \(report.problems.count) problem(s)") }
        // The checkpoint the log was checked against: the largest, whatever order the source
        // gave them in.
        if let saveCheckpoint, let latest = report.checkpointNote {
            try Files.write(Array(latest.utf8), to: saveCheckpoint, mayReplaceInput: true)
        }
    }
}
