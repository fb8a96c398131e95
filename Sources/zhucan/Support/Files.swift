import Foundation

/// File access for commands, with errors that name the file.
enum Files {
    /// The bytes of the file at `path` ("-" for standard input).
    /// - Throws: `CommandFailure.input` naming the file.
    static func read(_ path: String, what: String = "file") throws -> [UInt8] {
        if path == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CommandFailure.input("cannot read \(what) \(path): no such file")
        }
        guard !isDirectory.boolValue, let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure.input("cannot read \(what) \(path): not a readable file")
        }
        return Array(data)
    }

    /// Writes `bytes` to `path` atomically (a temporary file renamed into place), so a crash
    /// never leaves a partial file.
    /// - Throws: `CommandFailure.input` naming the file.
    static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CommandFailure.input("cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Whether anything exists at `path`.
    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }
}
