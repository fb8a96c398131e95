import Foundation
import Testing
import ZhucanSigning
import ZhucanTesting

/// `zhucan keys …` through the built binary, against the `openssl` command line in both directions.
@Suite("zhucan keys")
struct KeysCommandTests {
    let folder: TemporaryDirectory
    let message = Data("平湖市残联 test message\n".utf8)

    init() throws {
        folder = try TemporaryDirectory()
        try message.write(to: folder.url.appendingPathComponent("msg"))
    }

    func zhucan(_ arguments: String...) throws -> Shell.Output {
        try ZhucanBinary.run(arguments, in: folder.url)
    }

    func openssl(_ arguments: String...) throws -> Shell.Output {
        let output = try Shell.run(["openssl"] + arguments, in: folder.url)
        return output
    }

    /// How the openssl command line signs and verifies each algorithm (issue #2's contract).
    static func opensslSign(_ algorithm: SignatureAlgorithm, key: String, out: String) -> [String] {
        switch algorithm {
        case .es256: ["dgst", "-sha256", "-sign", key, "-out", out, "msg"]
        case .sm2: ["dgst", "-sm3", "-sign", key, "-sigopt", "distid:1234567812345678", "-out", out, "msg"]
        default: ["pkeyutl", "-sign", "-inkey", key, "-rawin", "-in", "msg", "-out", out]
        }
    }

    static func opensslVerify(_ algorithm: SignatureAlgorithm, pub: String, sig: String) -> [String] {
        switch algorithm {
        case .es256: ["dgst", "-sha256", "-verify", pub, "-signature", sig, "msg"]
        case .sm2: ["dgst", "-sm3", "-verify", pub, "-sigopt", "distid:1234567812345678", "-signature", sig, "msg"]
        default: ["pkeyutl", "-verify", "-pubin", "-inkey", pub, "-rawin", "-in", "msg", "-sigfile", sig]
        }
    }

    static func opensslGenerate(_ algorithm: SignatureAlgorithm, out: String) -> [String] {
        switch algorithm {
        case .es256: ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", out]
        case .sm2: ["genpkey", "-algorithm", "SM2", "-out", out]
        default: ["genpkey", "-algorithm", "ED25519", "-out", out]
        }
    }

    @Test("zhucan signs, openssl verifies", arguments: SignatureAlgorithm.signing)
    func zhucanToOpenSSL(algorithm: SignatureAlgorithm) throws {
        let generated = try zhucan("keys", "generate", "--algorithm", algorithm.rawValue, "--out", "k")
        #expect(generated.status == 0, "\(generated.errorText)")
        let keyID = generated.text.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(keyID.count == 16 && Hex.decode(keyID) != nil)

        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path("k.key.pem"))
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        #expect(try zhucan("keys", "sign", "--key", "k.key.pem", "--in", "msg", "--out", "sig").status == 0)
        let verified = try Shell.run(["openssl"] + Self.opensslVerify(algorithm, pub: "k.pub.pem", sig: "sig"), in: folder.url)
        #expect(verified.status == 0, "openssl: \(verified.text) \(verified.errorText)")
        if algorithm == .ed25519 {
            #expect(try Data(contentsOf: folder.url.appendingPathComponent("sig")).count == 64)
        }

