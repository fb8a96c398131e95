import Foundation
import Testing
import ZhucanCBOR
import ZhucanEnvelope
import ZhucanStatusList
import ZhucanTesting

/// One Status List encoding example of draft-ietf-oauth-status-list: the CBOR vector file, the
/// JSON file carrying the same list, and the statuses the draft says it holds (§4.1 for the
/// short examples, Appendix C for the 2^20-entry ones; every index not listed is 0).
struct EncodingCase: Sendable, CustomTestStringConvertible {
    let cborFile: String
    let jsonFile: String
    let bits: Int
    let count: Int
    let statuses: [Int: UInt8]

    var testDescription: String { cborFile }

    /// Appendix C: "All examples are initialized with a size of 2^20 entries."
    static let appendixCCount = 1 << 20

    static let all: [EncodingCase] = [
        // §4.1, first example: 16 entries of 1 bit, bytes B9 A3.
        EncodingCase(
            cborFile: "status_list_encoding_cbor.md", jsonFile: "status_list_encoding_json.md", bits: 1, count: 16,
            statuses: Dictionary(uniqueKeysWithValues: zip(0..., [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1] as [UInt8]))
        ),
        // §4.1, second example: 12 entries of 2 bits, bytes C9 44 F9.
        EncodingCase(
            cborFile: "status_list_encoding2_cbor.md", jsonFile: "status_list_encoding2_json.md", bits: 2, count: 12,
            statuses: Dictionary(uniqueKeysWithValues: zip(0..., [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3] as [UInt8]))
        ),
        // Appendix C.1.
        EncodingCase(
            cborFile: "status_list_encoding1_long_cbor.md", jsonFile: "status_list_encoding1_long_json.md", bits: 1,
            count: appendixCCount,
            statuses: [0: 0b1, 1993: 0b1, 25460: 0b1, 159495: 0b1, 495669: 0b1, 554353: 0b1, 645645: 0b1, 723232: 0b1,
                       854545: 0b1, 934534: 0b1, 1000345: 0b1]
        ),
        // Appendix C.2.
        EncodingCase(
            cborFile: "status_list_encoding2_long_cbor.md", jsonFile: "status_list_encoding2_long_json.md", bits: 2,
            count: appendixCCount,
            statuses: [0: 0b01, 1993: 0b10, 25460: 0b01, 159495: 0b11, 495669: 0b01, 554353: 0b01, 645645: 0b10,
                       723232: 0b01, 854545: 0b01, 934534: 0b10, 1000345: 0b11]
        ),
        // Appendix C.3.
        EncodingCase(
            cborFile: "status_list_encoding4_cbor.md", jsonFile: "status_list_encoding4_json.md", bits: 4,
            count: appendixCCount,
            statuses: [0: 0b0001, 1993: 0b0010, 35460: 0b0011, 459495: 0b0100, 595669: 0b0101, 754353: 0b0110,
                       845645: 0b0111, 923232: 0b1000, 924445: 0b1001, 934534: 0b1010, 1004534: 0b1011,
                       1000345: 0b1100, 1030203: 0b1101, 1030204: 0b1110, 1030205: 0b1111]
        ),
        // Appendix C.4: the status at eightBitIndices[v] is v, for v = 0…255.
        EncodingCase(
            cborFile: "status_list_encoding8_cbor.md", jsonFile: "status_list_encoding8_json.md", bits: 8,
            count: appendixCCount,
            statuses: Dictionary(uniqueKeysWithValues: eightBitIndices.enumerated().map { ($0.element, UInt8($0.offset)) })
        ),
    ]

