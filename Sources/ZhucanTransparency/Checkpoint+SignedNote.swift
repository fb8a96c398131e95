extension Checkpoint {
    /// Opens a signed checkpoint: parses the note, verifies it against trusted keys, then
    /// parses its text, in that order (the text is not looked at before a signature verifies).
    ///
    /// - Parameters:
    ///   - note: the signed note's bytes.
    ///   - verifiers: the trusted keys (the log's key, witnesses).
    ///   - origin: when given, the log the checkpoint must come from.
    ///   - limits: the note parser's limits.
    /// - Throws: the errors of `SignedNote.init(parsing:limits:)`, `SignedNote.verify(with:)`
    ///   and `Checkpoint.init(text:)`; `.unexpectedOrigin` if the origin is not `origin`.
    package static func open(
        _ note: [UInt8],
        verifiers: [NoteVerifier],
        origin: String? = nil,
        limits: SignedNote.Limits = SignedNote.Limits()
    ) throws(TransparencyError) -> Checkpoint {
        let signed = try SignedNote(parsing: note, limits: limits)
        try signed.verify(with: verifiers)
        let checkpoint = try Checkpoint(text: signed.textBytes)
        if let origin, !checkpoint.origin.utf8.elementsEqual(origin.utf8) {
            throw TransparencyError(.unexpectedOrigin, "the checkpoint is from \(checkpoint.origin), not \(origin)")
        }
        return checkpoint
    }

    /// This checkpoint as a note signed by `signers` (the log's key name SHOULD equal the
    /// origin, C2SP tlog-checkpoint §Signatures).
    /// - Throws: `.signingFailed`.
    package func signed(by signers: [NoteSigner]) throws(TransparencyError) -> SignedNote {
        try SignedNote(text: text, signers: signers)
    }
}
