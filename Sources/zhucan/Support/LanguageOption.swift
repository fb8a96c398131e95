import ArgumentParser
import Foundation

/// `--lang zh|en`: staff read Chinese first, with English beside it (the default); `en` prints
/// English only. `ZHUCAN_LANG=en` sets the default for every command.
struct LanguageOption: ParsableArguments {
    enum Language: String, ExpressibleByArgument, CaseIterable {
        case zh
        case en

        /// The language of this run: `--lang` anywhere on the command line, else
        /// `$ZHUCAN_LANG`, else Chinese. Read for messages printed outside a command's own
        /// options (errors).
        static let current: Language = {
            let arguments = CommandLine.arguments
            for (index, argument) in arguments.enumerated() {
                if argument == "--lang", index + 1 < arguments.count, let language = Language(rawValue: arguments[index + 1]) {
                    return language
                }
                if argument.hasPrefix("--lang="), let language = Language(rawValue: String(argument.dropFirst(7))) {
                    return language
                }
            }
            return ProcessInfo.processInfo.environment["ZHUCAN_LANG"].flatMap(Language.init(rawValue:)) ?? .zh
        }()

        /// A message written "中文 / English" (faults joined by "; ", each so written) in this
        /// language: unchanged for `zh`, the English parts only for `en`.
        func render(_ message: String) -> String {
            guard self == .en else { return message }
            return message.components(separatedBy: "; ").map { part in
                guard let range = part.range(of: " / "),
                      part[..<range.lowerBound].unicodeScalars.contains(where: { (0x3000...0x9FFF).contains($0.value) || (0xFF00...0xFFEF).contains($0.value) })
                else { return part }
                return String(part[range.upperBound...])
            }.joined(separator: "; ")
        }
    }

    @Option(help: ArgumentHelp("Message language: zh (Chinese, English beside it; the default) or en.", valueName: "zh|en"))
    var lang: Language = Language.current

    /// A message in the chosen language.
    func say(_ zh: String, _ en: String) -> String {
        lang == .en ? en : "\(zh) / \(en)"
    }
}