    /// Appendix C.4, in the draft's order: status[eightBitIndices[v]] = v.
    static let eightBitIndices: [Int] = [
        233478, 52451, 576778, 513575, 468106, 292632, 214947, 182323, 884834, 66653,
        62489, 196493, 458517, 487925, 55649, 416992, 879796, 462297, 942059, 583408,
        13628, 334829, 886286, 713557, 582738, 326064, 451545, 705889, 214350, 194502,
        796765, 202828, 752834, 721327, 554740, 91122, 963483, 261779, 793844, 165255,
        614839, 758403, 403258, 145867, 96100, 477937, 606890, 167335, 488197, 211815,
        797182, 582952, 950870, 765108, 341110, 776325, 745056, 439368, 559893, 149741,
        358903, 513405, 342679, 969429, 795775, 566121, 460566, 680070, 117310, 480348,
        67319, 661552, 841303, 561493, 138807, 442463, 659927, 445910, 1046963, 829700,
        962282, 299623, 555493, 292826, 517215, 551009, 898490, 837603, 759161, 459948,
        290102, 1034977, 190650, 98810, 229950, 320531, 335506, 885333, 133227, 806915,
        800313, 981571, 527253, 24077, 240232, 559572, 713399, 233941, 615514, 911768,
        331680, 951527, 6805, 552366, 374660, 223159, 625884, 417146, 320527, 784154,
        338792, 1199, 679804, 1024680, 40845, 234603, 761225, 644903, 502167, 121477,
        505144, 165165, 179628, 1019195, 145149, 263738, 269256, 996739, 346296, 555864,
        887384, 444173, 421844, 653716, 836747, 783119, 918762, 946835, 253764, 519895,
        471224, 134272, 709016, 44112, 482585, 461829, 15080, 148883, 123467, 480125,
        141348, 65877, 692958, 148598, 499131, 584009, 1017987, 449287, 277478, 991262,
        509602, 991896, 853666, 399318, 197815, 203278, 903979, 743015, 888308, 862143,
        979421, 113605, 206397, 127113, 844358, 711569, 229153, 521470, 401793, 398896,
        940810, 293983, 884749, 384802, 584151, 970201, 523882, 158093, 929312, 205329,
        106091, 30949, 195586, 495723, 348779, 852312, 1018463, 1009481, 448260, 841042,
        122967, 345269, 794764, 4520, 818773, 556171, 954221, 598210, 887110, 1020623,
        324632, 398244, 622241, 456551, 122648, 127837, 657676, 119884, 105156, 999897,
        330160, 119285, 168005, 389703, 143699, 142524, 493258, 846778, 251420, 516351,
        83344, 171931, 879178, 663475, 546865, 428362, 658891, 500560, 557034, 830023,
        274471, 629139, 958869, 663071, 152133, 19535,
    ]
}

/// A vector file of the `status-list` folder: hex, optionally after `byte_array = [...]` and
/// `encoded:` lines (the draft's `examples/` format), read unmodified.
struct StatusListVectorFile {
    /// The `byte_array` line, if the file has one: the uncompressed array.
    let byteArray: [UInt8]?
    /// The text after `encoded:` (or the whole file).
    let body: String

    init(_ name: String) throws {
        let text = String(decoding: try TestVectors.data("status-list/" + name), as: UTF8.self)
        if let marker = text.range(of: "encoded:") {
            body = String(text[marker.upperBound...])
            let head = text[..<marker.lowerBound]
            if let open = head.firstIndex(of: "["), let close = head.firstIndex(of: "]") {
                byteArray = try head[head.index(after: open)..<close].split(separator: ",").map { item in
                    let digits = item.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "0x", with: "")
                    return try #require(UInt8(digits, radix: 16), "byte_array item \(item)")
                }
            } else {
                byteArray = nil
            }
        } else {
            body = text
            byteArray = nil
        }
    }

    /// The body as hex bytes, whitespace ignored.
    func hexBytes() throws -> [UInt8] {
        let digits = body.filter { !$0.isWhitespace }
        return try #require(Hex.decode(digits), "the vector body is not hex")
    }

    /// The body as a JSON StatusList: the draft folds the long `lst` strings over several
    /// lines, so all whitespace is removed first (none is significant in these objects).
    func jsonStatusList() throws -> (bits: Int, lst: [UInt8]) {
        let compact = Data(body.filter { !$0.isWhitespace }.utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: compact) as? [String: Any])
        let bits = try #require(object["bits"] as? Int)
        let base64url = try #require(object["lst"] as? String)
        // RFC 4648 §5 base64url without padding, as §4.2 requires.
        var base64 = base64url.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let lst = try #require(Data(base64Encoded: base64), "lst is not base64url")
        return (bits, Array(lst))
    }
}

/// The `lst` bytes inside an encoded CBOR StatusList, read with the generic CBOR decoder.
private func rawLst(_ encoded: [UInt8]) throws -> [UInt8] {
    try #require(try CBORDecoder.decode(encoded)[text: "lst"]?.bytes)
}

@Suite("Status list vectors (draft-ietf-oauth-status-list)", .enabled(if: TestVectors.shouldRun))
struct StatusListVectorTests {
    @Test("CBOR encoding example decodes to the draft's statuses", arguments: EncodingCase.all)
    func encodingVector(_ example: EncodingCase) throws {
        let file = try StatusListVectorFile(example.cborFile)
        let encoded = try file.hexBytes()
        let list = try StatusList(decoding: encoded)
        #expect(list.bits == example.bits)
        // §4.1: the entry count is implied by the inflated length, bytes × 8 / bits.
        #expect(list.count == example.count)
        #expect(list.count == list.bytes.count * 8 / list.bits)
        #expect(list.aggregationURI == nil)
        for (index, value) in example.statuses.sorted(by: { $0.key < $1.key }) {
            #expect(try list[index] == value, "status[\(index)]")
        }
        // Every entry not listed is 0: build the expected list and compare the whole array.
        var expected = try StatusList(bits: example.bits, count: example.count)
        for (index, value) in example.statuses { try expected.set(value, at: index) }
        #expect(list.bytes == expected.bytes)
        if let byteArray = file.byteArray {
            #expect(list.bytes == byteArray, "the file's byte_array")
        }
    }

