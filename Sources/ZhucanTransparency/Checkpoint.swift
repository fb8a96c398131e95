/// A transparency log checkpoint: the note text of C2SP tlog-checkpoint, naming a log
/// (origin), a tree size and the RFC 9162 root hash at that size, plus optional extension lines.
///
/// ```
/// example.com/behind-the-sofa
/// 20852163
/// CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
/// ```
///
/// Equality and hashing use the exact text bytes.
package struct Checkpoint: Hashable, Sendable, CustomStringConvertible {
    /// The log's identity, such as `example.com/log42`; non-empty. It is opaque: clients must
    /// not assume it is a URL (C2SP tlog-checkpoint §Note text).
    package let origin: String
    /// The number of leaves in the tree.
    package let size: UInt64
    /// The RFC 9162 root hash of the tree of `size` leaves (32 bytes).
    package let rootHash: [UInt8]
    /// Opaque non-empty extension lines (NOT RECOMMENDED by the specification).
    package let extensionLines: [String]

    /// The longest checkpoint text accepted, in bytes.
    package static let maxTextBytes = 64 * 1024
    /// The most extension lines accepted.
    package static let maxExtensionLines = 64

    /// Makes a checkpoint.
    /// - Throws: `.malformedCheckpoint` for an empty origin or extension line, a newline or
    ///   control character in one, or a root hash that is not 32 bytes.
    package init(origin: String, size: UInt64, rootHash: [UInt8], extensionLines: [String] = []) throws(TransparencyError) {
        try Self.validateLine(origin, "the origin")
        for line in extensionLines { try Self.validateLine(line, "an extension line") }
        guard extensionLines.count <= Self.maxExtensionLines else {
            throw TransparencyError(.malformedCheckpoint, "more than \(Self.maxExtensionLines) extension lines")
        }
        guard rootHash.count == MerkleTree.hashLength else {
            throw TransparencyError(.malformedCheckpoint, "the root hash is \(rootHash.count) bytes, not \(MerkleTree.hashLength)")
        }
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensionLines = extensionLines
    }

    /// Parses a checkpoint text (a note's text, final newline included).
    ///
    /// Strict: at least three lines, each ending in a newline; a non-empty origin; the size in
    /// decimal without leading zeros, fitting 64 bits; the root hash in canonical base64 of
    /// exactly 32 bytes; non-empty extension lines.
    /// - Throws: `.malformedCheckpoint`, or `.noteTooLarge` over `maxTextBytes`.
    package init(text bytes: [UInt8]) throws(TransparencyError) {
        guard bytes.count <= Self.maxTextBytes else {
            throw TransparencyError(.noteTooLarge, "the checkpoint is \(bytes.count) bytes, over \(Self.maxTextBytes)")
        }
        guard String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes) else {
            throw TransparencyError(.malformedCheckpoint, "the checkpoint is not valid UTF-8")
        }
        guard bytes.last == 0x0A else {
            throw TransparencyError(.malformedCheckpoint, "the checkpoint does not end in a newline")
        }
        let lines = bytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count >= 3 else {
            throw TransparencyError(.malformedCheckpoint, "a checkpoint has at least 3 lines, not \(lines.count)")
        }
        guard lines.count - 3 <= Self.maxExtensionLines else {
            throw TransparencyError(.malformedCheckpoint, "more than \(Self.maxExtensionLines) extension lines")
        }
        let size = try Self.parseSize(lines[1])
        guard let root = Base64.decode(String(decoding: lines[2], as: UTF8.self)),
              root.count == MerkleTree.hashLength
        else {
            throw TransparencyError(.malformedCheckpoint, "the root hash is not canonical base64 of 32 bytes")
        }
        try self.init(
            origin: String(decoding: lines[0], as: UTF8.self),
            size: size,
            rootHash: root,
            extensionLines: lines.dropFirst(3).map { String(decoding: $0, as: UTF8.self) })
    }

    /// Parses a checkpoint text (see `init(text:)` for bytes).
    package init(text: String) throws(TransparencyError) {
        try self.init(text: Array(text.utf8))
    }

    /// The checkpoint's note text: origin, size, base64 root hash and extension lines, each
    /// followed by a newline.
    package var text: String {
        var lines = [origin, String(size), Base64.encode(rootHash)]
        lines.append(contentsOf: extensionLines)
        return lines.map { $0 + "\n" }.joined()
    }

    package var description: String { text }

    package static func == (lhs: Checkpoint, rhs: Checkpoint) -> Bool {
        lhs.text.utf8.elementsEqual(rhs.text.utf8)
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(Array(text.utf8))
    }

    // MARK: Parsing helpers

    /// C2SP tlog-checkpoint §Note text 2: "ASCII decimal … with no leading zeroes (unless the
    /// tree is empty …)".
    private static func parseSize(_ digits: ArraySlice<UInt8>) throws(TransparencyError) -> UInt64 {
        guard !digits.isEmpty, digits.count <= 20, digits.allSatisfy({ (0x30...0x39).contains($0) }) else {
            throw TransparencyError(.malformedCheckpoint, "the tree size is not a decimal number")
        }
        guard digits.first != 0x30 || digits.count == 1 else {
            throw TransparencyError(.malformedCheckpoint, "the tree size has a leading zero")
        }
        guard let size = UInt64(String(decoding: digits, as: UTF8.self)) else {
            throw TransparencyError(.malformedCheckpoint, "the tree size does not fit 64 bits")
        }
        return size
    }

    /// A line must be non-empty and free of control characters (newline included).
    private static func validateLine(_ line: String, _ what: String) throws(TransparencyError) {
        guard !line.isEmpty else { throw TransparencyError(.malformedCheckpoint, "\(what) is empty") }
        guard !line.utf8.contains(where: { $0 < 0x20 }) else {
            throw TransparencyError(.malformedCheckpoint, "\(what) has a newline or control character")
        }
    }
}
