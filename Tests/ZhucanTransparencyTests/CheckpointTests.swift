import Testing
import ZhucanSigning
import ZhucanTransparency

@Suite("C2SP checkpoints")
struct CheckpointTests {
    // C2SP tlog-checkpoint (introduction): a signed checkpoint.
    static let specCheckpoint = """
        example.com/behind-the-sofa
        20852163
        CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=

        — example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=

        """

    @Test("The specification's checkpoint parses and re-encodes byte for byte")
    func specExample() throws {
        let note = try SignedNote(parsing: Self.specCheckpoint)
        #expect(note.encoded == Array(Self.specCheckpoint.utf8))
        #expect(note.signatures.count == 1)
        #expect(note.signatures[0].keyName == "example.com/behind-the-sofa")
        #expect(note.signatures[0].keyID == 0x033D_E0AE)
        #expect(note.signatures[0].signature.count == 64)
        let checkpoint = try Checkpoint(text: note.textBytes)
        #expect(checkpoint.origin == "example.com/behind-the-sofa")
        #expect(checkpoint.size == 20_852_163)
        #expect(Hexadecimal.encode(checkpoint.rootHash) == "0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62")
        #expect(checkpoint.extensionLines.isEmpty)
        #expect(checkpoint.text == note.text)
        // Its public key is not published: with any other key it is unverified.
        let stranger = try NoteSigner(keyName: "example.com/behind-the-sofa", privateKey: .generate(.ed25519))
        #expect(throws: TransparencyError(.noKnownSignature, "")) {
            try Checkpoint.open(Array(Self.specCheckpoint.utf8), verifiers: [stranger.verifier])
        }
    }

    @Test("A log's checkpoint: sign, open, check origin, tamper")
    func signAndOpen() throws {
        let log = try Fixtures.log((0..<1000).map(Fixtures.leaf))
        let signer = try NoteSigner(keyName: "zhucan.example/issuance", privateKey: .generate(.ed25519))
        let checkpoint = try Checkpoint(
            origin: "zhucan.example/issuance", size: try log.size, rootHash: try log.root(atSize: log.size),
            extensionLines: ["extension one"])
        let note = try checkpoint.signed(by: [signer])
        #expect(note.text == "zhucan.example/issuance\n1000\n\(checkpoint.text.split(separator: "\n")[2])\nextension one\n")
        let opened = try Checkpoint.open(note.encoded, verifiers: [signer.verifier], origin: "zhucan.example/issuance")
        #expect(opened == checkpoint)
        #expect(opened.extensionLines == ["extension one"])
        #expect(throws: TransparencyError(.unexpectedOrigin, "")) {
            try Checkpoint.open(note.encoded, verifiers: [signer.verifier], origin: "zhucan.example/other")
        }
        var tampered = note.encoded
        tampered[tampered.firstIndex(of: UInt8(ascii: "1"))!] = UInt8(ascii: "2")
        #expect(throws: TransparencyError(.invalidSignature, "")) {
            try Checkpoint.open(tampered, verifiers: [signer.verifier])
        }
    }

    @Test("Text round trip of a checkpoint with size 0 and the empty root")
    func emptyTree() throws {
        let checkpoint = try Checkpoint(origin: "o", size: 0, rootHash: MerkleTree.emptyRootHash)
        #expect(checkpoint.text == "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n")
        #expect(try Checkpoint(text: checkpoint.text) == checkpoint)
    }

    static let root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="
    static let malformed: [(String, String)] = [
        ("no final newline", "o\n1\n\(root)"),
        ("two lines", "o\n1\n"),
        ("empty origin", "\n1\n\(root)\n"),
        ("leading zero", "o\n01\n\(root)\n"),
        ("signed size", "o\n+1\n\(root)\n"),
        ("negative size", "o\n-1\n\(root)\n"),
        ("empty size", "o\n\n\(root)\n"),
        ("size with space", "o\n1 \n\(root)\n"),
        ("size over 64 bits", "o\n18446744073709551616\n\(root)\n"),
        ("31-byte root", "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxqw==\n"),
        ("33-byte root", "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IA\n"),
        ("unpadded root", "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n"),
        ("non-canonical root", "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n"),
        ("hex root", "o\n1\n0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f037da3cf1ab62\n"),
        ("empty extension line", "o\n1\n\(root)\n\n"),
        ("control character", "o\u{1}\n1\n\(root)\n"),
        ("too many extension lines", "o\n1\n\(root)\n" + String(repeating: "x\n", count: 65)),
    ]

    @Test("Malformed checkpoint texts are rejected", arguments: malformed)
    func malformedText(name: String, text: String) {
        #expect(throws: TransparencyError(.malformedCheckpoint, ""), "\(name)") { try Checkpoint(text: text) }
    }

    @Test("The largest size parses; over-long texts hit the limit")
    func limits() throws {
        #expect(try Checkpoint(text: "o\n18446744073709551615\n\(Self.root)\n").size == .max)
        let long = "o\n1\n\(Self.root)\n" + String(repeating: "x", count: 70_000) + "\n"
        #expect(throws: TransparencyError(.noteTooLarge, "")) { try Checkpoint(text: long) }
    }

    @Test("Checkpoints that cannot be written are refused")
    func invalidFields() {
        #expect(throws: TransparencyError(.malformedCheckpoint, "")) {
            try Checkpoint(origin: "a\nb", size: 1, rootHash: MerkleTree.emptyRootHash)
        }
        #expect(throws: TransparencyError(.malformedCheckpoint, "")) {
            try Checkpoint(origin: "o", size: 1, rootHash: [1, 2, 3])
        }
        #expect(throws: TransparencyError(.malformedCheckpoint, "")) {
            try Checkpoint(origin: "o", size: 1, rootHash: MerkleTree.emptyRootHash, extensionLines: [""])
        }
    }
}
