import ArgumentParser
import Foundation
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

    /// Says on standard error why a compact code came out in version 1: the workspace's trust
    /// list predates the compact format (or its status list URI does not end in a number).
    static func warnIfStandard(_ code: String, asked: CodeFormat) {
        guard asked == .compact, code.hasPrefix("ZC1:") else { return }
        FileHandle.standardError.write(Data(
            "注意：本码为格式 1，需先重新发布信任列表（zhucan trust-list publish）才能出紧凑码 / note: minted in format 1; publish the trust list again (zhucan trust-list publish) to mint compact codes\n".utf8))
    }
}
