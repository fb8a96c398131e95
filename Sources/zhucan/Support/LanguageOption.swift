import ArgumentParser

/// `--lang zh|en`: staff read Chinese first, with English beside it (the default); `en` prints
/// English only.
struct LanguageOption: ParsableArguments {
    enum Language: String, ExpressibleByArgument, CaseIterable {
        case zh
        case en
    }

    @Option(help: ArgumentHelp("Message language: zh (Chinese, English beside it; the default) or en.", valueName: "zh|en"))
    var lang: Language = .zh

    /// A message in the chosen language.
    func say(_ zh: String, _ en: String) -> String {
        lang == .en ? en : "\(zh) / \(en)"
    }
}
