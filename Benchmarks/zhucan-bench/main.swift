import Foundation

// zhucan-bench: performance measurements, each beside a baseline measured in the same run.
//   zhucan-bench signing [--seconds S] [--rounds R]
//   zhucan-bench batch [--rows N]      (run from the project root; needs the release zhucan;
//                                       also the rate in the first and last quarter of the rows)
//   zhucan-bench log [--entries N]     (likewise: the transparency log at N entries)
//   zhucan-bench codes --dir D --code-file F [--algorithm NAME] [--seconds S] [--rounds R]
//                                       (verifying one code in process, as the service does)
//   zhucan-bench sizes                  (each code's characters and QR version, version 1 and compact)

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String, default value: Double) -> Double {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
        let parsed = Double(arguments[index + 1])
    else { return value }
    return parsed
}

func text(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

switch arguments.first {
case "signing":
    let seconds = option("--seconds", default: 2)
    let rounds = Int(option("--rounds", default: 7))
    do {
        let rows = try SigningBenchmark(seconds: seconds, rounds: rounds).run()
        print(SigningBenchmark.table(rows, seconds: seconds, rounds: rounds))
    } catch {
        FileHandle.standardError.write(Data("zhucan-bench: \(error)\n".utf8))
        exit(2)
    }
case "batch":
    let rows = Int(option("--rows", default: 100_000))
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("zhucan")
    let keys = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("keys")
    do {
        print(try BatchBenchmark(rows: rows, zhucan: binary, keys: keys).run())
    } catch {
        FileHandle.standardError.write(Data("zhucan-bench: \(error)\n".utf8))
        exit(2)
    }
case "log":
    let entries = Int(option("--entries", default: 1_000_000))
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("zhucan")
    let keys = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("keys")
    do {
        print(try LogBenchmark(entries: entries, algorithm: .ed25519, zhucan: binary, keys: keys).run())
    } catch {
        FileHandle.standardError.write(Data("zhucan-bench: \(error)\n".utf8))
        exit(2)
    }
case "codes":
    do {
        guard let directory = text("--dir"), let codeFile = text("--code-file") else {
            throw BenchmarkError("codes needs --dir WORKSPACE and --code-file FILE")
        }
        let code = try String(contentsOfFile: codeFile, encoding: .utf8)
        let benchmark = CodeVerificationBenchmark(
            workspace: URL(fileURLWithPath: directory), code: code,
            seconds: option("--seconds", default: 2), rounds: Int(option("--rounds", default: 3))
        )
        print(CodeVerificationBenchmark.table(try benchmark.run(), algorithm: text("--algorithm") ?? "code"))
    } catch {
        FileHandle.standardError.write(Data("zhucan-bench: \(error)\n".utf8))
        exit(2)
    }
case "sizes":
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("zhucan")
    let keys = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("keys")
    do {
        print(try CodeSizeBenchmark(zhucan: binary, keys: keys).run())
    } catch {
        FileHandle.standardError.write(Data("zhucan-bench: \(error)\n".utf8))
        exit(2)
    }
default:
    FileHandle.standardError.write(Data(
        "usage: zhucan-bench signing [--seconds S] [--rounds R] | batch [--rows N] | log [--entries N] | codes --dir D --code-file F | sizes\n".utf8
    ))
    exit(2)
}
