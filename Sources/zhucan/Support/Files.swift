import Foundation
import Synchronization
import ZhucanRegistry
import ZhucanServiceStore
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
        var status = stat()
        if path != "-", fstat(handle.fileDescriptor, &status) == 0 {
            inputs.withLock { _ = $0.insert(FileIdentity(status)) }
        }
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
    /// - Parameters:
    ///   - keepingMode: a replaced file's mode is kept (a published list an operator made
    ///     readable to a web server stays so); a new file is 0600.
    ///   - mayReplaceInput: the output is meant to replace a file the command read
    ///     (``checkReplaceable(_:mayReplaceInput:)``).
    /// - Throws: `CommandFailure.input` naming the file, also when `path` names something it
    ///   must not replace.
    static func write(_ bytes: [UInt8], to path: String, keepingMode: Bool = false, mayReplaceInput: Bool = false) throws {
        let mode = try checkReplaceable(path, mayReplaceInput: mayReplaceInput)
        do {
            try OwnerOnlyFile.write(Data(bytes), to: URL(fileURLWithPath: path), mode: keepingMode ? mode ?? 0o600 : 0o600)
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
        try checkTableOutput(path)
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
        // Excel opens a CSV cell of digits as a number: 12 digits or more show as 3.60121E+17,
        // and past 15 they are lost, also when the file is saved back.
        if SpreadsheetWriter.format(forPath: path) == .csv,
            rows.contains(where: { $0.contains { $0.utf8.count >= 12 && $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } } })
        {
            let note = LanguageOption.Language.current.render("""
                提示：用 Excel 打开 \(path) 会把长数字（如身份证号）读成数值，只留 15 位，另存后即丢失；给人打开请写 .xlsx / \
                note: Excel opens the long numbers in \(path) (ID numbers) as numbers of 15 digits, lost when saved back: for people to open, write .xlsx
                """)
            FileHandle.standardError.write(Data((note + "\n").utf8))
        }
    }

    /// Refuses a table's output path that does not end in `.xlsx` or `.csv` (the format follows
    /// the extension: `contact.xls` would be CSV, which Excel opens with a warning), or that
    /// ``checkReplaceable(_:mayReplaceInput:)`` refuses.
    static func checkTableOutput(_ path: String) throws {
        let name = path.lowercased()
        guard name.hasSuffix(".xlsx") || name.hasSuffix(".csv") else {
            throw CommandFailure.input("\(path)：文件名须以 .xlsx 或 .csv 结尾 / \(path): the file name must end in .xlsx (a workbook) or .csv")
        }
        try checkReplaceable(path)
    }

    /// Refuses an output path that would replace what no command output should: anything but a
    /// regular file (a symbolic link, which rename(2) would replace rather than its target; a
    /// device, a pipe, a folder), a private key, an SQLite database, a workspace's own files, or
    /// a file this command has read (`--reject-file` naming the batch file itself).
    /// - Parameter mayReplaceInput: the output is meant to replace a file the command read, as
    ///   `audit log --save-checkpoint F` replaces its `--trusted-checkpoint F`.
    /// - Returns: the mode of the file that would be replaced; nil when there is none.
    /// - Throws: `CommandFailure.input` saying why.
    @discardableResult
    static func checkReplaceable(_ path: String, mayReplaceInput: Bool = false) throws -> mode_t? {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            // A new file: its folder must take it, checked before a command signs and records
            // what it is to write (a trust list published that no file holds).
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw CommandFailure.input("无法写入 \(path) / cannot write \(path): the folder \(folder) does not exist")
            }
            guard access(folder, W_OK | X_OK) == 0 else {
                throw CommandFailure.input("无法写入 \(path) / cannot write \(path): the folder \(folder) is not writable (\(String(cString: strerror(errno))))")
            }
            return nil
        }
        func refuse(_ why: String) -> CommandFailure {
            CommandFailure.input("不覆盖 \(path) / refusing to write \(path): it \(why); name another file")
        }
        switch status.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFLNK: throw refuse("is a symbolic link (replacing it would replace the link, not its target)")
        case S_IFDIR: throw refuse("is a folder")
        default: throw refuse("is not a regular file (a device, a pipe or a socket)")
        }
        if !mayReplaceInput, inputs.withLock({ $0.contains(FileIdentity(status)) }) { throw refuse("is an input of this command") }
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent()
        func isWorkspace(_ folder: URL) -> Bool {
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("config.json").path)
                && FileManager.default.fileExists(atPath: folder.appendingPathComponent("zhucan.db").path)
        }
        if isWorkspace(folder), ["config.json", "zhucan.db", "zhucan.db-wal", "zhucan.db-shm", "issuance.lock"].contains(url.lastPathComponent) {
            throw refuse("is part of the workspace \(folder.path)")
        }
        if folder.lastPathComponent == "keys", isWorkspace(folder.deletingLastPathComponent()) {
            throw refuse("is one of the workspace's keys")
        }
        let head = (try? FileHandle(forReadingFrom: url)).flatMap { handle in
            defer { try? handle.close() }
            return try? handle.read(upToCount: 64)
        } ?? Data()
        if head.starts(with: Array("SQLite format 3\u{0}".utf8)) { throw refuse("holds an SQLite database") }
        // The PEM label line (RFC 7468), whatever the line ending.
        let label = String(decoding: head, as: UTF8.self).split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if label.hasPrefix("-----BEGIN "), label.hasSuffix("PRIVATE KEY-----") {
            throw refuse("holds a private key")
        }
        return status.st_mode & 0o777
    }

    /// Records `path` as read by this command, for a file it reads by other means (a key, read
    /// into memory that is wiped after).
    static func recordInput(_ path: String) {
        var status = stat()
        if stat(path, &status) == 0 { inputs.withLock { _ = $0.insert(FileIdentity(status)) } }
    }

    /// Whether anything exists at `path`.
    static func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: path)
    }

    /// The files read so far, which no output of the same command may replace.
    private static let inputs = Mutex<Set<FileIdentity>>([])

    /// A file whatever path names it: its device and inode.
    private struct FileIdentity: Hashable {
        let device: UInt64
        let inode: UInt64

        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
        }
    }
}
