import Foundation

// zhucan-bench: performance measurements, each beside a baseline measured in the same run.
//   zhucan-bench signing [--seconds S] [--rounds R]

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String, default value: Double) -> Double {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
        let parsed = Double(arguments[index + 1])
    else { return value }
    return parsed
}

switch arguments.first {
case "signing":
    let seconds = option("--seconds", default: 2)
    let rounds = Int(option("--rounds", default: 3))
    do {
        let rows = try SigningBenchmark(seconds: seconds, rounds: rounds).run()
        print(SigningBenchmark.table(rows, seconds: seconds, rounds: rounds))
    } catch {
        FileHandle.standardError.write(Data("zhucan-bench: \(error)\n".utf8))
        exit(2)
    }
default:
    FileHandle.standardError.write(Data("usage: zhucan-bench signing [--seconds S] [--rounds R]\n".utf8))
    exit(2)
}
