/// An error from the transparency log: a proof that does not verify, a tree size or index out
/// of range, a malformed checkpoint, signed note or verifier key, or a store that is
/// inconsistent with the tree it claims to hold.
///
/// Equality and hashing use the code only, so tests can compare against
/// `TransparencyError(.rootMismatch, "")`.
package struct TransparencyError: Error, Hashable, CustomStringConvertible, Sendable {
    /// What kind of failure this is; extensible, compare against the static members.
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { name }

        // MARK: Merkle trees and proofs (RFC 9162 §2.1)

        /// A leaf index is not below the tree size.
        package static let indexOutOfRange = Code("indexOutOfRange")
        /// A tree size is impossible here: beyond the log, `size1 > size2`, a consistency
        /// proof from the empty tree, or a size that would overflow.
        package static let treeSizeOutOfRange = Code("treeSizeOutOfRange")
        /// A proof has more or fewer hashes than the sizes and index require.
        package static let wrongProofSize = Code("wrongProofSize")
        /// A hash (leaf, root or proof element) is not 32 bytes.
        package static let malformedHash = Code("malformedHash")
        /// The root computed from a proof differs from the expected root.
        package static let rootMismatch = Code("rootMismatch")
        /// The hash store lacks a node it must have, or holds one of the wrong length.
        package static let storeInconsistent = Code("storeInconsistent")
        /// The store's leaf count changed under an append (another writer appended first).
        package static let storeConflict = Code("storeConflict")
        /// A proof's log entry records another event or object than the one it is offered
        /// for (`PublicationProof`).
        package static let entryMismatch = Code("entryMismatch")

        // MARK: Checkpoints and signed notes (C2SP tlog-checkpoint, signed-note)

        /// A signed note breaks the signed-note grammar (blank line, signature lines,
        /// UTF-8, control characters, base64).
        package static let malformedNote = Code("malformedNote")
        /// A note, its text or its signature list is over the parser's limits.
        package static let noteTooLarge = Code("noteTooLarge")
        /// The note text is not a checkpoint (origin, size, root hash, extension lines).
        package static let malformedCheckpoint = Code("malformedCheckpoint")
        /// A transparency-log record is not a canonical `LogRecord`.
        package static let malformedRecord = Code("malformedRecord")
        /// A verified checkpoint is from a different log than the one expected.
        package static let unexpectedOrigin = Code("unexpectedOrigin")
        /// A key name is empty or contains a space or `+`.
        package static let invalidKeyName = Code("invalidKeyName")
        /// A verifier key string is malformed, or its key ID does not match its key.
        package static let malformedVerifierKey = Code("malformedVerifierKey")
        /// The key's algorithm or the note signature type is not supported.
        package static let unsupportedKeyType = Code("unsupportedKeyType")
        /// Two verifiers given for one note share both key name and key ID.
        package static let ambiguousVerifiers = Code("ambiguousVerifiers")
        /// A signature from a known key (name and key ID match) does not verify.
        package static let invalidSignature = Code("invalidSignature")
        /// No signature in the note is from a known key.
        package static let noKnownSignature = Code("noKnownSignature")
        /// The signing layer failed to produce a signature.
        package static let signingFailed = Code("signingFailed")
    }

    /// The kind of failure.
    package let code: Code
    /// A one-line human explanation.
    package let reason: String
    /// Where the error was made.
    package let file: String
    /// Where the error was made.
    package let line: UInt

    /// Makes an error.
    package init(_ code: Code, _ reason: String, file: String = #fileID, line: UInt = #line) {
        self.code = code
        self.reason = reason
        self.file = file
        self.line = line
    }

    package var description: String { "TransparencyError.\(code): \(reason) (\(file):\(line))" }

    package static func == (lhs: TransparencyError, rhs: TransparencyError) -> Bool { lhs.code == rhs.code }
    package func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
