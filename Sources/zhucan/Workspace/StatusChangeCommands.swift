import ArgumentParser
import ZhucanIssuer

/// The shared body of `zhucan suspend`, `reinstate` and `revoke`.
struct StatusChangeOptions: ParsableArguments {
    @OptionGroup var workspace: WorkspaceOption

    @Option(help: ArgumentHelp("Certificate number (残疾人证号).", valueName: "number"))
    var certificate: String

    @Option(help: "Why (recorded with the event).")
    var reason: String

    func run(_ change: Workspace.StatusChange) throws {
        let opened = try workspace.open()
        try CommandFailure.mappingIssuerErrors {
            try opened.change(change, certificateNumber: certificate, reason: reason, now: Clock.now)
        }
        let done = switch change {
        case .suspend: "已暂停"
        case .reinstate: "已恢复"
        case .revoke: "已注销"
        }
        print(LanguageOption.Language.current.render("\(done)，状态列表已重新发布 / \(change.rawValue): done; the status list is republished"))
    }
}

/// `zhucan suspend`.
struct SuspendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "suspend", abstract: "Suspend a certificate (reversible with reinstate).")
    @OptionGroup var options: StatusChangeOptions
    func run() async throws { try options.run(.suspend) }
}

/// `zhucan reinstate`.
struct ReinstateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reinstate", abstract: "Reinstate a suspended certificate.")
    @OptionGroup var options: StatusChangeOptions
    func run() async throws { try options.run(.reinstate) }
}

/// `zhucan revoke`.
struct RevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "revoke", abstract: "Revoke a certificate. Revocation is final.")
    @OptionGroup var options: StatusChangeOptions
    func run() async throws { try options.run(.revoke) }
}
