import Foundation
import Testing
import ZhucanSigning
import ZhucanTransparency

@Suite("C2SP signed notes")
struct SignedNoteTests {
    // C2SP signed-note §Verifier keys, Example: this key verifies this note.
    static let specVerifierKey = "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k"
    static let specNote = """
        This is an example message.

        — example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTgK7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=

        """
    // C2SP signed-note §(introduction): a text with an empty line inside it.
    static let quasimodoNote = """
        Ognuno sta solo sul cuor della terra
        trafitto da un raggio di sole:

        ed è subito sera.

        — quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=

        """

    static func specVerifier() throws -> NoteVerifier { try NoteVerifier(verifierKey: specVerifierKey) }

    static func signer(_ name: String = "zhucan.example/log", _ algorithm: SignatureAlgorithm = .ed25519) throws -> NoteSigner {
        try NoteSigner(keyName: name, privateKey: PrivateKey.generate(algorithm))
    }

    // MARK: The specification's examples

    @Test("The specification's verifier key verifies the specification's note exactly")
    func specExample() throws {
        let verifier = try Self.specVerifier()
        #expect(verifier.keyName == "example.com/foo")
        #expect(verifier.keyID == 0x530D_903A)
        #expect(verifier.type == .ed25519)
        #expect(verifier.verifierKey == Self.specVerifierKey)
        let note = try SignedNote(parsing: Self.specNote)
        #expect(note.text == "This is an example message.\n")
        #expect(note.encoded == Array(Self.specNote.utf8))
        let verified = try note.verify(with: [verifier])
        #expect(verified.map(\.keyName) == ["example.com/foo"])
        #expect(verified.first?.signature.count == 64)
    }

