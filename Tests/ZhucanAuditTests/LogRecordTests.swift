import Foundation
import Testing
import ZhucanCBOR
import ZhucanRegistry
import ZhucanTransparency

@Suite("LogRecord: the canonical log entry")
struct LogRecordTests {
    static let records = [
        LogRecord(event: .issued, at: 1_780_000_000, licenseID: "1.2.156.3005.2.x", otherLicenseID: "1.2.156.3005.2.y", object: "ZC1:…", reason: "batch"),
        LogRecord(event: .keyAdded, at: 1, keyRole: "log", keyID: "0011223344556677", keyAlgorithm: "ed25519", subjectPublicKeyInfo: [1, 2, 3]),
        LogRecord(event: .statusListPublished, at: -5, object: "AAEC", sequence: 7),
        LogRecord(event: .revoked, at: .max, licenseID: "1.2.156.3005.2.z", reason: "已故"),
        LogRecord(event: .lostStatusesRevoked, at: 2, reason: "restore-check: lost", statusListURI: "https://zhucan.example/v1/status-lists/1",
                  indexFrom: 3, indexBelow: 131_072),
    ]

    @Test("Every record survives encoding and decoding unchanged", arguments: records)
    func roundTrip(_ record: LogRecord) throws {
        #expect(try LogRecord(encoded: record.encoded) == record)
    }

    @Test("Decoding is strict: non-canonical CBOR, unknown fields, wrong types, a certificate event without its certificate")
    func strict() throws {
        let record = Self.records[0]
        func fails(_ bytes: [UInt8], _ comment: Comment) {
            #expect(throws: TransparencyError.self, comment) { try LogRecord(encoded: bytes) }
        }
        guard case .map(let pairs) = try CBORDecoder.decode(record.encoded) else { Issue.record("not a map"); return }
        // The same pairs, unsorted: not the deterministic encoding (one event, one leaf hash).
        var unsorted = [UInt8]([0xA0 | UInt8(pairs.count)])
        for pair in pairs.reversed() { unsorted += pair.key.encoded() + pair.value.encoded() }
        fails(unsorted, "unsorted keys")
        fails(CBOR.map(pairs + [.init(key: CBOR("extra"), value: CBOR(1))]).encoded(), "unknown field")
        fails(CBOR.map(pairs.map { $0.key == CBOR("at") ? .init(key: $0.key, value: CBOR("soon")) : $0 }).encoded(), "time as text")
        fails(CBOR.map(pairs.map { $0.key == CBOR("v") ? .init(key: $0.key, value: CBOR(2)) : $0 }).encoded(), "version 2")
        fails(CBOR.map(pairs.filter { $0.key != CBOR("lid") }).encoded(), "issued without lid")
        let lost = Self.records.first { $0.event == .lostStatusesRevoked }!.encoded
        guard case .map(let lostPairs) = try CBORDecoder.decode(lost) else { Issue.record("not a map"); return }
        fails(CBOR.map(lostPairs.map { $0.key == CBOR("from") ? .init(key: $0.key, value: CBOR(-1)) : $0 }).encoded(), "a negative index")
        fails(CBOR.map(lostPairs.map { $0.key == CBOR("below") ? .init(key: $0.key, value: CBOR("all")) : $0 }).encoded(), "an index as text")
        fails(CBOR.array([]).encoded(), "not a map")
        fails([], "empty")
        fails([UInt8](repeating: 0xBF, count: 100_000), "over the size limit")
    }

    @Test("Random bytes never crash the decoder")
    func randomBytes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let bytes = (0..<Int.random(in: 0..<64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            _ = try? LogRecord(encoded: bytes)
        }
        // Prefixes of a real record: truncated input is an error, never a trap.
        let encoded = Self.records[0].encoded
        for end in 0..<encoded.count { #expect(throws: TransparencyError.self) { try LogRecord(encoded: Array(encoded[..<end])) } }
    }
}
