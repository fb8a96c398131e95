import ArgumentParser
import Foundation
import ZhucanCredentials
import ZhucanIssuer

extension CodeFormat: ExpressibleByArgument {
    /// `--format 2` (compact, the default) or `--format 1` (envelope version 1).
    public init?(argument: String) {
        guard let number = Int(argument), let format = CodeFormat(rawValue: number) else { return nil }
        self = format
    }

    public var defaultValueDescription: String { String(rawValue) }

    static let help = ArgumentHelp(
        "Code format: 2 compact (ZC2:, about half the QR size) or 1 (ZC1:, for verifiers not yet updated).",
        valueName: "1|2"
    )

    /// Says on standard error why a compact code came out in version 1: the workspace's status
    /// list URI does not end in a list number, which a compact code carries instead of it; or
    /// its trust list predates the compact format.
    static func warnIfStandard(_ code: String, asked: CodeFormat, in workspace: Workspace) {
        guard asked == .compact, code.hasPrefix("ZC1:") else { return }
        warnStandard(in: workspace)
    }

    /// `warnIfStandard` for what a batch issued: said once when the workspace signs version 1.
    static func warnIfStandard(in workspace: Workspace) {
        guard let entry = try? workspace.signingKey(at: Clock.now).entry, !workspace.compactCodesReady(entry) else { return }
        warnStandard(in: workspace)
    }

    private static func warnStandard(in workspace: Workspace) {
        let uri = workspace.configuration.statusListURI
        let reason = TrustList.Entry.statusListBase(of: uri) == nil
            ? "注意：本码为格式 1，因为 config.json 的 statusListURI（\(uri)）不以列表编号结尾（如 …/status-lists/1）/ note: minted in format 1, because statusListURI in config.json (\(uri)) does not end in a list number (like …/status-lists/1), which a compact code carries in its place"
            : "注意：本码为格式 1，需先重新发布信任列表（zhucan trust-list publish）才能出紧凑码 / note: minted in format 1; publish the trust list again (zhucan trust-list publish) to mint compact codes"
        FileHandle.standardError.write(Data((reason + "\n").utf8))
    }
}
