import Foundation
import ZhucanRegistry
import ZhucanSpreadsheet

/// File access for commands, with errors that name the file.
enum Files {
    /// The most bytes a command reads from one file unless it says otherwise: far more than a
    /// key, a list, a catalogue or a message to sign, and a bound on `/dev/zero` or an endless
    /// standard input.
    static let defaultLimit = 64 << 20

    /// The bytes of the file at `path` ("-" for standard input).
    /// - Throws: `CommandFailure.input` naming the file.
    /// - Parameter limit: the most bytes accepted; a longer file is refused after reading at
    ///   most `limit + 1` bytes of it, so a huge file costs no memory.
    static func read(_ path: String, what: String = "file", limit: Int = defaultLimit) throws -> [UInt8] {
        let handle: FileHandle
        if path == "-" {
            handle = FileHandle.standardInput
        } else {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CommandFailure.input("无法读取 \(path)：文件不存在 / cannot read \(what) \(path): no such file")
            }
            guard !isDirectory.boolValue, let opened = FileHandle(forReadingAtPath: path) else {
                throw CommandFailure.input("无法读取 \(path) / cannot read \(what) \(path): not a readable file")
            }
            handle = opened
        }
        defer { if path != "-" { try? handle.close() } }
        do {
            let data = try handle.read(upToCount: limit + 1) ?? Data()
            guard data.count <= limit else {
                throw CommandFailure.input("文件过大 / \(what) \(path == "-" ? "on standard input" : path) is larger than \(limit) bytes")
            }
            return Array(data)
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure.input("无法读取 \(path) / cannot read \(what) \(path): \(error.localizedDescription)")
        }
    }

    /// Writes `bytes` to `path` atomically (a temporary file renamed into place), so a crash
    /// never leaves a partial file; mode 0600, as outputs may hold personal data.
    /// - Throws: `CommandFailure.input` naming the file.
    static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try OwnerOnlyFile.write(Data(bytes), to: URL(fileURLWithPath: path))
        } catch {
            throw CommandFailure.input("无法写入 \(path) / cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Writes a table to `path` as `SpreadsheetWriter` does, in the format its extension names
    /// (`.xlsx`, else CSV), a row at a time; atomically, mode 0600, like ``write(_:to:)``.
    /// - Parameter beforeReplacing: runs once every row is written, before the file takes its
    ///   name; when it throws, no file is left.
    /// - Throws: a `CommandFailure` from `beforeReplacing` as it is; any other error as
    ///   `CommandFailure.input` naming the file.
    static func writeTable<Rows: Collection<[String]>>(
        header: [String], rows: Rows, sheetName: String, to path: String, beforeReplacing: () throws -> Void = {}
    ) throws {
        do {
            try OwnerOnlyFile.write(to: URL(fileURLWithPath: path)) { temporary in
                try SpreadsheetWriter.write(header: header, rows: rows, format: SpreadsheetWriter.format(forPath: path), sheetName: sheetName, into: temporary)
                try beforeReplacing()
            }
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure.input("无法写入 \(path) / cannot write \(path): \(error.localizedDescription)")
        }
    }

    /// Whether anything exists at `path`.
    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }
}
