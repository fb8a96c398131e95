/// A C2SP signed note: a text ending in a newline, a blank line, and one or more signature
/// lines `— <key name> base64(key ID || signature)`.
///
/// The text is kept as the exact bytes that were signed. Its content must be ignored until
/// `verify(with:)` succeeds (C2SP signed-note: "The text MUST be ignored unless the note is
/// signed by a trusted key and the signature has been verified").
package struct SignedNote: Hashable, Sendable, CustomStringConvertible {
    /// The exact text bytes, final newline included, that the signatures cover.
    package let textBytes: [UInt8]
    /// The signature lines, in note order (including those from unknown keys).
    package let signatures: [NoteSignature]

    /// Parser limits.
    package struct Limits: Hashable, Sendable {
        /// The longest note accepted, in bytes.
        package var maxBytes: Int
        /// The most signature lines accepted (the specification requires at least 16).
        package var maxSignatures: Int

        /// Limits; the defaults take 16 post-quantum (≈5 kB) signatures with room to spare.
        package init(maxBytes: Int = 256 * 1024, maxSignatures: Int = 100) {
            self.maxBytes = maxBytes
            self.maxSignatures = maxSignatures
        }
    }

    /// The text as a string (it is valid UTF-8).
    package var text: String { String(decoding: textBytes, as: UTF8.self) }

    /// Makes a note from a text and signatures.
    /// - Throws: `.malformedNote` if the text is empty, does not end in a newline, or has
    ///   control characters other than newline.
    package init(text: String, signatures: [NoteSignature]) throws(TransparencyError) {
        let bytes = Array(text.utf8)
        guard bytes.last == 0x0A else {
            throw TransparencyError(.malformedNote, "a note text must end in a newline")
        }
        if let bad = bytes.first(where: Self.isForbiddenControl) {
            throw TransparencyError(.malformedNote, "the text has control character 0x\(String(bad, radix: 16))")
        }
        self.textBytes = bytes
        self.signatures = signatures
    }

    /// Signs `text` with each of `signers`.
    /// - Throws: `.malformedNote` for a text `init(text:signatures:)` rejects; `.signingFailed`.
    package init(text: String, signers: [NoteSigner]) throws(TransparencyError) {
        let unsigned = try SignedNote(text: text, signatures: [])
        var signatures = [NoteSignature]()
        for signer in signers {
            signatures.append(try signer.signature(for: unsigned.textBytes))
        }
        self.init(textBytes: unsigned.textBytes, signatures: signatures)
    }

    /// Parses a signed note, strictly per C2SP signed-note §Format.
    ///
    /// - Throws: `.noteTooLarge` over `limits`; `.malformedNote` for invalid UTF-8, a control
    ///   character other than newline, no blank line before the signatures, no signature
    ///   line, a final line without its newline, or a malformed signature line (not starting
    ///   with "— ", a bad key name, non-canonical base64, fewer than 5 signature bytes).
    package init(parsing bytes: [UInt8], limits: Limits = Limits()) throws(TransparencyError) {
        guard bytes.count <= limits.maxBytes else {
            throw TransparencyError(.noteTooLarge, "the note is \(bytes.count) bytes, over the limit of \(limits.maxBytes)")
        }
        // C2SP signed-note: "Signed notes MUST be valid UTF-8 and MUST NOT contain any ASCII
        // control characters (those below U+0020) other than newline."
        guard String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes) else {
            throw TransparencyError(.malformedNote, "the note is not valid UTF-8")
        }
        if let bad = bytes.first(where: Self.isForbiddenControl) {
            throw TransparencyError(.malformedNote, "the note has control character 0x\(String(bad, radix: 16))")
        }
        // "The text is separated from the signatures by the last empty line in the note."
        guard let split = Self.lastBlankLine(in: bytes) else {
            throw TransparencyError(.malformedNote, "no blank line separates the text from the signatures")
        }
        let text = Array(bytes[...split])
        let block = bytes[(split + 2)...]
        guard !block.isEmpty else {
            throw TransparencyError(.malformedNote, "the note has no signature lines after its last blank line")
        }
        guard block.last == 0x0A else {
            throw TransparencyError(.malformedNote, "the last signature line does not end in a newline")
        }
        let lines = block.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.count <= limits.maxSignatures else {
            throw TransparencyError(
                .noteTooLarge, "the note has \(lines.count) signatures, over the limit of \(limits.maxSignatures)")
        }
        var signatures = [NoteSignature]()
        signatures.reserveCapacity(lines.count)
        for line in lines {
            signatures.append(try Self.parseSignatureLine(line))
        }
        self.textBytes = text
        self.signatures = signatures
    }

    /// Parses a signed note from a string (see `init(parsing:limits:)`).
    package init(parsing string: String, limits: Limits = Limits()) throws(TransparencyError) {
        try self.init(parsing: Array(string.utf8), limits: limits)
    }

    /// The encoded note: text, blank line, signature lines.
    package var encoded: [UInt8] {
        var bytes = textBytes
        bytes.append(0x0A)
        for signature in signatures { bytes.append(contentsOf: signature.line.utf8) }
        return bytes
    }

    /// The encoded note as text.
    package var description: String { String(decoding: encoded, as: UTF8.self) }

    /// This note with `signature` added (for example, a witness cosigning a checkpoint).
    package func adding(_ signature: NoteSignature) -> SignedNote {
        SignedNote(textBytes: textBytes, signatures: signatures + [signature])
    }

    /// Verifies the note against trusted keys, per C2SP signed-note §Signatures.
    ///
    /// Signatures whose key name and key ID (both) do not match a verifier are ignored. Every
    /// signature from a known key must verify: one that does not rejects the whole note.
    ///
    /// - Returns: the signatures that verified, each known key once, in note order.
    /// - Throws: `.ambiguousVerifiers` if two verifiers share name and key ID;
    ///   `.invalidSignature` if a known key's signature fails; `.noKnownSignature` if no
    ///   signature is from a known key.
    @discardableResult
    package func verify(with verifiers: [NoteVerifier]) throws(TransparencyError) -> [NoteSignature] {
        for (position, verifier) in verifiers.enumerated() {
            for other in verifiers[(position + 1)...]
            where other.keyID == verifier.keyID && NoteKeyName.same(other.keyName, verifier.keyName) && other != verifier {
                throw TransparencyError(
                    .ambiguousVerifiers, "two different keys are named \(verifier.keyName)+\(NoteVerifier.hex(verifier.keyID))")
            }
        }
        var verified = [NoteSignature]()
        for signature in signatures {
            guard let verifier = verifiers.first(where: { signature.isFrom(keyName: $0.keyName, keyID: $0.keyID) }) else {
                continue
            }
            guard verifier.isValidSignature(signature.signature, for: textBytes) else {
                throw TransparencyError(
                    .invalidSignature, "the signature of \(verifier.keyName)+\(NoteVerifier.hex(verifier.keyID)) does not verify")
            }
            if !verified.contains(where: { $0.isFrom(keyName: signature.keyName, keyID: signature.keyID) }) {
                verified.append(signature)
            }
        }
        guard !verified.isEmpty else {
            throw TransparencyError(.noKnownSignature, "no signature in the note is from a known key")
        }
        return verified
    }

    // MARK: Parsing helpers

    private init(textBytes: [UInt8], signatures: [NoteSignature]) {
        self.textBytes = textBytes
        self.signatures = signatures
    }

    private static func isForbiddenControl(_ byte: UInt8) -> Bool {
        byte < 0x20 && byte != 0x0A
    }

    /// The index of the first newline of the last "\n\n" in `bytes`.
    private static func lastBlankLine(in bytes: [UInt8]) -> Int? {
        var index = bytes.count - 2
        while index >= 0 {
            if bytes[index] == 0x0A && bytes[index + 1] == 0x0A { return index }
            index -= 1
        }
        return nil
    }

    /// "— " (U+2014 EM DASH in UTF-8, then a space).
    private static let signaturePrefix: [UInt8] = [0xE2, 0x80, 0x94, 0x20]

    /// Parses `— <key name> <base64>` (without its newline).
    private static func parseSignatureLine(_ line: ArraySlice<UInt8>) throws(TransparencyError) -> NoteSignature {
        guard line.starts(with: signaturePrefix) else {
            throw TransparencyError(.malformedNote, "a signature line must start with \"— \"")
        }
        let rest = line.dropFirst(signaturePrefix.count)
        guard let space = rest.firstIndex(of: 0x20) else {
            throw TransparencyError(.malformedNote, "a signature line has no space between key name and signature")
        }
        let name = String(decoding: rest[..<space], as: UTF8.self)
        do {
            try NoteKeyName.validate(name)
        } catch {
            throw TransparencyError(.malformedNote, "a signature line has an invalid key name: \(error.reason)")
        }
        let encoded = String(decoding: rest[(space + 1)...], as: UTF8.self)
        // Go's note.Open: at least the 4-byte key ID and one signature byte.
        guard let decoded = Base64.decode(encoded), decoded.count >= 5 else {
            throw TransparencyError(.malformedNote, "the signature of \(name) is not canonical base64 of at least 5 bytes")
        }
        let keyID = decoded.prefix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return try NoteSignature(keyName: name, keyID: keyID, signature: Array(decoded.dropFirst(4)))
    }
}
