/// An error from the transparency log: a proof that does not verify, a tree size or index out
/// of range, a malformed checkpoint, signed note or verifier key, or a store that is
/// inconsistent with the tree it claims to hold.
///
/// Equality and hashing use the code only, so tests can compare against
/// `TransparencyError(.rootMismatch, "")`.
public struct TransparencyError: Error, Hashable, CustomStringConvertible, Sendable {
    /// What kind of failure this is; extensible, compare against the static members.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        // MARK: Merkle trees and proofs (RFC 9162 §2.1)

        /// A leaf index is not below the tree size.
        public static let indexOutOfRange = Code("indexOutOfRange")
        /// A tree size is impossible here: beyond the log, `size1 > size2`, a consistency
        /// proof from the empty tree, or a size that would overflow.
        public static let treeSizeOutOfRange = Code("treeSizeOutOfRange")
        /// A proof has more or fewer hashes than the sizes and index require.
        public static let wrongProofSize = Code("wrongProofSize")
        /// A hash (leaf, root or proof element) is not 32 bytes.
        public static let malformedHash = Code("malformedHash")
        /// The root computed from a proof differs from the expected root.
        public static let rootMismatch = Code("rootMismatch")
        /// The hash store lacks a node it must have, or holds one of the wrong length.
        public static let storeInconsistent = Code("storeInconsistent")
        /// The store's leaf count changed under an append (another writer appended first).
        public static let storeConflict = Code("storeConflict")

        // MARK: Checkpoints and signed notes (C2SP tlog-checkpoint, signed-note)

        /// A signed note breaks the signed-note grammar (blank line, signature lines,
        /// UTF-8, control characters, base64).
        public static let malformedNote = Code("malformedNote")
        /// A note, its text or its signature list is over the parser's limits.
        public static let noteTooLarge = Code("noteTooLarge")
        /// The note text is not a checkpoint (origin, size, root hash, extension lines).
        public static let malformedCheckpoint = Code("malformedCheckpoint")
        /// A transparency-log record is not a canonical `LogRecord`.
        public static let malformedRecord = Code("malformedRecord")
        /// A verified checkpoint is from a different log than the one expected.
        public static let unexpectedOrigin = Code("unexpectedOrigin")
        /// A key name is empty or contains a space or `+`.
        public static let invalidKeyName = Code("invalidKeyName")
        /// A verifier key string is malformed, or its key ID does not match its key.
        public static let malformedVerifierKey = Code("malformedVerifierKey")
        /// The key's algorithm or the note signature type is not supported.
        public static let unsupportedKeyType = Code("unsupportedKeyType")
        /// Two verifiers given for one note share both key name and key ID.
        public static let ambiguousVerifiers = Code("ambiguousVerifiers")
        /// A signature from a known key (name and key ID match) does not verify.
        public static let invalidSignature = Code("invalidSignature")
        /// No signature in the note is from a known key.
        public static let noKnownSignature = Code("noKnownSignature")
        /// The signing layer failed to produce a signature.
        public static let signingFailed = Code("signingFailed")
    }

    /// The kind of failure.
    public let code: Code
    /// A one-line human explanation.
    public let reason: String
    /// Where the error was made.
    public let file: String
    /// Where the error was made.
    public let line: UInt

    /// Makes an error.
    public init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    public var description: String { "TransparencyError.\(code): \(reason) (\(file):\(line))" }

    public static func == (lhs: TransparencyError, rhs: TransparencyError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