        // The key id openssl's view of the public key gives is ours.
        let der = try openssl("pkey", "-pubin", "-in", "k.pub.pem", "-outform", "DER")
        #expect(Hexadecimal.encode(Digest.sha256(der.stdout).prefix(8)) == keyID)
    }

    @Test("openssl signs, zhucan verifies", arguments: SignatureAlgorithm.signing)
    func openSSLToZhucan(algorithm: SignatureAlgorithm) throws {
        #expect(try Shell.run(["openssl"] + Self.opensslGenerate(algorithm, out: "o.pem"), in: folder.url).status == 0)
        #expect(try openssl("pkey", "-in", "o.pem", "-pubout", "-out", "o.pub").status == 0)
        #expect(try Shell.run(["openssl"] + Self.opensslSign(algorithm, key: "o.pem", out: "sig"), in: folder.url).status == 0)

        let verified = try zhucan("keys", "verify", "--pub", "o.pub", "--in", "msg", "--sig", "sig")
        #expect(verified.status == 0, "\(verified.errorText)")
        #expect(verified.text.hasPrefix("valid:"))

        // zhucan signs with openssl's private key; openssl verifies.
        #expect(try zhucan("keys", "sign", "--key", "o.pem", "--in", "msg", "--out", "sig2").status == 0)
        #expect(try Shell.run(["openssl"] + Self.opensslVerify(algorithm, pub: "o.pub", sig: "sig2"), in: folder.url).status == 0)

        // A changed message is invalid: exit 1 with a one-line reason.
        try Data("another message".utf8).write(to: folder.url.appendingPathComponent("msg"))
        let invalid = try zhucan("keys", "verify", "--pub", "o.pub", "--in", "msg", "--sig", "sig")
        #expect(invalid.status == 1)
        #expect(invalid.errorText.contains("invalid"))
        #expect(invalid.errorText.split(separator: "\n").count == 1)
    }

    @Test("encrypted keys are read by both", arguments: SignatureAlgorithm.signing)
    func encryptedKeys(algorithm: SignatureAlgorithm) throws {
        try Data("s3cret passphrase\n".utf8).write(to: folder.url.appendingPathComponent("pass"))
        #expect(try zhucan("keys", "generate", "--algorithm", algorithm.rawValue, "--out", "e", "--passphrase-file", "pass").status == 0)
        #expect(try String(contentsOf: folder.url.appendingPathComponent("e.key.pem"), encoding: .utf8).contains("ENCRYPTED PRIVATE KEY"))

        // openssl decrypts ours: its public key equals ours.
        let theirs = try openssl("pkey", "-in", "e.key.pem", "-passin", "file:pass", "-pubout")
        #expect(theirs.status == 0, "\(theirs.errorText)")
        #expect(theirs.text == (try String(contentsOf: folder.url.appendingPathComponent("e.pub.pem"), encoding: .utf8)))

        // We decrypt openssl's PBKDF2 / AES-256 encryption.
        #expect(try Shell.run(["openssl"] + Self.opensslGenerate(algorithm, out: "o.pem"), in: folder.url).status == 0)
        #expect(try openssl("pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", "o.pem", "-passout", "file:pass", "-out", "o.enc.pem").status == 0)
        #expect(try zhucan("keys", "sign", "--key", "o.enc.pem", "--passphrase-file", "pass", "--in", "msg", "--out", "sig").status == 0)

        // A wrong or missing passphrase is an input error with a clear reason.
        try Data("wrong\n".utf8).write(to: folder.url.appendingPathComponent("wrong"))
        let wrong = try zhucan("keys", "sign", "--key", "e.key.pem", "--passphrase-file", "wrong", "--in", "msg", "--out", "sig")
        #expect(wrong.status == 2)
        #expect(wrong.errorText.contains("wrong passphrase"))
        let missing = try zhucan("keys", "sign", "--key", "e.key.pem", "--in", "msg", "--out", "sig")
        #expect(missing.status == 2)
        #expect(missing.errorText.contains("encrypted"))
    }

    @Test("show reads private keys, public keys and certificates", arguments: SignatureAlgorithm.signing)
    func show(algorithm: SignatureAlgorithm) throws {
        #expect(try Shell.run(["openssl"] + Self.opensslGenerate(algorithm, out: "o.pem"), in: folder.url).status == 0)
        #expect(try openssl("pkey", "-in", "o.pem", "-pubout", "-out", "o.pub").status == 0)
        let certificate = try openssl("req", "-x509", "-new", "-key", "o.pem", "-subj", "/CN=Zhucan test", "-days", "1", "-out", "c.pem")
        #expect(certificate.status == 0, "\(certificate.errorText)")
        #expect(try openssl("x509", "-in", "c.pem", "-outform", "DER", "-out", "c.der").status == 0)

        let spki = try openssl("pkey", "-pubin", "-in", "o.pub", "-outform", "DER").stdout
        let keyID = Hexadecimal.encode(Digest.sha256(spki).prefix(8))
        let fingerprint = Hexadecimal.encode(Digest.sha256(spki))
        for (file, type) in [("o.pem", "private key"), ("o.pub", "public key"), ("c.pem", "certificate"), ("c.der", "certificate")] {
            let shown = try zhucan("keys", "show", file)
            #expect(shown.status == 0, "\(file): \(shown.errorText)")
            #expect(shown.text.contains("algorithm:   \(algorithm.rawValue)"), "\(file)")
            #expect(shown.text.contains("key id:      \(keyID)"), "\(file)")
            #expect(shown.text.contains("spki sha256: \(fingerprint)"), "\(file)")
            #expect(shown.text.lowercased().contains(type.lowercased()), "\(file): \(shown.text)")
        }
        // A certificate verifies signatures like its public key.
        #expect(try Shell.run(["openssl"] + Self.opensslSign(algorithm, key: "o.pem", out: "sig"), in: folder.url).status == 0)
        #expect(try zhucan("keys", "verify", "--pub", "c.der", "--in", "msg", "--sig", "sig").status == 0)
    }

    // A key encrypted under a passphrase of more than 1,024 bytes (OpenSSL's PEM_BUFSIZE) was
    // written, and could then never be read again, by zhucan or openssl.
    @Test("a passphrase longer than OpenSSL can read back is refused before any key is written")
    func overlongPassphrase() throws {
        try Data((String(repeating: "a", count: 1_025) + "\n").utf8).write(to: folder.url.appendingPathComponent("long"))
        let refused = try zhucan("keys", "generate", "--algorithm", "ed25519", "--out", "k", "--passphrase-file", "long")
        #expect(refused.status == 2)
        #expect(refused.errorText.contains("at most 1024"), "\(refused.errorText)")
        #expect(!FileManager.default.fileExists(atPath: folder.path("k.key.pem")))
        try Data((String(repeating: "a", count: 1_024) + "\n").utf8).write(to: folder.url.appendingPathComponent("longest"))
        #expect(try zhucan("keys", "generate", "--algorithm", "ed25519", "--out", "k", "--passphrase-file", "longest").status == 0)
        #expect(try zhucan("keys", "show", "k.key.pem", "--passphrase-file", "longest").status == 0)
    }

    // `keys show` said "encrypted" of any key read with a passphrase given, so an operator
    // checking that a key was protected was told it was when it was not.
    // (An unencrypted DER key could not be read at all: only the encrypted DER form was.)
    @Test("keys show tells a plain key from an encrypted one by the file, not by the passphrase given; plain DER keys sign", arguments: SignatureAlgorithm.signing)
    func showSaysWhetherAKeyIsEncrypted(algorithm: SignatureAlgorithm) throws {
        try Data("s3cret\n".utf8).write(to: folder.url.appendingPathComponent("pass"))
        #expect(try zhucan("keys", "generate", "--algorithm", algorithm.rawValue, "--out", "plain").status == 0)
        #expect(try zhucan("keys", "generate", "--algorithm", algorithm.rawValue, "--out", "sealed", "--passphrase-file", "pass").status == 0)
        #expect(try openssl("pkcs8", "-topk8", "-nocrypt", "-in", "plain.key.pem", "-outform", "DER", "-out", "plain.der").status == 0)
        // The encrypted key's DER form: its PEM body, decoded.
        let pem = try String(contentsOfFile: folder.path("sealed.key.pem"), encoding: .utf8)
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        try #require(Data(base64Encoded: body)).write(to: folder.url.appendingPathComponent("sealed.der"))
        for (file, type) in [("plain.key.pem", "type:        private key"), ("plain.der", "type:        private key"), ("sealed.key.pem", "encrypted private key"), ("sealed.der", "encrypted private key")] {
            let shown = try zhucan("keys", "show", file, "--passphrase-file", "pass")
            #expect(shown.status == 0, "\(file): \(shown.errorText)")
            #expect(shown.text.contains(type), "\(file): \(shown.text)")
        }
        #expect(try zhucan("keys", "sign", "--key", "plain.der", "--in", "msg", "--out", "sig").status == 0)
        #expect(try zhucan("keys", "verify", "--pub", "plain.pub.pem", "--in", "msg", "--sig", "sig").status == 0)
    }

    // `--out` used to be renamed over whatever was there: the key being used, the input.
    @Test("keys sign refuses an --out that is its own key, its input, a symbolic link or a device")
    func signRefusesToReplaceItsInputs() throws {
        #expect(try zhucan("keys", "generate", "--algorithm", "ed25519", "--out", "k").status == 0)
        let key = try Data(contentsOf: folder.url.appendingPathComponent("k.key.pem"))
        try FileManager.default.createSymbolicLink(atPath: folder.path("link"), withDestinationPath: "msg")
        for (out, why) in [("k.key.pem", "is an input of this command"), ("msg", "is an input of this command"), ("link", "symbolic link"), ("/dev/null", "not a regular file")] {
            let refused = try zhucan("keys", "sign", "--key", "k.key.pem", "--in", "msg", "--out", out)
            #expect(refused.status == 2, "\(out)")
            #expect(refused.errorText.contains(why), "\(out): \(refused.errorText)")
        }
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("k.key.pem")) == key)
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("msg")) == message)
        // A DER key has no label to recognise: it is refused as the key being used. A PEM key
        // with CRLF line endings is recognised by its label.
        #expect(try openssl("pkcs8", "-topk8", "-nocrypt", "-in", "k.key.pem", "-outform", "DER", "-out", "k.der").status == 0)
        let der = try zhucan("keys", "sign", "--key", "k.der", "--in", "msg", "--out", "k.der")
        #expect(der.status == 2 && der.errorText.contains("is an input of this command"), "\(der.errorText)")
        try Data(String(decoding: key, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8).write(to: folder.url.appendingPathComponent("crlf.pem"))
        let crlf = try zhucan("keys", "sign", "--key", "k.key.pem", "--in", "msg", "--out", "crlf.pem")
        #expect(crlf.status == 2 && crlf.errorText.contains("holds a private key"), "\(crlf.errorText)")
        #expect(try zhucan("keys", "sign", "--key", "k.key.pem", "--in", "msg", "--out", "sig").status == 0)
        #expect(try zhucan("keys", "sign", "--key", "k.key.pem", "--in", "msg", "--out", "sig").status == 0, "an earlier output is replaced")
    }

    @Test func generateRefusesToOverwrite() throws {
        #expect(try zhucan("keys", "generate", "--algorithm", "ed25519", "--out", "k").status == 0)
        let before = try Data(contentsOf: folder.url.appendingPathComponent("k.key.pem"))
        let again = try zhucan("keys", "generate", "--algorithm", "ed25519", "--out", "k")
        #expect(again.status == 2)
        #expect(again.errorText.contains("already exists"))
        #expect(try Data(contentsOf: folder.url.appendingPathComponent("k.key.pem")) == before)
    }

    @Test func usageAndInputErrorsExitTwo() throws {
        #expect(try zhucan("keys", "verify", "--pub", "missing.pem", "--in", "msg", "--sig", "sig").status == 2)
        #expect(try zhucan("keys", "verify", "--in", "msg").status == 2)
        #expect(try zhucan("keys", "generate", "--algorithm", "rsa", "--out", "k").status == 2)
        try Data("garbage".utf8).write(to: folder.url.appendingPathComponent("bad.pem"))
        let bad = try zhucan("keys", "show", "bad.pem")
        #expect(bad.status == 2)
        #expect(!bad.errorText.isEmpty)
    }

    @Test func everyCommandHasHelp() throws {
        for command in [[], ["keys"], ["keys", "generate"], ["keys", "show"], ["keys", "sign"], ["keys", "verify"]] {
            let help = try ZhucanBinary.run(command + ["--help"], in: folder.url)
            #expect(help.status == 0, "\(command)")
            #expect(help.text.contains("USAGE"), "\(command)")
        }
    }
}