    @Test("re-encoding inflates to the same bytes; at level 9 the lst is byte-identical here", arguments: EncodingCase.all)
    func reencode(_ example: EncodingCase) throws {
        let encoded = try StatusListVectorFile(example.cborFile).hexBytes()
        let theirs = try rawLst(encoded)
        let list = try StatusList(decoding: encoded)
        let ours = list.compressed()
        #expect(try Zlib.decompress(ours, maxOutput: list.bytes.count) == Zlib.decompress(theirs, maxOutput: list.bytes.count))
        #expect(try StatusList(decoding: list.cbor.encoded()) == list)
        // Deflate output depends on the zlib build; this is reported, not required.
        print("\(example.cborFile): lst \(theirs.count) bytes, ours \(ours.count) bytes, identical: \(ours == theirs)")
        if ours == theirs {
            // Same content as a CBOR value; the vector's bytes put "bits" before "lst", which
            // is not the RFC 8949 §4.2.1 order, so only the values are compared.
            #expect(try CBORDecoder.decode(encoded) == list.cbor)
            #expect(list.cbor.encoded() != encoded)
        }
    }

    @Test("the JSON example carries the same bits and lst as the CBOR one", arguments: EncodingCase.all)
    func jsonCrossCheck(_ example: EncodingCase) throws {
        let json = try StatusListVectorFile(example.jsonFile).jsonStatusList()
        let cbor = try StatusListVectorFile(example.cborFile).hexBytes()
        #expect(json.bits == example.bits)
        #expect(json.lst == (try rawLst(cbor)))
        #expect(try StatusList(bits: json.bits, compressed: json.lst) == StatusList(decoding: cbor))
    }

    // status_list_jwt.md / status_list_jwt_raw.md are the JWT form (§5.1), which Zhucan does not
    // implement; their list is the 1-bit example already covered above. The *_diag.md files
    // are annotated dumps of the same hex.

    @Test("status_list_cwt: the CWT Status List Token example (§5.2)")
    func statusListToken() throws {
        let cose = try CoseSign1(decoding: try StatusListVectorFile("status_list_cwt.md").hexBytes())
        #expect(cose.tags == [CoseSign1.tag])
        #expect(cose.type == StatusListToken.mediaType)
        #expect(cose.algorithmValue == CoseAlgorithm.es256.rawValue)
        #expect(cose.keyID?.bytes == Array("12".utf8))
        let token = try StatusListToken(unverified: cose)
        #expect(token.uri == "https://example.com/statuslists/1")
        #expect(token.issuedAt == 1_686_920_170)
        #expect(token.expiration == 2_291_720_170)
        #expect(token.timeToLive == 43_200)
        #expect(token.issuer == nil)
        #expect(token.statusList.bits == 1)
        #expect(token.statusList.bytes == [0xB9, 0xA3])
        #expect(try (0..<16).map { try token.statusList[$0] } == [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1])
        #expect(!token.isExpired(at: 1_686_920_170))
        #expect(token.isExpired(at: 2_291_720_170))
        // Our claims hold the same values as the example's (its key order is not deterministic).
        #expect(try token.claims.cbor == CBORDecoder.decode(cose.payload))
    }

    @Test("referenced_token_cwt: the status claim (§6.3) points at index 0 of the example list")
    func referencedToken() throws {
        let cose = try CoseSign1(decoding: try StatusListVectorFile("referenced_token_cwt.md").hexBytes())
        let claims = try CWTClaims(CBORDecoder.decode(cose.payload))
        #expect(claims.subject == "12345")
        #expect(claims.issuer == "https://example.com")
        let reference = try StatusReference(claims: claims)
        #expect(reference.index == 0)
        #expect(reference.uri == "https://example.com/statuslists/1")
        #expect(claims[claim: StatusListClaimKey.status] == reference.cbor)

        // §8.3: the list token's sub equals the reference's uri, and status[0] is 1 (INVALID).
        let listCose = try CoseSign1(decoding: try StatusListVectorFile("status_list_cwt.md").hexBytes())
        let token = try StatusListToken(unverified: listCose)
        #expect(try token.status(of: reference) == 1)
    }
}
