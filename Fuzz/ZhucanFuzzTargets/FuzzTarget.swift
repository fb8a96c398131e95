import CSV
import Foundation
import ZhucanCBOR
import ZhucanCertLogic
import ZhucanCredentials
import ZhucanEnvelope
import ZhucanIdentifiers
import ZhucanSigning
import ZhucanSpreadsheet
import ZhucanStatusList
import ZhucanTransparency
import ZIPFoundation

/// One decoder that a stranger's bytes reach, as libFuzzer drives it (`make fuzz`) and as the
/// corpus replay test runs it. A decoder may refuse any input with its error; what it must
/// never do is crash, hang, allocate past its limit, or decode to a value that does not
/// survive encode → decode unchanged. ``check`` returns such a violation in words.
package struct FuzzTarget: Sendable {
    /// The name: `make fuzz` runs `Fuzz/Corpus/<name>`.
    package let name: String
    /// What it decodes.
    package let summary: String
    /// Runs one input; a description of the violated property, or `nil`.
    package let check: @Sendable ([UInt8]) -> String?

    /// Every target.
    package static let all: [FuzzTarget] = [
        base45, inflate, cbor, coseSign1, cwtClaims, envelope, statusList, trustList, certLogic, jsonBody, signedNote,
        checkpoint, logRecord, batchFile, worksheet, keyFile,
    ]

    /// The target called `name`.
    package static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }

    // MARK: - The envelope's layers

    static let base45 = FuzzTarget(name: "base45", summary: "RFC 9285 base45 text") { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        guard let decoded = try? Base45.decode(text) else { return nil }
        // The alphabet and the value ranges make base45 canonical: one text per byte string.
        let again = Base45.encode(decoded)
        return again == text ? nil : "base45 \(text.debugDescription) decodes to bytes that encode as \(again.debugDescription)"
    }

    /// The inflate limit the fuzzer holds the decoder to.
    static let inflateLimit = 1 << 16

    static let inflate = FuzzTarget(name: "inflate", summary: "RFC 1950 zlib, bounded") { bytes in
        guard let inflated = try? Zlib.decompress(bytes, maxOutput: inflateLimit) else { return nil }
        guard inflated.count <= inflateLimit else { return "inflated \(inflated.count) bytes past the limit of \(inflateLimit)" }
        let again = try? Zlib.decompress(Zlib.compress(inflated), maxOutput: inflateLimit)
        return again == inflated ? nil : "inflated bytes do not survive compress → inflate"
    }

    static let cbor = FuzzTarget(name: "cbor", summary: "CBOR (RFC 8949), and its deterministic form (§4.2.1)") { bytes in
        guard let value = try? CBORDecoder.decode(bytes) else { return nil }
        let encoded = value.encoded()
        // The encoder writes the deterministic form whatever the input's form was…
        let deterministic = CBORDecoder.Limits(requireDeterministic: true)
        guard let again = try? CBORDecoder.decode(encoded, limits: deterministic) else {
            return "the encoding of a decoded item is not deterministic CBOR: \(hex(encoded))"
        }
        guard again.encoded() == encoded else { return "a decoded item does not survive encode → decode" }
        // …and an input the strict decoder accepts is already in it: one encoding per value.
        if (try? CBORDecoder.decode(bytes, limits: deterministic)) != nil, encoded != bytes {
            return "accepted as deterministic, but \(hex(bytes)) re-encodes as \(hex(encoded))"
        }
        return nil
    }

    static let coseSign1 = FuzzTarget(name: "cose-sign1", summary: "COSE_Sign1 (RFC 9052 §4.2)") { bytes in
        // The plain reader (no CBOR tree) answers what the general decoder answers.
        let general = (try? CBORDecoder.decode(bytes)).flatMap { try? CoseSign1($0) }
        guard (try? CoseSign1(decoding: bytes)) == general else {
            return "CoseSign1(decoding:) and the general decoder disagree on \(hex(bytes))"
        }
        guard let cose = general else { return nil }
        let encoded = cose.encoded(tagged: true)
        guard let again = try? CoseSign1(decoding: encoded) else { return "a decoded COSE_Sign1 does not decode once re-encoded" }
        return again.encoded(tagged: true) == encoded ? nil : "a COSE_Sign1 re-encodes differently the second time"
    }

    static let cwtClaims = FuzzTarget(name: "cwt-claims", summary: "CWT claims (RFC 8392)") { bytes in
        guard let item = try? CBORDecoder.decode(bytes), let claims = try? CWTClaims(item) else { return nil }
        guard let again = try? CWTClaims(claims.cbor) else { return "decoded claims do not decode once re-encoded" }
        return again.cbor == claims.cbor ? nil : "claims change through encode → decode"
    }

    static let envelope = FuzzTarget(name: "envelope", summary: "a whole code: prefix, base45, zlib, COSE, CWT; a compact code's content") { bytes in
        let layers = EnvelopeLayers(reading: String(decoding: bytes, as: UTF8.self))
        guard let claims = layers.claims else { return nil }
        if (try? CWTClaims(claims.cbor))?.cbor != claims.cbor {
            return "a code's claims change through encode → decode"
        }
        // Docs/format.md §15: compact content, expanded with a trust-list entry, survives
        // encode → decode.
        switch layers.cose?.contentFormat {
        case ObjectType.identityCode.contentFormat:
            guard let code = try? IdentityCode(compact: claims, signer: FuzzSeeds.compactSigner) else { return nil }
            guard let again = code.compactClaims.flatMap({ try? IdentityCode(compact: $0, signer: FuzzSeeds.compactSigner) }), again == code else {
                return "a compact identity code changes through encode → decode"
            }
        case ObjectType.serviceCode.contentFormat:
            guard let code = try? ServiceCode(compact: claims, signer: FuzzSeeds.compactSigner) else { return nil }
            guard let again = code.compactClaims.flatMap({ try? ServiceCode(compact: $0, signer: FuzzSeeds.compactSigner) }), again == code else {
                return "a compact service code changes through encode → decode"
            }
        default:
            break
        }
        return nil
    }

    // MARK: - Lists

    static let statusList = FuzzTarget(name: "status-list", summary: "Token Status List CWT (draft-ietf-oauth-status-list)") { bytes in
        guard let cose = try? CoseSign1(decoding: bytes), let token = try? StatusListToken(unverified: cose) else { return nil }
        guard let again = try? StatusListToken(claims: token.claims) else { return "a status list token does not decode once re-encoded" }
        return again.claims.cbor == token.claims.cbor ? nil : "a status list token changes through encode → decode"
    }

    static let trustList = FuzzTarget(name: "trust-list", summary: "the trust list's claims") { bytes in
        guard let item = try? CBORDecoder.decode(bytes), let claims = try? CWTClaims(item), let list = try? TrustList(claims: claims) else {
            return nil
        }
        guard let again = try? TrustList(claims: list.claims) else { return "a trust list does not decode once re-encoded" }
        return again.claims.cbor == list.claims.cbor ? nil : "a trust list changes through encode → decode"
    }

    // MARK: - JSON

    static let certLogic = FuzzTarget(name: "certlogic", summary: "a CertLogic rule and its data, NUL-separated") { bytes in
        let parts = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
        guard let rule = try? JSONValue(parsing: Data(parts[0])) else { return nil }
        if let problem = jsonRoundTrip(rule) { return problem }
        let data = parts.count > 1 ? (try? JSONValue(parsing: Data(parts[1]))) ?? .null : .null
        _ = try? CertLogic.evaluate(rule, data: data)
        return nil
    }

    static let jsonBody = FuzzTarget(name: "json-body", summary: "an HTTP request body, at the service's limits") { bytes in
        // The service's limits (JSONResponse.decode): the body's size, depth 8.
        guard let value = try? JSONValue(parsing: Data(bytes), limits: .init(maxBytes: bytes.count, maxDepth: 8)) else { return nil }
        return jsonRoundTrip(value)
    }

    // MARK: - The transparency log

    static let signedNote = FuzzTarget(name: "signed-note", summary: "a C2SP signed note") { bytes in
        guard let note = try? SignedNote(parsing: bytes) else { return nil }
        guard let again = try? SignedNote(parsing: note.encoded) else { return "a signed note does not parse once re-encoded" }
        return again.encoded == note.encoded ? nil : "a signed note changes through encode → parse"
    }

    static let checkpoint = FuzzTarget(name: "checkpoint", summary: "a C2SP tlog checkpoint body") { bytes in
        guard let checkpoint = try? Checkpoint(text: bytes) else { return nil }
        guard let again = try? Checkpoint(text: checkpoint.text) else { return "a checkpoint does not parse once re-encoded" }
        return again == checkpoint && again.text == checkpoint.text ? nil : "a checkpoint changes through encode → parse"
    }

    static let logRecord = FuzzTarget(name: "log-record", summary: "a transparency-log leaf (LogRecord, canonical CBOR)") { bytes in
        guard let record = try? LogRecord(encoded: bytes) else { return nil }
        // Canonical: one encoding per record, so a leaf hash names one record.
        return record.encoded == bytes ? nil : "a log record decodes from a non-canonical encoding: \(hex(bytes))"
    }

    /// The date batch rows are judged at, fixed so that a run does not depend on the clock.
    static let batchDate = try! CivilDate("2026-12-01")

    static let batchFile = FuzzTarget(name: "batch-file", summary: "a batch-issuance CSV file, and its reject file") { bytes in
        guard let file = try? BatchFile(bytes: bytes, asOf: batchDate), !file.problems.isEmpty else { return nil }
        // The reject file is read back as a batch file (corrected, it is issued again)…
        let table = file.rejectTable()
        let rejects = SpreadsheetWriter.csv([table.header] + table.rows)
        guard (try? BatchFile(bytes: Array(rejects.utf8), asOf: batchDate)) != nil else {
            return "the reject file of an accepted batch file does not read back"
        }
        // …and holds no cell a spreadsheet would run, each cell as a CSV reader sees it.
        guard let reader = try? CSVReader(string: rejects, hasHeaderRow: false) else { return "the reject file is not CSV" }
        while let record = reader.next() {
            for cell in record where cell.first.map({ "=+-@\t\r".contains($0) }) == true {
                return "a reject-file cell starts like a formula: \(String(cell.prefix(40)).debugDescription)"
            }
        }
        return nil
    }

    /// The parts around a fuzzed sheet: a workbook naming one sheet, and three shared strings.
    static let workbookParts: [(String, String)] = [
        ("xl/workbook.xml", #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="s" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>"#),
        ("xl/sharedStrings.xml", #"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>姓名</t></si><si><r><t>王</t></r><r><t>小明</t></r><rPh><t>x</t></rPh></si><si><t xml:space="preserve"> 4 </t></si></sst>"#),
    ]

    static let worksheet = FuzzTarget(name: "worksheet", summary: "a workbook's sheet part (SpreadsheetML XML), streamed into rows") { bytes in
        // A stored (uncompressed) workbook around the bytes, read as any workbook is.
        guard let archive = try? Archive(data: Data(), accessMode: .create) else { return "cannot make a workbook" }
        for (path, data) in workbookParts.map({ ($0.0, Data($0.1.utf8)) }) + [("xl/worksheets/sheet1.xml", Data(bytes))] {
            try? archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .none) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let workbook = archive.data, let table = try? SpreadsheetTable(bytes: [UInt8](workbook)) else { return nil }
        // Rows ascend, each as wide as the header.
        let rows = table.records.map(\.row)
        guard zip(rows, rows.dropFirst()).allSatisfy({ $0 < $1 }) else { return "rows out of order: \(rows.prefix(8))" }
        guard let width = table.records.first?.cells.count else { return nil }
        return table.records.allSatisfy({ $0.cells.count >= width }) ? nil : "a row is narrower than the header"
    }

    // MARK: - Keys

    static let keyFile = FuzzTarget(name: "key-file", summary: "PEM / DER keys: PKCS#8, SPKI, X.509") { bytes in
        _ = try? PrivateKey(contentsOf: bytes)
        _ = try? PublicKey(contentsOf: bytes)
        return nil
    }

    // MARK: - Helpers

    static func jsonRoundTrip(_ value: JSONValue) -> String? {
        guard let again = try? JSONValue(parsing: value.jsonString) else { return "serialised JSON does not parse: \(value.jsonString.prefix(200))" }
        return again == value ? nil : "JSON changes through serialise → parse: \(value.jsonString.prefix(200))"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.prefix(64).map { String(format: "%02x", $0) }.joined() + (bytes.count > 64 ? "…" : "")
    }
}
