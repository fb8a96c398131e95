import Foundation
import ZhucanFuzzTargets

#if ZHUCAN_LIBFUZZER
// Built by `make fuzz` with `-sanitize=fuzzer,address -D ZHUCAN_LIBFUZZER`: libFuzzer owns
// `main` and calls these. ZHUCAN_FUZZ_TARGET names the target.

/// The target of this run, chosen at the first input (libFuzzer's optional
/// `LLVMFuzzerInitialize` hook is not always found in a Swift executable).
nonisolated(unsafe) private var selected: FuzzTarget?

private func target() -> FuzzTarget {
    if let selected { return selected }
    let name = ProcessInfo.processInfo.environment["ZHUCAN_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget.named(name) else {
        FileHandle.standardError.write(Data("set ZHUCAN_FUZZ_TARGET to one of: \(FuzzTarget.all.map(\.name).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    selected = target
    return target
}

@_cdecl("LLVMFuzzerTestOneInput")
public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let target = target()
    if let problem = target.check(bytes) {
        // A property violation is a crash to libFuzzer: it saves the input as an artifact.
        fatalError("\(target.name): \(problem)")
    }
    return 0
}
#else
/// Without libFuzzer: `zhucan-fuzz TARGET FILE…` runs inputs through a target (to reproduce an
/// artifact without the sanitizers), `zhucan-fuzz list` names the targets, and
/// `zhucan-fuzz seed DIR` writes valid objects for every target.
@main
enum FuzzReplay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, name != "list" else {
            for target in FuzzTarget.all { print("\(target.name)\t\(target.summary)") }
            return
        }
        if name == "seed", arguments.count == 2 {
            seed(into: URL(fileURLWithPath: arguments[1]))
            return
        }
        guard let target = FuzzTarget.named(name) else {
            FileHandle.standardError.write(Data("unknown target \(name); zhucan-fuzz list names them\n".utf8))
            exit(2)
        }
        var failures = 0
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else {
                FileHandle.standardError.write(Data("cannot read \(path)\n".utf8))
                exit(2)
            }
            if let problem = target.check(Array(data)) {
                print("\(path): \(problem)")
                failures += 1
            }
        }
        print("\(arguments.count - 1 - failures) of \(arguments.count - 1) inputs hold")
        exit(failures == 0 ? 0 : 1)
    }

    /// Writes ``FuzzSeeds`` as `DIR/<target>/seed-N`.
    static func seed(into folder: URL) {
        do {
            for (name, inputs) in try FuzzSeeds.make() {
                let target = folder.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                for (index, input) in inputs.enumerated() {
                    try Data(input).write(to: target.appendingPathComponent("seed-\(index)"))
                }
            }
        } catch {
            FileHandle.standardError.write(Data("cannot make seeds: \(error)\n".utf8))
            exit(1)
        }
    }
}
#endif
