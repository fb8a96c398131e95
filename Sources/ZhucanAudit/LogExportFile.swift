import Foundation
import ZhucanTransparency

/// The log export file (`zhucan audit export`): JSON Lines, UTF-8.
///
/// ```
/// {"format":"zhucan-log-export/1","origin":…,"logKey":…,"checkpoints":[note, …],"entries":N,"exportedAt":…}
/// {"index":0,"data":"<base64 leaf data>","leafHash":"<base64>"}
/// {"index":1,…}
/// ```
///
/// The first line is the header: the log's origin, its note verifier key (for information:
/// an auditor pins its own copy), every checkpoint the log signed, oldest first, and the
/// number of entry lines. Then one line per stored entry, in index order, with the leaf hash
/// the issuer's tree holds for it (absent for a row outside the tree). Entries carry
/// certificates, which are personal data: keep exports as confidential as the registry.
package enum LogExportFile {
    /// The format identifier in the header.
    package static let format = "zhucan-log-export/1"
    /// The longest line a reader accepts (an entry is about 2 KiB).
    package static let maxLineBytes = 1 << 20

    /// The first line.
    package struct Header: Codable, Sendable {
        package var format: String
        package var origin: String
        package var logKey: String?
        package var checkpoints: [String]
        package var entries: UInt64
        package var exportedAt: String

        /// Makes a header.
        package init(origin: String, logKey: String?, checkpoints: [String], entries: UInt64, exportedAt: String) {
            self.format = LogExportFile.format
            self.origin = origin
            self.logKey = logKey
            self.checkpoints = checkpoints
            self.entries = entries
            self.exportedAt = exportedAt
        }
    }

    /// One entry line.
    struct Line: Codable {
        var index: UInt64
        var data: String
        var leafHash: String?
    }

    /// Writes an export into `file`, which exists and is empty (the caller makes it, and
    /// renames it into place when this returns: `OwnerOnlyFile.write(to:by:)`).
    /// - Parameter entries: calls its argument with every entry, in order.
    package static func write(into file: URL, header: Header, entries: ((LogEntry) throws -> Void) throws -> Void) throws {
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var buffer = Data()
        buffer.append(try encoder.encode(header))
        buffer.append(0x0A)
        try entries { entry in
            let line = Line(index: entry.index, data: Data(entry.data).base64EncodedString(),
                            leafHash: entry.leafHash.map { Data($0).base64EncodedString() })
            buffer.append(try encoder.encode(line))
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
    }

    /// Reads an export, streaming: `header` gets the first line, `entry` every entry line, and
    /// `unreadable` the number of an entry line that holds no entry, with why (the reading
    /// goes on after it).
    /// - Throws: `AuditError` for an unreadable file or header, or an over-long line (after
    ///   which no line can be told from the next); what the closures throw.
    package static func read(
        from url: URL, header: (Header) throws -> Void, entry: (LogEntry) throws -> Void,
        unreadable: (_ line: Int, _ reason: String) throws -> Void
    ) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw AuditError("cannot read \(url.path)") }
        defer { try? handle.close() }
        let decoder = JSONDecoder()
        var lineNumber = 0
        var pending = Data()
        func handleLine(_ line: Data) throws {
            lineNumber += 1
            if lineNumber == 1 {
                guard let parsed = try? decoder.decode(Header.self, from: line), parsed.format == format else {
                    throw AuditError("\(url.path) is not a \(format) file (line 1)")
                }
                try header(parsed)
                return
            }
            guard let parsed = try? decoder.decode(Line.self, from: line), let data = Data(base64Encoded: parsed.data) else {
                return try unreadable(lineNumber, "not an entry line")
            }
            var leafHash: [UInt8]?
            if let text = parsed.leafHash {
                guard let bytes = Data(base64Encoded: text) else { return try unreadable(lineNumber, "leafHash is not base64") }
                leafHash = [UInt8](bytes)
            }
            try entry(LogEntry(index: parsed.index, data: [UInt8](data), leafHash: leafHash))
        }
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            pending.append(chunk)
            var start = pending.startIndex
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                try handleLine(pending[start..<newline])
                start = pending.index(after: newline)
            }
            pending.removeSubrange(pending.startIndex..<start)
            guard pending.count <= maxLineBytes else {
                throw AuditError("\(url.path) line \(lineNumber + 1) is longer than \(maxLineBytes) bytes")
            }
        }
        if !pending.isEmpty { try handleLine(pending) }
        guard lineNumber > 0 else { throw AuditError("\(url.path) is empty") }
    }
}