    @Test("A modified text no longer verifies with the specification's key")
    func specExampleModified() throws {
        let tampered = Self.specNote.replacingOccurrences(of: "example message", with: "example massage")
        #expect(throws: TransparencyError(.invalidSignature, "")) {
            try SignedNote(parsing: tampered).verify(with: [Self.specVerifier()])
        }
    }

    @Test("The specification's poem: the text keeps its inner blank line; its key is unknown here")
    func quasimodo() throws {
        let note = try SignedNote(parsing: Self.quasimodoNote)
        #expect(note.text == "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n")
        #expect(note.signatures.count == 1)
        #expect(note.signatures.first?.keyName == "quasimodo.example/salvatore")
        #expect(note.encoded == Array(Self.quasimodoNote.utf8))
        #expect(throws: TransparencyError(.noKnownSignature, "")) { try note.verify(with: [Self.specVerifier()]) }
    }

    // MARK: Round trips

    @Test("Sign, encode, parse and verify round trip", arguments: [SignatureAlgorithm.ed25519, .sm2])
    func roundTrip(algorithm: SignatureAlgorithm) throws {
        let signer = try Self.signer("zhucan.example/log", algorithm)
        let note = try SignedNote(text: "hello\n\nworld\n", signers: [signer])
        let parsed = try SignedNote(parsing: note.encoded)
        #expect(parsed == note)
        #expect(parsed.text == "hello\n\nworld\n")
        // The verifier travels as a string.
        let verifier = try NoteVerifier(verifierKey: signer.verifier.verifierKey)
        #expect(verifier == signer.verifier)
        #expect(try parsed.verify(with: [verifier]).count == 1)
    }

    @Test("The Ed25519 key ID is SHA-256(name || 0x0A || 0x01 || key)[:4]")
    func keyID() throws {
        let signer = try Self.signer("zhucan.example/log")
        let raw = Array(signer.verifier.publicKey.subjectPublicKeyInfo.suffix(32))
        let digest = Digest.sha256(Array("zhucan.example/log".utf8) + [0x0A, 0x01] + raw)
        #expect(signer.keyID == digest.prefix(4).reduce(0) { $0 << 8 | UInt32($1) })
        let parts = signer.verifier.verifierKey.split(separator: "+", maxSplits: 2)
        #expect(parts.count == 3)
        #expect(Data(base64Encoded: String(parts[2])).map { [UInt8]($0) } == [0x01] + raw)
    }

    @Test("The SM2 extension uses type 0xFF and a long identifier, kept apart from Ed25519")
    func sm2Extension() throws {
        let signer = try Self.signer("zhucan.example/log", .sm2)
        #expect(signer.verifier.type == .zhucanSM2)
        #expect(NoteSignatureType.zhucanSM2.identifier.first == 0xFF)
        let note = try SignedNote(text: "sm2\n", signers: [signer])
        #expect(note.signatures.first?.signature.count == 64)
        // An Ed25519 verifier of the same name ignores the SM2 signature (different key ID).
        let other = try Self.signer("zhucan.example/log")
        #expect(throws: TransparencyError(.noKnownSignature, "")) { try note.verify(with: [other.verifier]) }
    }

    @Test("Several signers; unknown signatures are ignored beside known ones")
    func severalSigners() throws {
        let log = try Self.signer("zhucan.example/log"), witness = try Self.signer("witness.example/w1")
        let stranger = try Self.signer("stranger.example/x")
        let note = try SignedNote(text: "checkpoint\n", signers: [stranger, log, witness])
        let verified = try SignedNote(parsing: note.encoded).verify(with: [witness.verifier, log.verifier])
        #expect(verified.map(\.keyName) == ["zhucan.example/log", "witness.example/w1"])
        // A known key's bad signature rejects the whole note, even beside a good one.
        let forged = try NoteSignature(keyName: witness.keyName, keyID: witness.keyID, signature: [UInt8](repeating: 7, count: 64))
        #expect(throws: TransparencyError(.invalidSignature, "")) {
            try note.adding(forged).verify(with: [log.verifier, witness.verifier])
        }
    }

    @Test("Same name or same key ID alone is an unknown key")
    func nameOrIDAlone() throws {
        let signer = try Self.signer("zhucan.example/log")
        let note = try SignedNote(text: "x\n", signers: [signer])
        let sameName = try Self.signer("zhucan.example/log")
        #expect(throws: TransparencyError(.noKnownSignature, "")) { try note.verify(with: [sameName.verifier]) }
        let renamed = try SignedNote(
            text: "x\n",
            signatures: [NoteSignature(keyName: "other.example/log", keyID: signer.keyID, signature: note.signatures[0].signature)])
        #expect(throws: TransparencyError(.noKnownSignature, "")) { try renamed.verify(with: [signer.verifier]) }
    }

    // MARK: Malformed notes

    @Test("An unknown key, a truncated signature, extra blank lines: the specific errors")
    func verificationErrors() throws {
        let verifier = try Self.specVerifier()
        let note = Self.specNote
        // A signer the verifier set does not know.
        #expect(throws: TransparencyError(.noKnownSignature, "")) {
            try SignedNote(parsing: note).verify(with: [Self.signer("example.com/bar").verifier])
        }
        #expect(throws: TransparencyError(.noKnownSignature, "")) { try SignedNote(parsing: note).verify(with: []) }
        // Truncated by 4 base64 characters: still canonical base64, but a 61-byte signature.
        let truncated = note.replacingOccurrences(of: "IneyaQM=\n", with: "Iney\n")
        #expect(throws: TransparencyError(.invalidSignature, "")) { try SignedNote(parsing: truncated).verify(with: [verifier]) }
        // An extra blank line before the signatures becomes part of the text.
        let extraBlank = note.replacingOccurrences(of: "message.\n\n", with: "message.\n\n\n")
        #expect(throws: TransparencyError(.invalidSignature, "")) { try SignedNote(parsing: extraBlank).verify(with: [verifier]) }
        // A blank line between two signature lines: the first line becomes text (the separator
        // is the last blank line), so the signature no longer covers the text.
        let signatureLine = note.split(separator: "\n").last.map { String($0) + "\n" } ?? ""
        let blankBetween = note + "\n" + signatureLine
        #expect(try SignedNote(parsing: blankBetween).text.hasSuffix(signatureLine))
        #expect(throws: TransparencyError(.invalidSignature, "")) { try SignedNote(parsing: blankBetween).verify(with: [verifier]) }
    }

    static let malformedNotes: [(String, String, TransparencyError.Code)] = [
        ("missing final newline", String(specNote.dropLast()), .malformedNote),
        ("blank line after the signatures", specNote + "\n", .malformedNote),
        ("no blank line", "text\n— example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq\n", .malformedNote),
        ("no signatures", "text\n\n", .malformedNote),
        ("hyphen instead of em dash", specNote.replacingOccurrences(of: "— ", with: "- "), .malformedNote),
        ("no space after em dash", specNote.replacingOccurrences(of: "— ", with: "—"), .malformedNote),
        ("truncated base64", specNote.replacingOccurrences(of: "IneyaQM=\n", with: "IneyaQ\n"), .malformedNote),
        ("non-canonical base64 padding bits", specNote.replacingOccurrences(of: "aQM=", with: "aQN="), .malformedNote),
        ("signature under 5 bytes", "text\n\n— example.com/foo AAAAAA==\n", .malformedNote),
        ("key name with plus", "text\n\n— a+b AAAAAAAA\n", .malformedNote),
        ("key name with no-break space", "text\n\n— a\u{A0}b AAAAAAAA\n", .malformedNote),
        ("empty key name", "text\n\n—  AAAAAAAA\n", .malformedNote),
        ("trailing space", specNote.replacingOccurrences(of: "aQM=\n", with: "aQM= \n"), .malformedNote),
        ("carriage return", specNote.replacingOccurrences(of: "message.\n", with: "message.\r\n"), .malformedNote),
        ("tab", "a\tb\n\n— example.com/foo AAAAAAAA\n", .malformedNote),
        ("NUL", "a\u{0}b\n\n— example.com/foo AAAAAAAA\n", .malformedNote),
        ("empty note", "", .malformedNote),
    ]

    @Test("Malformed notes are rejected", arguments: malformedNotes)
    func malformed(name: String, note: String, code: TransparencyError.Code) {
        #expect(throws: TransparencyError(code, ""), "\(name)") { try SignedNote(parsing: note) }
    }

    @Test("Invalid UTF-8 is rejected")
    func invalidUTF8() {
        let bytes: [UInt8] = Array("a".utf8) + [0xC3, 0x28] + Array("\n\n— example.com/foo AAAAAAAA\n".utf8)
        #expect(throws: TransparencyError(.malformedNote, "")) { try SignedNote(parsing: bytes) }
    }

    @Test("Over-long notes and too many signatures hit the limits")
    func limits() throws {
        let huge = String(repeating: "a", count: 300_000) + "\n" + Self.specNote
        #expect(throws: TransparencyError(.noteTooLarge, "")) { try SignedNote(parsing: huge) }
        #expect(throws: TransparencyError(.noteTooLarge, "")) {
            try SignedNote(parsing: Self.specNote, limits: .init(maxBytes: 100))
        }
        let line = "— example.com/foo AAAAAAAA\n"
        let manySignatures = "text\n\n" + String(repeating: line, count: 101)
        #expect(throws: TransparencyError(.noteTooLarge, "")) { try SignedNote(parsing: manySignatures) }
        // The specification's floor: at least 16 signatures are accepted.
        let sixteen = try SignedNote(parsing: "text\n\n" + String(repeating: line, count: 16))
        #expect(sixteen.signatures.count == 16)
    }

    @Test("Texts that cannot be signed are refused")
    func unsignableTexts() throws {
        let signer = try Self.signer()
        #expect(throws: TransparencyError(.malformedNote, "")) { try SignedNote(text: "no newline", signers: [signer]) }
        #expect(throws: TransparencyError(.malformedNote, "")) { try SignedNote(text: "", signers: [signer]) }
        #expect(throws: TransparencyError(.malformedNote, "")) { try SignedNote(text: "a\rb\n", signers: [signer]) }
        #expect(throws: TransparencyError(.invalidKeyName, "")) { try Self.signer("has space") }
        #expect(throws: TransparencyError(.invalidKeyName, "")) { try Self.signer("has+plus") }
        #expect(throws: TransparencyError(.invalidKeyName, "")) { try Self.signer("") }
        #expect(throws: TransparencyError(.unsupportedKeyType, "")) { try Self.signer("p256", .es256) }
    }

    // MARK: Verifier keys

    static let malformedVerifierKeys: [(String, String, TransparencyError.Code)] = [
        ("two parts", "example.com/foo+530d903a", .malformedVerifierKey),
        ("four parts", specVerifierKey + "+x", .malformedVerifierKey),
        ("uppercase hex", specVerifierKey.replacingOccurrences(of: "530d903a", with: "530D903A"), .malformedVerifierKey),
        ("short hex", specVerifierKey.replacingOccurrences(of: "530d903a", with: "30d903a"), .malformedVerifierKey),
        ("signed hex", specVerifierKey.replacingOccurrences(of: "530d903a", with: "+30d903a"), .malformedVerifierKey),
        ("wrong key ID", specVerifierKey.replacingOccurrences(of: "530d903a", with: "530d903b"), .malformedVerifierKey),
        ("other name", specVerifierKey.replacingOccurrences(of: "example.com/foo", with: "example.com/bar"), .malformedVerifierKey),
        ("empty name", "+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", .invalidKeyName),
        ("name with space", "example.com/ foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", .invalidKeyName),
        ("short key", "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3Q==", .malformedVerifierKey),
        ("ECDSA type 0x02", "example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k", .unsupportedKeyType),
        ("not base64", "example.com/foo+530d903a+!!!!", .malformedVerifierKey),
        ("empty key", "example.com/foo+530d903a+", .malformedVerifierKey),
        ("too long", "example.com/foo+530d903a+" + String(repeating: "A", count: 5000), .malformedVerifierKey),
    ]

    @Test("Malformed verifier keys are rejected", arguments: malformedVerifierKeys)
    func malformedVerifierKey(name: String, key: String, code: TransparencyError.Code) {
        #expect(throws: TransparencyError(code, ""), "\(name)") { try NoteVerifier(verifierKey: key) }
    }

    @Test("The same verifier given twice counts once")
    func duplicateVerifier() throws {
        let signer = try Self.signer("zhucan.example/log")
        let note = try SignedNote(text: "x\n", signers: [signer, signer])
        #expect(note.signatures.count == 2)
        #expect(try note.verify(with: [signer.verifier, signer.verifier]).count == 1)
    }
}
