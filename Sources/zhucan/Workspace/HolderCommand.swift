import ArgumentParser
import Foundation
import ZhucanEnvelope
import ZhucanHTTP
import ZhucanIdentifiers
import ZhucanIssuer
import ZhucanQR
import ZhucanRegistry

/// `zhucan holder`: holders' and agents' devices, enrolled at the service window.
struct HolderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "holder",
        abstract: "Enrol a holder's or agent's phone, list and revoke devices.",
        subcommands: [Enroll.self, Devices.self, RevokeDevice.self]
    )

    /// `zhucan holder enroll`.
    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a single-use enrolment link for the holder's page, as text and as a QR code.",
            discussion: """
                The holder (or the agent) opens the link on their phone: the page makes a key that
                never leaves the phone and registers it for this certificate. The link works once,
                expires after --ttl, and names no person: its secret sits in the URL's fragment,
                which browsers never send to a server. Enrolments are events in the transparency log.
                """
        )

        @OptionGroup var workspace: WorkspaceOption

        @Option(help: ArgumentHelp("Certificate number (残疾人证号).", valueName: "number"))
        var certificate: String

        @Option(name: .customLong("agent-name"), help: ArgumentHelp("Enrol an agent (帮办代办) by name instead of the holder.", valueName: "name"))
        var agentName: String?

        @Option(name: .customLong("agent-id-number"), help: ArgumentHelp("The agent's citizen ID number.", valueName: "id"))
        var agentIDNumber: String?

        @Option(help: ArgumentHelp("The agent's relation: guardian (监护人), family (亲属) or caseworker (社工).", valueName: "relation"))
        var relation: String?

        @Option(help: ArgumentHelp("How long the link works: 15m, 1h, or seconds (default 15m).", valueName: "duration"))
        var ttl: String?

        @Option(name: .customLong("base-url"), help: ArgumentHelp("The service's address as phones reach it (default http://127.0.0.1:8080).", valueName: "url"))
        var baseURL = "http://127.0.0.1:8080"

        @Option(help: ArgumentHelp("Also write the link's QR code as a PNG here.", valueName: "file"))
        var png: String?

        func validate() throws {
            if (agentName == nil) != (relation == nil) { throw ValidationError("--agent-name and --relation go together") }
            if agentIDNumber != nil && agentName == nil { throw ValidationError("--agent-id-number needs --agent-name") }
            if let relation, !["guardian", "family", "caseworker"].contains(relation) {
                throw ValidationError("--relation must be guardian, family or caseworker")
            }
            if let ttl, Self.seconds(ttl) == nil { throw ValidationError("--ttl must be like 15m, 1h or 600 (seconds)") }
            do { _ = try PublicOrigin(baseURL) } catch { throw ValidationError("--base-url: \(error)") }
        }

        /// `15m`, `1h`, `90s` or plain seconds.
        static func seconds(_ text: String) -> Int? {
            let units: [Character: Int] = ["s": 1, "m": 60, "h": 3_600]
            if let unit = text.last.flatMap({ units[$0] }) { return Int(text.dropLast()).map { $0 * unit } }
            return Int(text)
        }

        func run() async throws {
            // Before the link is made: a refused --png must not spend an enrolment.
            if let png { try Files.checkReplaceable(png) }
            let opened = try workspace.open()
            let agent = agentName.map { Registry.EnrolledAgent(name: $0, idNumber: agentIDNumber, relation: relation ?? "") }
            let enrollment = try CommandFailure.mappingIssuerErrors {
                try opened.enroll(
                    certificateNumber: certificate, agent: agent, seconds: ttl.flatMap(Self.seconds), madeBy: Workspace.enrolledByCommandLine,
                    now: Clock.now
                )
            }
            let link = "\(try PublicOrigin(baseURL))/holder/#enrol=\(enrollment.token)"
            let symbol = try QRCode(text: link, errorCorrection: .medium)
            FileHandle.standardError.write(Data(symbol.renderTerminal().utf8))
            if let png { try Files.write(symbol.renderPNG(), to: png) }
            let who = agentName == nil ? ("持证人", "the holder") : ("代办人（\(relation ?? "")）", "an agent (\(relation ?? ""))")
            let line = "\(who.0)的登记链接，仅可使用一次，有效至 \(Timestamp.iso(enrollment.expiresAt)) / enrolment link for \(who.1), single use, expires \(Timestamp.iso(enrollment.expiresAt))"
            FileHandle.standardError.write(Data((LanguageOption.Language.current.render(line) + "\n\n").utf8))
            print(link)
        }
    }

    /// `zhucan holder devices`.
    struct Devices: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List a certificate's devices (the holder's and agents'), or those one API key or user enrolled.",
            discussion: """
                BY is who made the enrolment link: apikey:ID for a link made through the service with that
                key (POST /v1/holders/enrollments), cli:USER for one made with `zhucan holder enroll`, -
                for a device enrolled before this was recorded. When a key with the issue scope is
                revoked, or a clerk leaves, list what it enrolled with --enrolled-by and revoke any
                device the holder does not know (zhucan holder revoke-device).
                """
        )

        @OptionGroup var workspace: WorkspaceOption

        @Option(help: ArgumentHelp("Certificate number (残疾人证号).", valueName: "number"))
        var certificate: String?

        @Option(
            name: .customLong("enrolled-by"),
            help: ArgumentHelp("Instead: the devices enrolled by links this made, on every certificate: apikey:ID (or the key's id alone) or cli:USER.", valueName: "who")
        )
        var enrolledBy: String?

        func validate() throws {
            if (certificate == nil) == (enrolledBy == nil) { throw ValidationError("give either --certificate or --enrolled-by") }
            if let enrolledBy, Self.enrolled(by: enrolledBy) == nil {
                throw ValidationError("--enrolled-by: an API key's id (8 hexadecimal digits, or apikey:ID) or cli:USER, as holder devices shows under BY")
            }
        }

        /// What `--enrolled-by` names as it is kept: `apikey:ID` for an API key's id, alone or
        /// so written; `cli:USER`; nil for anything else.
        static func enrolled(by text: String) -> String? {
            let isKeyID = { (id: Substring) in id.count == 8 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase } }
            if isKeyID(Substring(text)) { return Workspace.enrolledBy(apiKey: text) }
            if text.hasPrefix("apikey:"), isKeyID(text.dropFirst("apikey:".count)) { return text }
            if text.hasPrefix("cli:"), text.count > 4 { return text }
            return nil
        }

        func run() async throws {
            let opened = try workspace.open()
            if let certificate {
                let devices = try CommandFailure.mappingIssuerErrors { try opened.holderDevices(certificateNumber: certificate) }
                print(["DEVICE", "WHO", "ENROLLED", "REVOKED", "BY"].joined(separator: "\t"))
                for device in devices {
                    print([device.id, Self.who(device), Timestamp.iso(device.enrolledAt), device.revokedAt.map(Timestamp.iso) ?? "-",
                           device.enrolledBy ?? "-"].joined(separator: "\t"))
                }
                return
            }
            guard let by = enrolledBy.flatMap(Self.enrolled(by:)) else { return }
            let devices = try CommandFailure.mappingIssuerErrors { try opened.holderDevices(enrolledBy: by) }
            print(["DEVICE", "CERTIFICATE", "WHO", "ENROLLED", "REVOKED"].joined(separator: "\t"))
            for (device, certificate) in devices {
                print([device.id, Workspace.maskedNumber(certificate.number), Self.who(device), Timestamp.iso(device.enrolledAt),
                       device.revokedAt.map(Timestamp.iso) ?? "-"].joined(separator: "\t"))
            }
            let live = devices.filter { $0.device.revokedAt == nil }.count
            FileHandle.standardError.write(Data((LanguageOption.Language.current.render(
                "\(by) 登记的设备 \(devices.count) 台，其中 \(live) 台在用 / \(devices.count) devices enrolled by \(by), \(live) not revoked"
            ) + "\n").utf8))
        }

        /// The holder, or the agent masked with their relation.
        static func who(_ device: Registry.HolderDevice) -> String {
            device.agentRelation.map { "agent \((try? PersonName(device.agentName ?? "").masked) ?? "*") (\($0))" } ?? "holder"
        }
    }

    /// `zhucan holder revoke-device`.
    struct RevokeDevice: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "revoke-device",
            abstract: "End a device at once: its next request is refused and its page says 此设备已停用."
        )

        @OptionGroup var workspace: WorkspaceOption

        @Option(help: ArgumentHelp("The device id (from zhucan holder devices).", valueName: "id"))
        var device: String

        @Option(help: ArgumentHelp("Why (recorded in the transparency log).", valueName: "text"))
        var reason: String

        func run() async throws {
            let opened = try workspace.open()
            try CommandFailure.mappingIssuerErrors { try opened.revokeHolderDevice(id: device, reason: reason, now: Clock.now) }
            print(LanguageOption.Language.current.render("已停用设备 \(device) / revoked device \(device)"))
        }
    }
}
